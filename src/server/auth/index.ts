export {
  ApiKeyStore,
  AmbiguousApiKeyError,
  createApiKeyInputSchema,
  type ApiKeyRecord,
  type CreateApiKeyInput,
} from './api-key-store.js';
export type { ApiKeyDirectory } from './api-key-directory.js';
export { PostgresApiKeyStore } from './postgres-api-key-store.js';
export { hashApiKeySecret, looksLikeApiKeySecret } from './api-key-secret.js';
export { createAuthMiddleware, type AuthEnv, type AuthMiddlewareOptions } from './auth-middleware.js';
export { createKeyRateLimitMiddleware, type KeyRateLimitOptions } from './key-rate-limit-middleware.js';
export { checkMonthlyBudget, type MonthlyBudgetCheck } from './check-monthly-budget.js';
export { requireAdmin } from './require-admin.js';
export { callerScope, mayAccess, listOwner, narrowedListOwner, type CallerScope } from './caller-scope.js';
export { BlobOwners, type BlobOwnership } from './blob-owners.js';
export { PostgresBlobOwners } from './postgres-blob-owners.js';
export { decideDefaultAuth, isLoopbackHost, type DefaultAuthDecision } from './default-auth.js';
