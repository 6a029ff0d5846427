import { timingSafeEqual } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import { z } from 'zod';
import { systemClock, type Clock } from '../../clock/index.js';
import {
  API_KEY_DISPLAY_PREFIX_LENGTH,
  generateApiKeySecret,
  hashApiKeySecret,
  looksLikeApiKeySecret,
  randomBase62,
} from './api-key-secret.js';
import { ImagegateError } from '../../errors/index.js';

export interface ApiKeyRecord {
  /** `key_` and 12 base62 characters; never secret. */
  id: string;
  name: string;
  /** The first characters of the secret (`igk_AbC123`), shown in lists to tell keys apart. */
  prefix: string;
  createdAtMs: number;
  revokedAtMs?: number;
  /** Requests per minute for this key. Default: the server's default limit. */
  rateLimitPerMinute?: number;
  /** Spending cap per calendar month (UTC) in US dollars. Default: no cap. */
  monthlyBudgetUsd?: number;
  /** An admin key sees and acts on every key's resources (tasks, files, images, dead letters). */
  admin?: true;
}

export const createApiKeyInputSchema = z.strictObject({
  name: z.string().trim().min(1, 'a name is required').max(100, 'at most 100 characters'),
  rateLimitPerMinute: z.number().int().positive('must be a whole number of requests above 0').optional(),
  monthlyBudgetUsd: z.number().positive('must be an amount in US dollars above 0').finite().optional(),
  admin: z.boolean().optional(),
});
export type CreateApiKeyInput = z.input<typeof createApiKeyInputSchema>;

/** A row of `api_keys`, in SQLite and PostgreSQL alike. */
export const apiKeyRowSchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  secret_sha256: z.string().regex(/^[0-9a-f]{64}$/),
  created_at_ms: z.number().int(),
  revoked_at_ms: z.number().int().nullable(),
  rate_limit_per_minute: z.number().int().nullable(),
  monthly_budget_usd: z.number().nullable(),
  admin: z.number().int(),
});
export type ApiKeyRow = z.infer<typeof apiKeyRowSchema>;

/** A revoke by prefix that matches several keys; the caller must name one by id. */
export class AmbiguousApiKeyError extends ImagegateError {
  constructor(
    readonly prefix: string,
    readonly matchingIds: string[],
  ) {
    super(
      'invalid_input',
      `The prefix "${prefix}" matches ${matchingIds.length} keys (${matchingIds.join(', ')}); revoke by id.`,
      { field: 'prefix', code: 'ambiguous_prefix' },
    );
  }
}

/**
 * API keys in SQLite. Only the SHA-256 of a secret is stored; the secret itself is returned once by
 * `create` and cannot be recovered. Revoked keys stay listed (with `revokedAtMs`) but never verify.
 */
export class ApiKeyStore {
  private readonly clock: Clock;
  private readonly anyKey: BetterSqlite3.Statement;

  constructor(
    private readonly database: BetterSqlite3.Database,
    options: { /** Default: the system clock. */ clock?: Clock } = {},
  ) {
    this.clock = options.clock ?? systemClock;
    database.exec(`
      CREATE TABLE IF NOT EXISTS api_keys (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        prefix TEXT NOT NULL,
        secret_sha256 TEXT NOT NULL UNIQUE,
        created_at_ms INTEGER NOT NULL,
        revoked_at_ms INTEGER,
        rate_limit_per_minute INTEGER,
        monthly_budget_usd REAL,
        admin INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX IF NOT EXISTS api_keys_by_prefix ON api_keys (prefix);
    `);
    // Databases made before admin keys existed get the column (every old key is an ordinary one).
    const columns = database.prepare('PRAGMA table_info(api_keys)').all() as { name: string }[];
    if (!columns.some((column) => column.name === 'admin')) {
      database.exec('ALTER TABLE api_keys ADD COLUMN admin INTEGER NOT NULL DEFAULT 0');
    }
    this.anyKey = database.prepare('SELECT 1 FROM api_keys LIMIT 1');
  }

  /**
   * Whether any key was ever created (revoked ones count: revoking the last key must not open the
   * server to everyone). From then on every request needs a valid key.
   */
  hasKeys(): boolean {
    return this.anyKey.get() !== undefined;
  }

