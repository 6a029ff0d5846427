export { outcomeKinds, type OutcomeKind } from './outcome-kind.js';
export {
  errorKinds,
  failureOutcomeKinds,
  isErrorKind,
  libraryErrorKinds,
  type ErrorKind,
  type FailureOutcomeKind,
} from './error-kind.js';
export { ImagegateError, type ImagegateErrorOptions } from './imagegate-error.js';
export {
  ExitCode,
  errorAnswerFor,
  errorAnswers,
  transientNextStep,
  type ErrorAnswer,
  type ExitCodeValue,
} from './error-answers.js';
export { errorAnswerOf, errorKindOf, errorKindOfAnswer } from './error-kind-of.js';
export type { ApiErrorType } from './api-error-type.js';
export { InvalidInputError, parseInput } from './invalid-input-error.js';
