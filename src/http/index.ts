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
