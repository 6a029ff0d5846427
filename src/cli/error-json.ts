import { ImageGenerationError } from '../engine/index.js';
import { errorKindOf, ImagegateError } from '../errors/index.js';
import { exitCodeFor, isBadInput } from './exit-codes.js';

/**
 * What `--json` prints on stdout when a command fails, for every exit code: scripts parse one shape
 * whether the flags were wrong (2) or the platform refused (3, 4). `kind` is the error's row of the table in
 * docs/error-handling.md.
 */
export function errorJson(error: unknown) {
  const message = error instanceof Error ? error.message : String(error);
  const common = {
    ok: false,
    exitCode: exitCodeFor(error),
    kind: errorKindOf(error),
    message,
    isRetryable: error instanceof ImagegateError && error.isRetryable,
    field: error instanceof ImagegateError ? (error.field ?? null) : null,
  };
  if (error instanceof ImageGenerationError) {
    return { ...common, outcome: error.outcome.kind, warnings: error.warnings, attempts: error.attempts };
  }
  return { ...common, outcome: isBadInput(error) ? 'bad_input' : 'failure', warnings: [], attempts: [] };
}
