export { isForbiddenAddress, forbiddenAddressReason } from './is-forbidden-address.js';
export {
  safeFetch,
  DEFAULT_SAFE_FETCH_MAX_BYTES,
  DEFAULT_SAFE_FETCH_MAX_REDIRECTS,
  DEFAULT_SAFE_FETCH_TIMEOUT_MS,
  type ResolvedAddress,
  type SafeFetchOptions,
  type SafeFetchResponse,
} from './safe-fetch.js';
export { SsrfRefusedError, SafeFetchError, type SafeFetchFailure } from './safe-fetch-errors.js';
