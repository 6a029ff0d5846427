import { outcomeKinds, type OutcomeKind } from './outcome-kind.js';

/**
 * Kinds of failure that happen before or around a model call: the caller's input, the setup of this
 * machine, the state of a stored resource. Each is answered by its row of `errorAnswers`.
 */
export const libraryErrorKinds = [
  /** A field of a request, flag, flow input or file the caller must fix; `field` names it. */
  'invalid_input',
  /** A reference image or video that cannot be used (type, size, unreadable, not an image). */
  'invalid_media',
  /** A model name the registry does not know; the message suggests the nearest ones. */
  'unknown_model',
  /** A known name with no candidate left to use (every one retired, or not on the asked platform). */
  'no_usable_model',
  /** The config file, a deployment variable or a platform's credentials are wrong or missing. */
  'invalid_config',
  /** A program imagegate needs (ffmpeg) is not on this machine. */
  'missing_tool',
  /** A URL the server will not fetch (private address, bad scheme). */
  'url_refused',
  /** A URL that could not be fetched (timeout, status, too large). */
  'fetch_failed',
  /** A flow document with errors; the message lists each problem. */
  'invalid_flow',
  /** A resource that does not exist or belongs to another key. */
  'not_found',
  /** A request that contradicts stored state (a reused idempotency key, a flow not in that state). */
  'conflict',
  /** The monthly budget of a key or of the server has no room for this estimate. */
  'budget_exceeded',
  /** The catalog has no price for what would be billed. */
  'missing_price',
  /** The database was written by a newer imagegate (a schema version or migration this one lacks). */
  'incompatible_storage',
  /** A fault in imagegate itself; the message given to callers does not leak internals. */
  'internal_error',
] as const;

/** Failures of a model call: every outcome kind but `success`. */
export type FailureOutcomeKind = Exclude<OutcomeKind, 'success'>;
export const failureOutcomeKinds = outcomeKinds.filter(
  (kind): kind is FailureOutcomeKind => kind !== 'success',
);

/** Every error imagegate throws carries exactly one of these kinds. */
export type ErrorKind = FailureOutcomeKind | (typeof libraryErrorKinds)[number];
export const errorKinds: readonly ErrorKind[] = [...failureOutcomeKinds, ...libraryErrorKinds];

/** Whether a stored or received string names an error kind (a task's `error.type`, say). */
export function isErrorKind(value: unknown): value is ErrorKind {
  return typeof value === 'string' && (errorKinds as readonly string[]).includes(value);
}
