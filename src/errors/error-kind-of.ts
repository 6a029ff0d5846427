import { errorAnswerFor, type ErrorAnswer } from './error-answers.js';
import { errorKinds, type ErrorKind } from './error-kind.js';
import { ImagegateError } from './imagegate-error.js';

/** The kind of anything thrown: an imagegate error's own, `internal_error` for everything else. */
export function errorKindOf(error: unknown): ErrorKind {
  return error instanceof ImagegateError ? error.kind : 'internal_error';
}

/** The row of `errorAnswers` a thrown value is answered with. */
export function errorAnswerOf(error: unknown): ErrorAnswer {
  return errorAnswerFor(errorKindOf(error));
}

/**
 * The kind behind an imagegate server's error answer, read back from the same table that wrote it: the
 * first kind answered with this status and code. Answers the table does not write (the server's own
 * 401/403, a proxy's 502) fall back on the status alone.
 */
export function errorKindOfAnswer(status: number, code: string | undefined): ErrorKind {
  const written = errorKinds.find((kind) => {
    const answer = errorAnswerFor(kind);
    return answer.status === status && answer.code === code;
  });
  if (written) return written;
  if (status === 401 || status === 403) return 'auth_failed';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'unavailable';
  return 'invalid_input';
}
