import { systemClock, type Clock } from '../clock/index.js';

/** Where a command reads its environment and the time, and writes its output; tests pass their own. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Whether stderr is a terminal (progress lines are kept short and plain when it is not). */
  isInteractive: boolean;
  /**
   * "Now" for every command: lifecycle (days left, retired models), default `--at` dates, file names made
   * from the time, and the in-process emulator's calendar. Tests pin it so no result depends on today.
   */
  clock: Clock;
}

export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    isInteractive: Boolean(process.stderr.isTTY),
    clock: systemClock,
  };
}
