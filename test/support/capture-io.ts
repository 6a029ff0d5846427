import type { CliIo } from '../../src/cli/cli-io.js';
import { ManualClock } from '../../src/clock/index.js';
import type { Clock } from '../../src/clock/index.js';
import { testDayMs } from './test-day.js';

/** A CliIo that records everything a command prints, on a pinned clock by default. */
export function captureIo(options: { cwd: string; env?: NodeJS.ProcessEnv; clock?: Clock }): CliIo & {
  out: () => string;
  err: () => string;
} {
  let stdout = '';
  let stderr = '';
  return {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env: options.env ?? {},
    cwd: options.cwd,
    isInteractive: false,
    clock: options.clock ?? new ManualClock(testDayMs),
    out: () => stdout,
    err: () => stderr,
  };
}
