import { ImagegateError } from '../errors/index.js';

/** A request refused by the network policy: a forbidden address (after DNS, on any redirect hop) or scheme. */
export class SsrfRefusedError extends ImagegateError {
  constructor(
    message: string,
    /** The URL of the hop that was refused (the redirect target when a redirect was refused). */
    readonly url: string,
    /** The resolved address that was refused, when the refusal was about an address. */
    readonly address?: string,
    /** Why the address is forbidden (`loopback`, `private`, `metadata`…); for logs, never for callers. */
    readonly reason?: string,
  ) {
    super('url_refused', message);
  }
}

/** Why a fetch that was allowed still failed. */
export type SafeFetchFailure = 'timeout' | 'too_large' | 'too_many_redirects' | 'invalid_url' | 'network';

/** A fetch that the policy allowed but that did not produce a response within the limits. */
export class SafeFetchError extends ImagegateError {
  constructor(
    message: string,
    readonly url: string,
    readonly failure: SafeFetchFailure,
    options?: { cause?: unknown },
  ) {
    super('fetch_failed', message, options);
  }
}
