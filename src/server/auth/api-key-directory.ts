import type { ApiKeyRecord, CreateApiKeyInput } from './api-key-store.js';

/** A value now (SQLite answers synchronously) or later (PostgreSQL). */
type Awaitable<T> = T | Promise<T>;

/**
 * What the server needs from an API key store: `ApiKeyStore` (SQLite) and `PostgresApiKeyStore` both
 * provide it. Callers `await` every answer.
 */
export interface ApiKeyDirectory {
  create(input: CreateApiKeyInput): Awaitable<{ record: ApiKeyRecord; secret: string }>;
  list(): Awaitable<ApiKeyRecord[]>;
  revoke(idOrPrefix: string): Awaitable<ApiKeyRecord | undefined>;
  verify(secret: string): Awaitable<ApiKeyRecord | undefined>;
  /** Whether any key was ever created (revoked ones count): from then on every request needs a key. */
  hasKeys(): Awaitable<boolean>;
}
