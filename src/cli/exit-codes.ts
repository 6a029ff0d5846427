import { ConfigError } from '../config/index.js';
import { InvalidInputError } from '../client/index.js';
import { FfmpegNotFoundError } from '../media/index.js';
import { ImageGenerationError } from '../engine/index.js';
import { MediaInputError } from '../media/index.js';
import { UnknownModelError } from '../registry/index.js';
import { ExitCode } from './exit-code-table.js';

export { ExitCode, exitCodesHelp } from './exit-code-table.js';

/** Whether an error means the user's input must change, and so exit code 2. */
export function isBadInput(error: unknown): boolean {
  return (
    error instanceof InvalidInputError ||
    error instanceof MediaInputError ||
    error instanceof ConfigError ||
    error instanceof UnknownModelError ||
    // A missing tool is fixed on this machine, not by waiting: not an outage (exit 4).
    error instanceof FfmpegNotFoundError ||
    isPortInUse(error) ||
    (error instanceof ImageGenerationError &&
      error.outcome.kind === 'invalid_request' &&
      error.attempts.length === 0)
  );
}

/** `listen` failed because another process holds the port: the user picks another `--port`. */
export function isPortInUse(error: unknown): error is NodeJS.ErrnoException & { port?: number } {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
}

export function exitCodeFor(error: unknown): number {
  if (isBadInput(error)) return ExitCode.badInput;
  if (error instanceof ImageGenerationError) {
    return error.isRetryable ? ExitCode.transientExhausted : ExitCode.permanentFailure;
  }
  return ExitCode.permanentFailure;
}
