import { ImagegateError } from '../errors/index.js';

/** Neither a logical name nor a model the catalog knows. */
export class UnknownModelError extends ImagegateError {
  readonly requested: string;
  /** Nearest logical names and model IDs, nearest first. */
  readonly suggestions: string[];

  constructor(requested: string, suggestions: string[], logicalNames: string[]) {
    const hint =
      suggestions.length > 0 ? ` Did you mean ${suggestions.map((name) => `"${name}"`).join(' or ')}?` : '';
    super(
      'unknown_model',
      `Unknown model or logical name "${requested}".${hint} Known logical names: ${logicalNames.join(', ')}.`,
    );
    this.requested = requested;
    this.suggestions = suggestions;
  }
}

/** Every candidate of a route is retired, not offered on the platform, or otherwise unusable. */
export class NoUsableCandidateError extends ImagegateError {
  readonly requested: string;
  /** Why each candidate was left out. */
  readonly reasons: string[];

  constructor(requested: string, reasons: string[]) {
    super(
      'no_usable_model',
      `No usable model for "${requested}": ${reasons.join('; ')}. Update the route in imagegate.config.yaml to a live GA model.`,
    );
    this.requested = requested;
    this.reasons = reasons;
  }
}
