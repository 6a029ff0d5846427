import type { CliIo } from '../../src/cli/cli-io.js';

/** A CliIo that records everything a command prints. */
export function captureIo(options: { cwd: string; env?: NodeJS.ProcessEnv }): CliIo & {
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
    out: () => stdout,
    err: () => stderr,
  };
}
