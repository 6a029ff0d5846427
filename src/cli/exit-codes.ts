import { errorAnswerOf, ExitCode, ImagegateError } from '../errors/index.js';

export { ExitCode, exitCodesHelp } from './exit-code-table.js';

/** `listen` failed because another process holds the port: the user picks another `--port`. */
export function isPortInUse(error: unknown): error is NodeJS.ErrnoException & { port?: number } {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
}

/**
 * The exit code of a failed command: the row of `errorAnswers` for the error's kind, except that an error
 * marked retryable (transient outcomes until the retry budget ran out) always exits `transientExhausted`.
 */
export function exitCodeFor(error: unknown): number {
  if (isPortInUse(error)) return ExitCode.badInput;
  if (error instanceof ImagegateError && error.isRetryable) return ExitCode.transientExhausted;
  return errorAnswerOf(error).exitCode;
}

/** Whether an error means the user's input (or this machine's setup) must change: exit code 2. */
export function isBadInput(error: unknown): boolean {
  return exitCodeFor(error) === ExitCode.badInput;
}
