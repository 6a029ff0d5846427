import { Command } from 'commander';
import type { CliIo } from './cli-io.js';
import { describeError } from './describe-error.js';
import { errorJson } from './error-json.js';
import { exitCodeFor } from './exit-codes.js';

/**
 * Wraps a command's action: whatever it throws (a bad flag, a missing file) becomes a message on stderr
 * and the matching exit code, never a stack trace. With `--json` the error is also JSON on stdout.
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
      // Commander passes the command last; its options say whether the caller asked for JSON.
      const command = args.at(-1);
      if (command instanceof Command && command.opts().json === true) {
        io.stdout(`${JSON.stringify(errorJson(error), null, 2)}\n`);
      }
      io.stderr(`${describeError(error)}\n`);
      setExitCode(exitCodeFor(error));
    }
  };
}
