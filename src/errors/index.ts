export { outcomeKindSchema, outcomeKinds, type OutcomeKind } from './outcome-kind.js';
export {
  errorKindSchema,
  errorKinds,
  failureOutcomeKindSchema,
  libraryErrorKindSchema,
  type ErrorKind,
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
export { errorAnswerOf, errorKindOf } from './error-kind-of.js';
export type { ApiErrorType } from './api-error-type.js';
export { InvalidInputError, parseInput } from './invalid-input-error.js';
