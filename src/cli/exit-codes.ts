import { ConfigError } from '../config/index.js';
import { InvalidInputError } from '../client/invalid-input-error.js';
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
    (error instanceof ImageGenerationError &&
      error.outcome.kind === 'invalid_request' &&
      error.attempts.length === 0)
  );
}

export function exitCodeFor(error: unknown): number {
  if (isBadInput(error)) return ExitCode.badInput;
  if (error instanceof ImageGenerationError) {
    return error.isRetryable ? ExitCode.transientExhausted : ExitCode.permanentFailure;
  }
  return ExitCode.permanentFailure;
}
