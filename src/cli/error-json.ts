import { ImageGenerationError } from '../engine/index.js';
import { exitCodeFor, isBadInput } from './exit-codes.js';

/**
 * What `--json` prints on stdout when a command fails, for every exit code: scripts parse one shape
 * whether the flags were wrong (2) or the platform refused (3, 4).
 */
export function errorJson(error: unknown) {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof ImageGenerationError) {
    return {
      ok: false,
      exitCode: exitCodeFor(error),
      outcome: error.outcome.kind,
      message,
      isRetryable: error.isRetryable,
      warnings: error.warnings,
      attempts: error.attempts,
    };
  }
  return {
    ok: false,
    exitCode: exitCodeFor(error),
    outcome: isBadInput(error) ? 'bad_input' : 'failure',
    message,
    isRetryable: false,
    warnings: [],
    attempts: [],
  };
}
