import type { CliIo } from './cli-io.js';
import { describeError } from './describe-error.js';
import { exitCodeFor } from './exit-codes.js';

/**
 * Wraps a command's action: whatever it throws (a bad flag, a missing file) becomes a message on stderr
 * and the matching exit code, never a stack trace.
 */
export function guardedAction<Args extends unknown[]>(
  io: CliIo,
  setExitCode: (code: number) => void,
  action: (...args: Args) => Promise<number>,
): (...args: Args) => Promise<void> {
  return async (...args) => {
    try {
      setExitCode(await action(...args));
    } catch (error) {
      io.stderr(`${describeError(error)}\n`);
      setExitCode(exitCodeFor(error));
    }
  };
}
