import type pg from 'pg';
import {
  attemptColumns,
  deliveryOf,
  deliveryRowSchema,
  newMessageId,
  type AttemptRecord,
  type DeliveryOwner,
  type NewDelivery,
  type WebhookDelivery,
  type WebhookDeliveryStore,
} from './webhook-delivery-store.js';

/**
 * Webhook deliveries in the shared PostgreSQL store (the `webhook_deliveries` table its migrations make):
 * every instance sees every delivery and attempts what is due; `claim` lets only one of them attempt it.
 */
export class PostgresWebhookDeliveries implements WebhookDeliveryStore {
  constructor(private readonly pool: pg.Pool) {}

  async insert(input: NewDelivery): Promise<string> {
    const id = newMessageId(input.nowMs);
    await this.pool.query(
      `INSERT INTO webhook_deliveries (id, task_id, api_key_id, url, event_type, payload, status, attempts,
         created_at_ms, next_attempt_at_ms)
       VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, $7)`,
      [id, input.taskId, input.apiKeyId ?? null, input.url, input.eventType, input.payload, input.nowMs],
    );
    return id;
  }

  async due(nowMs: number, limit: number): Promise<WebhookDelivery[]> {
    return this.select(
      `SELECT * FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at_ms <= $1
       ORDER BY next_attempt_at_ms, id LIMIT $2`,
      [nowMs, limit],
    );
  }

  async claim(delivery: WebhookDelivery, leaseUntilMs: number): Promise<boolean> {
    const result = await this.pool.query(
      `UPDATE webhook_deliveries SET next_attempt_at_ms = $1
       WHERE id = $2 AND status = 'pending' AND next_attempt_at_ms = $3`,
      [leaseUntilMs, delivery.id, delivery.nextAttemptAtMs ?? null],
    );
    return result.rowCount === 1;
  }

  async record(id: string, attempt: AttemptRecord): Promise<void> {
    const columns = attemptColumns(attempt);
    await this.pool.query(
      `UPDATE webhook_deliveries SET
         attempts = attempts + 1, last_attempt_at_ms = $2, status = $3, next_attempt_at_ms = $4,
         last_status_code = $5, last_error = $6, delivered_at_ms = $7, dead_at_ms = $8
       WHERE id = $1`,
      [
        id,
        columns.atMs,
        columns.status,
        columns.nextAttemptAtMs,
        columns.statusCode,
        columns.error,
        columns.deliveredAtMs,
        columns.deadAtMs,
      ],
    );
  }

  async revive(id: string, nowMs: number, owner?: DeliveryOwner): Promise<boolean> {
    const scope = ownerCondition(owner, 3);
    const result = await this.pool.query(
      `UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at_ms = $1, dead_at_ms = NULL
       WHERE id = $2 AND status = 'dead'${scope.sql}`,
      [nowMs, id, ...scope.parameters],
    );
    return result.rowCount === 1;
  }

  async get(id: string, owner?: DeliveryOwner): Promise<WebhookDelivery | undefined> {
    const scope = ownerCondition(owner, 2);
    const rows = await this.select(`SELECT * FROM webhook_deliveries WHERE id = $1${scope.sql}`, [
      id,
      ...scope.parameters,
    ]);
    return rows[0];
  }

  async dead(limit: number, beforeId: string | undefined, owner?: DeliveryOwner): Promise<WebhookDelivery[]> {
    const after = beforeId === undefined ? [] : [beforeId];
    const scope = ownerCondition(owner, after.length + 1);
    const limitPlaceholder = `$${after.length + scope.parameters.length + 1}`;
    return this.select(
      `SELECT * FROM webhook_deliveries WHERE status = 'dead'${beforeId === undefined ? '' : ' AND id < $1'}${scope.sql}
       ORDER BY id DESC LIMIT ${limitPlaceholder}`,
      [...after, ...scope.parameters, limit],
    );
  }

  async forTask(taskId: string): Promise<WebhookDelivery[]> {
    return this.select('SELECT * FROM webhook_deliveries WHERE task_id = $1 ORDER BY id', [taskId]);
  }

  private async select(sql: string, parameters: unknown[]): Promise<WebhookDelivery[]> {
    const { rows } = await this.pool.query(sql, parameters);
    return rows.map((row) => deliveryOf(deliveryRowSchema.parse(row)));
  }
}

/** The owner clause with its placeholder numbered from `firstPlaceholder` (see `DeliveryOwner`). */
function ownerCondition(
  owner: DeliveryOwner,
  firstPlaceholder: number,
): { sql: string; parameters: unknown[] } {
  if (owner === undefined) return { sql: '', parameters: [] };
  if (owner === null) return { sql: ' AND api_key_id IS NULL', parameters: [] };
  return { sql: ` AND api_key_id = $${firstPlaceholder}`, parameters: [owner] };
}
