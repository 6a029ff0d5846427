import type { Outcome } from '../outcome/index.js';
import type { Attempt } from './attempt.js';

/** A run that ended without images: the deciding outcome, every attempt made, and the warnings raised. */
export class ImageGenerationError extends Error {
  override readonly name = 'ImageGenerationError';
  /** Whether running the same request later may succeed (transient outcome or budget used up). */
  readonly isRetryable: boolean;
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
    super(`${outcome.kind}: ${outcome.message}`);
    this.isRetryable = options.isRetryable ?? outcome.retryable;
    this.circuitOpenUntilMs = options.circuitOpenUntilMs;
  }
}
