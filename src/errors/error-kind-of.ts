import { errorAnswerFor, type ErrorAnswer } from './error-answers.js';
import type { ErrorKind } from './error-kind.js';
import { ImagegateError } from './imagegate-error.js';

/** The kind of anything thrown: an imagegate error's own, `internal_error` for everything else. */
export function errorKindOf(error: unknown): ErrorKind {
  return error instanceof ImagegateError ? error.kind : 'internal_error';
}

/** The row of `errorAnswers` a thrown value is answered with. */
export function errorAnswerOf(error: unknown): ErrorAnswer {
  return errorAnswerFor(errorKindOf(error));
}