  /** Creates a key; the returned `secret` is the only copy there will ever be. */
  create(input: CreateApiKeyInput): { record: ApiKeyRecord; secret: string } {
    const { row, secret } = newApiKeyRow(input, this.clock.nowMs());
    this.database
      .prepare(
        `INSERT INTO api_keys (id, name, prefix, secret_sha256, created_at_ms, revoked_at_ms,
           rate_limit_per_minute, monthly_budget_usd, admin)
         VALUES (@id, @name, @prefix, @secret_sha256, @created_at_ms, @revoked_at_ms,
           @rate_limit_per_minute, @monthly_budget_usd, @admin)`,
      )
      .run(row);
    return { record: apiKeyRecordOf(row), secret };
  }

  /** Every key, revoked ones included, oldest first (creation order breaks ties within one millisecond). */
  list(): ApiKeyRecord[] {
    return this.rows('SELECT * FROM api_keys ORDER BY created_at_ms, rowid').map(apiKeyRecordOf);
  }

  /**
   * Revokes the key with this id or display prefix and returns it; undefined when none matches. Revoking
   * a revoked key changes nothing (its first revocation time stays).
   */
  revoke(idOrPrefix: string): ApiKeyRecord | undefined {
    const matches = this.rows('SELECT * FROM api_keys WHERE id = ? OR prefix = ?', idOrPrefix, idOrPrefix);
    if (matches.length > 1)
      throw new AmbiguousApiKeyError(
        idOrPrefix,
        matches.map((row) => row.id),
      );
    const match = matches[0];
    if (!match) return undefined;
    if (match.revoked_at_ms === null) {
      match.revoked_at_ms = this.clock.nowMs();
      this.database
        .prepare('UPDATE api_keys SET revoked_at_ms = ? WHERE id = ? AND revoked_at_ms IS NULL')
        .run(match.revoked_at_ms, match.id);
    }
    return apiKeyRecordOf(match);
  }

  /** The live key this secret belongs to, or undefined (unknown, malformed or revoked). */
  verify(secret: string): ApiKeyRecord | undefined {
    if (!looksLikeApiKeySecret(secret)) return undefined;
    const hash = hashApiKeySecret(secret);
    const row = this.rows('SELECT * FROM api_keys WHERE secret_sha256 = ?', hash)[0];
    if (!row) return undefined;
    // The lookup already matched; the constant-time comparison keeps the final check free of early exits.
    if (!timingSafeEqual(Buffer.from(row.secret_sha256, 'hex'), Buffer.from(hash, 'hex'))) return undefined;
    if (row.revoked_at_ms !== null) return undefined;
    return apiKeyRecordOf(row);
  }

  private rows(sql: string, ...parameters: unknown[]): ApiKeyRow[] {
    return this.database
      .prepare(sql)
      .all(...parameters)
      .map((row) => apiKeyRowSchema.parse(row));
  }
}

/** Checks the input and makes the row and its secret (the only copy) for a new key. */
export function newApiKeyRow(input: CreateApiKeyInput, nowMs: number): { row: ApiKeyRow; secret: string } {
  const parsed = createApiKeyInputSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || 'input';
    const value = (input as Record<string, unknown>)[field];
    throw new RangeError(
      `Invalid API key ${field} ${JSON.stringify(value)}: ${issue?.message ?? 'invalid'}.`,
    );
  }
  const secret = generateApiKeySecret();
  const row: ApiKeyRow = {
    id: `key_${randomBase62(12)}`,
    name: parsed.data.name,
    prefix: secret.slice(0, API_KEY_DISPLAY_PREFIX_LENGTH),
    secret_sha256: hashApiKeySecret(secret),
    created_at_ms: nowMs,
    revoked_at_ms: null,
    rate_limit_per_minute: parsed.data.rateLimitPerMinute ?? null,
    monthly_budget_usd: parsed.data.monthlyBudgetUsd ?? null,
    admin: parsed.data.admin ? 1 : 0,
  };
  return { row, secret };
}

/** The record of a row; revoked keys keep their revocation time. */
export function apiKeyRecordOf(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAtMs: row.created_at_ms,
    ...(row.revoked_at_ms !== null ? { revokedAtMs: row.revoked_at_ms } : {}),
    ...(row.rate_limit_per_minute !== null ? { rateLimitPerMinute: row.rate_limit_per_minute } : {}),
    ...(row.monthly_budget_usd !== null ? { monthlyBudgetUsd: row.monthly_budget_usd } : {}),
    ...(row.admin === 1 ? { admin: true as const } : {}),
  };
}
