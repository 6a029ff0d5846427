export {
  ApiError,
  errorResponse,
  invalidRequest,
  notFound,
  tooLarge,
  rateLimited,
  validationHook,
  retryAfterHeader,
  type ApiErrorBody,
  type ApiErrorType,
} from './api-error.js';
export { unsupportedMediaType } from './api-error.js';
export { jsonDepthExceeds } from './input-limits.js';
export { MAX_GENERATION_BODY_BYTES } from './input-limits.js';
export { MAX_JSON_DEPTH } from './input-limits.js';
export { MAX_URL_LENGTH } from './input-limits.js';
export { quoteValue } from './input-limits.js';
export { MAX_CONTENT_TURNS } from './input-limits.js';
export { MAX_METADATA_KEY_LENGTH } from './input-limits.js';
export { MAX_METADATA_KEYS } from './input-limits.js';
export { MAX_METADATA_VALUE_LENGTH } from './input-limits.js';
export { MAX_MODEL_NAME_LENGTH } from './input-limits.js';
export { MAX_PARTS_PER_TURN } from './input-limits.js';
export { MAX_PROMPT_BYTES } from './input-limits.js';
export { MAX_REFERENCE_IMAGES } from './input-limits.js';
export { MAX_QUOTED_VALUE_CHARS } from './input-limits.js';
export { MAX_IDEMPOTENCY_KEY_LENGTH } from './input-limits.js';
export { DEFAULT_TASK_PAGE_SIZE } from './input-limits.js';
export { MAX_LIST_PAGE_BYTES } from './input-limits.js';
export { MAX_TASK_PAGE_SIZE } from './input-limits.js';
export { DEFAULT_MAX_OPENAI_EDIT_BODY_BYTES } from './input-limits.js';
export { MAX_OPENAI_GENERATION_BODY_BYTES } from './input-limits.js';
export { MAX_OPENAI_IMAGE_COUNT } from './input-limits.js';
export { MAX_OPENAI_PROMPT_CHARACTERS } from './input-limits.js';
export { apiErrorFor, internalErrorMessage, type ApiErrorForOptions } from './api-error-for.js';
