import { randomBytes } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import { z } from 'zod';

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'dead';

/** One webhook message and what happened to it. */
export interface WebhookDelivery {
  /** The `webhook-id` header (`msg_…`), stable across retries so receivers can deduplicate. */
  id: string;
  taskId: string;
  /** The API key whose task this delivery reports; absent for tasks made without a key. */
  apiKeyId?: string;
  url: string;
  eventType: string;
  /** The exact JSON body sent. */
  payload: string;
  status: WebhookDeliveryStatus;
  /** Attempts made so far. */
  attempts: number;
  createdAtMs: number;
  /** When the next attempt is due (pending deliveries only). */
  nextAttemptAtMs?: number;
  lastAttemptAtMs?: number;
  /** HTTP status of the last answer, when there was one. */
  lastStatusCode?: number;
  /** Why the last attempt failed. */
  lastError?: string;
  deliveredAtMs?: number;
  /** When the delivery gave up and became a dead letter. */
  deadAtMs?: number;
}

/** Integers arrive as numbers from SQLite and as strings from PostgreSQL's BIGINT. */
const integer = z.coerce.number().int();

/** One row of `webhook_deliveries`, the same table in SQLite and PostgreSQL. */
export const deliveryRowSchema = z.object({
  id: z.string(),
  task_id: z.string(),
  api_key_id: z.string().nullable(),
  url: z.string(),
  event_type: z.string(),
  payload: z.string(),
  status: z.enum(['pending', 'delivered', 'dead']),
  attempts: integer,
  created_at_ms: integer,
  next_attempt_at_ms: integer.nullable(),
  last_attempt_at_ms: integer.nullable(),
  last_status_code: integer.nullable(),
  last_error: z.string().nullable(),
  delivered_at_ms: integer.nullable(),
  dead_at_ms: integer.nullable(),
});
type DeliveryRow = z.infer<typeof deliveryRowSchema>;

/** The result of one attempt, as recorded. */
export type AttemptRecord =
  | { kind: 'delivered'; atMs: number; statusCode: number }
  | { kind: 'retry'; atMs: number; nextAttemptAtMs: number; statusCode?: number; error: string }
  | { kind: 'dead'; atMs: number; statusCode?: number; error: string };

/**
 * Whose deliveries a query covers: one key's (its id), those of tasks made without a key (null), or
 * every delivery (undefined, for admins and the dispatcher itself).
 */
export type DeliveryOwner = string | null | undefined;

export interface NewDelivery {
  taskId: string;
  apiKeyId?: string | undefined;
  url: string;
  eventType: string;
  payload: string;
  nowMs: number;
}

/**
 * Where webhook deliveries are kept: every message is a row before the first attempt, so none is lost.
 * `SqliteWebhookDeliveries` for one instance, `PostgresWebhookDeliveries` for several sharing one store
 * (each instance then attempts what any instance enqueued). Both pass the same contract suite.
 */
export interface WebhookDeliveryStore {
  /** Records a pending delivery due at once; answers its message id. */
  insert(input: NewDelivery): Promise<string>;
  /** Pending deliveries due at `nowMs`, earliest first. */
  due(nowMs: number, limit: number): Promise<WebhookDelivery[]>;
  /**
   * Takes a due delivery for one attempt by pushing its due time to `leaseUntilMs`; false when another
   * worker took it first. A process that dies mid-attempt leaves the delivery due again after the lease.
   */
  claim(delivery: WebhookDelivery, leaseUntilMs: number): Promise<boolean>;
  record(id: string, attempt: AttemptRecord): Promise<void>;
  /**
   * Puts a dead letter of `owner` back in the queue with a fresh attempt budget; false when there is no
   * such dead letter (or it is another key's).
   */
  revive(id: string, nowMs: number, owner?: DeliveryOwner): Promise<boolean>;
  get(id: string, owner?: DeliveryOwner): Promise<WebhookDelivery | undefined>;
  /** Dead letters of `owner`, newest message first; `beforeId` continues after the last one of a previous page. */
  dead(limit: number, beforeId: string | undefined, owner?: DeliveryOwner): Promise<WebhookDelivery[]>;
  forTask(taskId: string): Promise<WebhookDelivery[]>;
}

/** The column values an attempt record writes, for either database. */
export function attemptColumns(attempt: AttemptRecord) {
  return {
    atMs: attempt.atMs,
    status: attempt.kind === 'retry' ? 'pending' : attempt.kind,
    nextAttemptAtMs: attempt.kind === 'retry' ? attempt.nextAttemptAtMs : null,
    statusCode: attempt.statusCode ?? null,
    error: attempt.kind === 'delivered' ? null : attempt.error,
    deliveredAtMs: attempt.kind === 'delivered' ? attempt.atMs : null,
    deadAtMs: attempt.kind === 'dead' ? attempt.atMs : null,
  };
}

function ownerCondition(owner: DeliveryOwner): { sql: string; parameters: unknown[] } {
  if (owner === undefined) return { sql: '', parameters: [] };
  if (owner === null) return { sql: ' AND api_key_id IS NULL', parameters: [] };
  return { sql: ' AND api_key_id = ?', parameters: [owner] };
}

