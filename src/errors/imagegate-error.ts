import type { ErrorKind } from './error-kind.js';

export interface ImagegateErrorOptions {
  /** Default false: only a failure that may pass on its own (an outage, a rate limit) is retryable. */
  isRetryable?: boolean;
  /** The input field at fault, as the caller wrote it (`images[2]`, `--aspect`, `nodes.hero.model`). */
  field?: string;
  /**
   * A finer machine-readable code than the kind's row gives (`run_not_found` for `not_found`). The row's
   * status, type and exit code still apply.
   */
  code?: string;
  /** How long the platform asked callers to wait before trying again. */
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * The base of every error imagegate throws. Surfaces never switch on classes: the CLI, both HTTP APIs and the
 * task worker look the `kind` up in `errorAnswers` (docs/error-handling.md shows that table).
 */
export class ImagegateError extends Error {
  readonly kind: ErrorKind;
  /** Whether the same request, sent again later unchanged, may succeed. */
  readonly isRetryable: boolean;
  readonly field: string | undefined;
  readonly code: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(kind: ErrorKind, message: string, options: ImagegateErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.kind = kind;
    this.isRetryable = options.isRetryable ?? false;
    this.field = options.field;
    this.code = options.code;
    this.retryAfterMs = options.retryAfterMs;
  }

  /** The message a remote caller may read; subclasses drop what only makes sense on this machine. */
  get clientMessage(): string {
    return this.message;
  }
}
