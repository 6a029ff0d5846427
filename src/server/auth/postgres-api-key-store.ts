import { timingSafeEqual } from 'node:crypto';
import type pg from 'pg';
import { systemClock, type Clock } from '../../clock/index.js';
import { hashApiKeySecret, looksLikeApiKeySecret } from './api-key-secret.js';
import type { ApiKeyDirectory } from './api-key-directory.js';
import {
  AmbiguousApiKeyError,
  apiKeyRecordOf,
  apiKeyRowSchema,
  newApiKeyRow,
  type ApiKeyRecord,
  type ApiKeyRow,
  type CreateApiKeyInput,
} from './api-key-store.js';

const COLUMNS = `id, name, prefix, secret_sha256, created_at_ms::float8 AS created_at_ms,
  revoked_at_ms::float8 AS revoked_at_ms, rate_limit_per_minute, monthly_budget_usd, admin`;

/**
 * API keys in PostgreSQL (the `api_keys` table of the migrations), shared by every instance: a key made
 * or revoked on one is known to all at their next request. Same rules as the SQLite `ApiKeyStore`: only
 * the secret's SHA-256 is kept, revoked keys stay listed and never verify.
 */
export class PostgresApiKeyStore implements ApiKeyDirectory {
  private readonly clock: Clock;

  constructor(
    private readonly pool: pg.Pool,
    options: { /** Default: the system clock. */ clock?: Clock } = {},
  ) {
    this.clock = options.clock ?? systemClock;
  }

  async create(input: CreateApiKeyInput): Promise<{ record: ApiKeyRecord; secret: string }> {
    const { row, secret } = newApiKeyRow(input, this.clock.nowMs());
    await this.pool.query(
      `INSERT INTO api_keys (id, name, prefix, secret_sha256, created_at_ms, revoked_at_ms,
         rate_limit_per_minute, monthly_budget_usd, admin) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        row.id,
        row.name,
        row.prefix,
        row.secret_sha256,
        row.created_at_ms,
        row.revoked_at_ms,
        row.rate_limit_per_minute,
        row.monthly_budget_usd,
        row.admin,
      ],
    );
    return { record: apiKeyRecordOf(row), secret };
  }

  async hasKeys(): Promise<boolean> {
    return (await this.pool.query('SELECT 1 FROM api_keys LIMIT 1')).rowCount !== 0;
  }

  async list(): Promise<ApiKeyRecord[]> {
    return (await this.rows(`SELECT ${COLUMNS} FROM api_keys ORDER BY created_at_ms, position`)).map(
      apiKeyRecordOf,
    );
  }

  async revoke(idOrPrefix: string): Promise<ApiKeyRecord | undefined> {
    const matches = await this.rows(
      `SELECT ${COLUMNS} FROM api_keys WHERE id = $1 OR prefix = $1`,
      idOrPrefix,
    );
    if (matches.length > 1) {
      throw new AmbiguousApiKeyError(
        idOrPrefix,
        matches.map((row) => row.id),
      );
    }
    const match = matches[0];
    if (!match) return undefined;
    if (match.revoked_at_ms === null) {
      // Another instance may revoke it at the same moment: the first revocation time wins.
      const updated = await this.rows(
        `UPDATE api_keys SET revoked_at_ms = COALESCE(revoked_at_ms, $2) WHERE id = $1 RETURNING ${COLUMNS}`,
        match.id,
        this.clock.nowMs(),
      );
      return updated[0] ? apiKeyRecordOf(updated[0]) : undefined;
    }
    return apiKeyRecordOf(match);
  }

  async verify(secret: string): Promise<ApiKeyRecord | undefined> {
    if (!looksLikeApiKeySecret(secret)) return undefined;
    const hash = hashApiKeySecret(secret);
    const row = (await this.rows(`SELECT ${COLUMNS} FROM api_keys WHERE secret_sha256 = $1`, hash))[0];
    if (!row) return undefined;
    // The lookup already matched; the constant-time comparison keeps the final check free of early exits.
    if (!timingSafeEqual(Buffer.from(row.secret_sha256, 'hex'), Buffer.from(hash, 'hex'))) return undefined;
    if (row.revoked_at_ms !== null) return undefined;
    return apiKeyRecordOf(row);
  }

  private async rows(sql: string, ...parameters: unknown[]): Promise<ApiKeyRow[]> {
    const { rows } = await this.pool.query(sql, parameters);
    return rows.map((row) => apiKeyRowSchema.parse(row));
  }
}
