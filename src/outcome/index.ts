export { outcomeKinds, type OutcomeKind } from '../errors/index.js';
export { outcomeKindSchema } from './outcome-kind-schema.js';
export { outcomeOf, outcomeRules, type Outcome } from './outcome.js';
export { classifyError, type ErrorContext } from './classify-error.js';
export { blockedFinishReasons, classifyResponse, type ResponseClassification } from './classify-response.js';
export {
  verifyImage,
  type ExpectedImage,
  type ImageVerification,
  type VerifiedImage,
} from './verify-image.js';
export {
  errorReasonsOf,
  googleErrorBodySchema,
  parseGoogleErrorBody,
  quotaViolationsOf,
  retryDelayMsOf,
  type GoogleErrorBody,
  type QuotaViolation,
} from './google-error-body.js';
export { parseRetryAfterHeaderMs, parseRetryDelayMs } from './retry-delay.js';
export { addUsage, usageFromMetadata, zeroUsage, type Usage } from './usage.js';
export { classifyTextResponse } from './classify-text-response.js';
