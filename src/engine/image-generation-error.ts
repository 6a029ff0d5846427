import { ImagegateError, type ErrorKind } from '../errors/index.js';
import type { Outcome } from '../outcome/index.js';
import type { Attempt } from './attempt.js';

/** A run that ended without images: the deciding outcome, every attempt made, and the warnings raised. */
export class ImageGenerationError extends ImagegateError {
  /**
   * Set when the run ended because every candidate it could use has an open circuit: the clock time of
   * the earliest next trial call. Running again before then cannot reach a model.
   */
  readonly circuitOpenUntilMs: number | undefined;

  constructor(
    readonly outcome: Outcome,
    readonly attempts: Attempt[],
    readonly warnings: string[],
    options: { isRetryable?: boolean; circuitOpenUntilMs?: number } = {},
  ) {
    super(kindOfRun(outcome, attempts), `${outcome.kind}: ${outcome.message}`, {
      // Transient outcome, or the run's budget used up while the outcome was transient.
      isRetryable: options.isRetryable ?? outcome.retryable,
      ...(outcome.retryAfterMs !== undefined ? { retryAfterMs: outcome.retryAfterMs } : {}),
    });
    this.circuitOpenUntilMs = options.circuitOpenUntilMs;
  }

  /** The outcome's own words, without the kind prefix the CLI shows. */
  override get clientMessage(): string {
    return this.outcome.message;
  }
}

/**
 * `invalid_request` before any call means no candidate could take the request as written (the registry
 * refused each one): the caller's input, exactly like a bad flag, not the platform's answer.
 */
function kindOfRun(outcome: Outcome, attempts: readonly Attempt[]): ErrorKind {
  if (outcome.kind === 'success') return 'internal_error';
  return outcome.kind === 'invalid_request' && attempts.length === 0 ? 'invalid_input' : outcome.kind;
}