/** Webhook deliveries in the data directory's SQLite file. */
export class SqliteWebhookDeliveries implements WebhookDeliveryStore {
  constructor(private readonly database: BetterSqlite3.Database) {
    database.exec(`
      CREATE TABLE IF NOT EXISTS webhook_deliveries (
        id TEXT PRIMARY KEY,
        task_id TEXT NOT NULL,
        url TEXT NOT NULL,
        event_type TEXT NOT NULL,
        payload TEXT NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        created_at_ms INTEGER NOT NULL,
        next_attempt_at_ms INTEGER,
        last_attempt_at_ms INTEGER,
        last_status_code INTEGER,
        last_error TEXT,
        delivered_at_ms INTEGER,
        dead_at_ms INTEGER
      );
      CREATE INDEX IF NOT EXISTS webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at_ms);
      CREATE INDEX IF NOT EXISTS webhook_deliveries_by_task ON webhook_deliveries (task_id);
    `);
    // Deliveries belong to the key of their task; tables made before that get the column, unowned.
    const columns = database.prepare('PRAGMA table_info(webhook_deliveries)').all() as { name: string }[];
    if (!columns.some((column) => column.name === 'api_key_id')) {
      database.exec('ALTER TABLE webhook_deliveries ADD COLUMN api_key_id TEXT');
    }
  }

  async insert(input: NewDelivery): Promise<string> {
    const id = newMessageId(input.nowMs);
    this.database
      .prepare(
        `INSERT INTO webhook_deliveries (id, task_id, api_key_id, url, event_type, payload, status, attempts,
           created_at_ms, next_attempt_at_ms)
         VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)`,
      )
      .run(
        id,
        input.taskId,
        input.apiKeyId ?? null,
        input.url,
        input.eventType,
        input.payload,
        input.nowMs,
        input.nowMs,
      );
    return id;
  }

  async due(nowMs: number, limit: number): Promise<WebhookDelivery[]> {
    return this.select(
      `SELECT * FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at_ms <= ?
       ORDER BY next_attempt_at_ms, id LIMIT ?`,
      nowMs,
      limit,
    );
  }

  async claim(delivery: WebhookDelivery, leaseUntilMs: number): Promise<boolean> {
    const result = this.database
      .prepare(
        `UPDATE webhook_deliveries SET next_attempt_at_ms = ?
         WHERE id = ? AND status = 'pending' AND next_attempt_at_ms = ?`,
      )
      .run(leaseUntilMs, delivery.id, delivery.nextAttemptAtMs ?? null);
    return result.changes === 1;
  }

  async record(id: string, attempt: AttemptRecord): Promise<void> {
    this.database
      .prepare(
        `UPDATE webhook_deliveries SET
           attempts = attempts + 1, last_attempt_at_ms = @atMs, status = @status,
           next_attempt_at_ms = @nextAttemptAtMs, last_status_code = @statusCode, last_error = @error,
           delivered_at_ms = @deliveredAtMs, dead_at_ms = @deadAtMs
         WHERE id = @id`,
      )
      .run({ id, ...attemptColumns(attempt) });
  }

  async revive(id: string, nowMs: number, owner?: DeliveryOwner): Promise<boolean> {
    const scope = ownerCondition(owner);
    const result = this.database
      .prepare(
        `UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at_ms = ?, dead_at_ms = NULL
         WHERE id = ? AND status = 'dead'${scope.sql}`,
      )
      .run(nowMs, id, ...scope.parameters);
    return result.changes === 1;
  }

  async get(id: string, owner?: DeliveryOwner): Promise<WebhookDelivery | undefined> {
    const scope = ownerCondition(owner);
    return this.select(
      `SELECT * FROM webhook_deliveries WHERE id = ?${scope.sql}`,
      id,
      ...scope.parameters,
    )[0];
  }

  async dead(limit: number, beforeId: string | undefined, owner?: DeliveryOwner): Promise<WebhookDelivery[]> {
    const scope = ownerCondition(owner);
    return beforeId === undefined
      ? this.select(
          `SELECT * FROM webhook_deliveries WHERE status = 'dead'${scope.sql} ORDER BY id DESC LIMIT ?`,
          ...scope.parameters,
          limit,
        )
      : this.select(
          `SELECT * FROM webhook_deliveries WHERE status = 'dead' AND id < ?${scope.sql} ORDER BY id DESC LIMIT ?`,
          beforeId,
          ...scope.parameters,
          limit,
        );
  }

  async forTask(taskId: string): Promise<WebhookDelivery[]> {
    return this.select('SELECT * FROM webhook_deliveries WHERE task_id = ? ORDER BY id', taskId);
  }

  private select(sql: string, ...parameters: unknown[]): WebhookDelivery[] {
    return this.database
      .prepare(sql)
      .all(...parameters)
      .map((row) => deliveryOf(deliveryRowSchema.parse(row)));
  }
}

/** `msg_` + the creation time in fixed-width base 36 + randomness: ids sort by creation. */
export function newMessageId(nowMs: number): string {
  return `msg_${Math.max(0, nowMs).toString(36).padStart(10, '0')}${randomBytes(10).toString('hex')}`;
}

export function deliveryOf(row: DeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    taskId: row.task_id,
    ...(row.api_key_id !== null ? { apiKeyId: row.api_key_id } : {}),
    url: row.url,
    eventType: row.event_type,
    payload: row.payload,
    status: row.status,
    attempts: row.attempts,
    createdAtMs: row.created_at_ms,
    ...(row.status === 'pending' && row.next_attempt_at_ms !== null
      ? { nextAttemptAtMs: row.next_attempt_at_ms }
      : {}),
    ...(row.last_attempt_at_ms !== null ? { lastAttemptAtMs: row.last_attempt_at_ms } : {}),
    ...(row.last_status_code !== null ? { lastStatusCode: row.last_status_code } : {}),
    ...(row.last_error !== null ? { lastError: row.last_error } : {}),
    ...(row.delivered_at_ms !== null ? { deliveredAtMs: row.delivered_at_ms } : {}),
    ...(row.dead_at_ms !== null ? { deadAtMs: row.dead_at_ms } : {}),
  };
}
