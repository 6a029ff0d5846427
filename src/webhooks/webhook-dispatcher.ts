import type BetterSqlite3 from 'better-sqlite3';
import { systemClock, type Clock } from '../clock/index.js';
import { safeFetch, SafeFetchError, SsrfRefusedError } from '../net/index.js';
import { signWebhook, webhookSecretKey } from './sign-webhook.js';
import {
  SqliteWebhookDeliveries,
  type WebhookDeliveryStore,
  type AttemptRecord,
  type DeliveryOwner,
  type WebhookDelivery,
} from './webhook-delivery-store.js';

/**
 * Waits after the first, second… failed attempt: the Standard Webhooks schedule (5 s, 5 min, 30 min,
 * 2 h, 5 h, 10 h, 10 h), eight attempts spread over a little more than a day.
 */
export const DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS: readonly number[] = [
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
  10 * 3_600_000,
  10 * 3_600_000,
];

/** How long one attempt may take before it counts as failed. */
export const WEBHOOK_ATTEMPT_TIMEOUT_MS = 15_000;
/** Receivers' answers are not used; reading more than this much of one is pointless. */
const RESPONSE_BYTES_KEPT = 64 * 1024;
/** Deliveries attempted per `deliverDue` call, and at the same time. */
const BATCH_SIZE = 100;
const PARALLEL_ATTEMPTS = 8;

export type WebhookDispatcherOptions = WebhookDispatcherSettings &
  (
    | {
        /** Keeps deliveries in this SQLite database (one instance). */
        database: BetterSqlite3.Database;
      }
    | {
        /** Keeps deliveries here (PostgreSQL for several instances sharing them). */
        store: WebhookDeliveryStore;
      }
  );

export interface WebhookDispatcherSettings {
  /** Signing secret, `whsec_<base64>` (see `generateWebhookSecret`). */
  secret: string;
  /** Default: the system clock. */
  clock?: Clock;
  /** Let webhooks reach private, loopback and link-local addresses. Default: false. */
  allowPrivateNetworks?: boolean;
  /** The HTTP client. Default: `safeFetch`. */
  fetch?: typeof safeFetch;
  /** Waits after each failed attempt; one attempt more than entries. Default: `DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS`. */
  retryScheduleMs?: readonly number[];
  /** Receives errors of the polling loop started by `start()`. Default: ignored. */
  onError?: (error: unknown) => void;
}

/**
 * Sends task events to webhook URLs with Standard Webhooks signatures, retrying on the schedule and
 * keeping what could not be delivered as dead letters. Delivery is at least once: receivers should
 * deduplicate on `webhook-id`.
 */
export class WebhookDispatcher {
  private readonly store: WebhookDeliveryStore;
  private readonly clock: Clock;
  private readonly fetch: typeof safeFetch;
  private readonly retryScheduleMs: readonly number[];
  private polling: { controller: AbortController; loop: Promise<void> } | undefined;

  constructor(private readonly options: WebhookDispatcherOptions) {
    webhookSecretKey(options.secret);
    this.store = 'store' in options ? options.store : new SqliteWebhookDeliveries(options.database);
    this.clock = options.clock ?? systemClock;
    this.fetch = options.fetch ?? safeFetch;
    this.retryScheduleMs = options.retryScheduleMs ?? DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS;
  }

  /** Records the message durably; the first attempt is due at once. */
  async enqueue(input: {
    taskId: string;
    /** The key that owns the task; its dead letters are listed and redelivered by that key only. */
    apiKeyId?: string | undefined;
    url: string;
    eventType: string;
    payload: unknown;
  }): Promise<{
    deliveryId: string;
  }> {
    const nowMs = this.clock.nowMs();
    const body = JSON.stringify({
      type: input.eventType,
      timestamp: new Date(nowMs).toISOString(),
      data: input.payload,
    });
    const deliveryId = await this.store.insert({
      taskId: input.taskId,
      apiKeyId: input.apiKeyId,
      url: input.url,
      eventType: input.eventType,
      payload: body,
      nowMs,
    });
    return { deliveryId };
  }

  /** Attempts every delivery that is due, once each; resolves with the number attempted. */
  async deliverDue(): Promise<number> {
    const nowMs = this.clock.nowMs();
    const due: WebhookDelivery[] = [];
    for (const delivery of await this.store.due(nowMs, BATCH_SIZE)) {
      if (await this.store.claim(delivery, nowMs + 2 * WEBHOOK_ATTEMPT_TIMEOUT_MS)) due.push(delivery);
    }
    for (let index = 0; index < due.length; index += PARALLEL_ATTEMPTS) {
      await Promise.all(
        due.slice(index, index + PARALLEL_ATTEMPTS).map((delivery) => this.attempt(delivery)),
      );
    }
    return due.length;
  }

  /** Polls for due deliveries every `pollIntervalMs` (default 1000) until `stop()`. */
  start(pollIntervalMs = 1_000): void {
    if (this.polling) return;
    const controller = new AbortController();
    const loop = (async () => {
      while (!controller.signal.aborted) {
        await this.deliverDue().catch((error: unknown) => this.options.onError?.(error));
        await this.clock.sleep(pollIntervalMs, controller.signal).catch(() => undefined);
      }
    })();
    this.polling = { controller, loop };
  }

  /** Stops polling; resolves once the attempts in flight have finished. */
  async stop(): Promise<void> {
    const polling = this.polling;
    if (!polling) return;
    this.polling = undefined;
    polling.controller.abort();
    await polling.loop;
  }

  /** Deliveries that gave up, newest first, a page at a time; only `owner`'s when given (see `DeliveryOwner`). */
  async deadLetters(options: { limit?: number; cursor?: string; owner?: DeliveryOwner } = {}): Promise<{
    deliveries: WebhookDelivery[];
    nextCursor?: string;
  }> {
    const limit = Math.min(Math.max(Math.trunc(options.limit ?? 50), 1), 500);
    const page = await this.store.dead(limit + 1, options.cursor, options.owner);
    const deliveries = page.slice(0, limit);
    const last = deliveries.at(-1);
    return page.length > limit && last ? { deliveries, nextCursor: last.id } : { deliveries };
  }

  /** Every delivery of one task, oldest first. */
  deliveries(taskId: string): Promise<WebhookDelivery[]> {
    return this.store.forTask(taskId);
  }

  /** One delivery by id (only if `owner`'s, when given). */
  delivery(deliveryId: string, owner?: DeliveryOwner): Promise<WebhookDelivery | undefined> {
    return this.store.get(deliveryId, owner);
  }

  /**
   * Sends a dead letter again with a fresh retry budget; false when there is no such dead letter, or
   * it is not `owner`'s (when given).
   */
  redeliver(deliveryId: string, owner?: DeliveryOwner): Promise<boolean> {
    return this.store.revive(deliveryId, this.clock.nowMs(), owner);
  }

  private async attempt(delivery: WebhookDelivery): Promise<void> {
    const atMs = this.clock.nowMs();
    const timestampSeconds = Math.floor(atMs / 1000);
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'imagegate-webhooks',
      'webhook-id': delivery.id,
      'webhook-timestamp': String(timestampSeconds),
      'webhook-signature': signWebhook({
        secret: this.options.secret,
        messageId: delivery.id,
        timestampSeconds,
        payload: delivery.payload,
      }),
    };
    let outcome: AttemptRecord;
    try {
      const response = await this.fetch(delivery.url, {
        method: 'POST',
        headers,
        body: delivery.payload,
        allowPrivateNetworks: this.options.allowPrivateNetworks ?? false,
        timeoutMs: WEBHOOK_ATTEMPT_TIMEOUT_MS,
        maxBytes: RESPONSE_BYTES_KEPT,
        // Standard Webhooks: a redirect is a failed attempt, never followed.
        maxRedirects: 0,
      });
      outcome =
        response.status >= 200 && response.status < 300
          ? { kind: 'delivered', atMs, statusCode: response.status }
          : this.failure(delivery, atMs, `the receiver answered HTTP ${response.status}`, response.status);
    } catch (error) {
      outcome = this.failureFromError(delivery, atMs, error);
    }
    await this.store.record(delivery.id, outcome);
  }

  private failureFromError(delivery: WebhookDelivery, atMs: number, error: unknown): AttemptRecord {
    const message = error instanceof Error ? error.message : String(error);
    // A refused address or a malformed URL will not fix itself by waiting.
    if (
      error instanceof SsrfRefusedError ||
      (error instanceof SafeFetchError && error.failure === 'invalid_url')
    ) {
      return { kind: 'dead', atMs, error: message };
    }
    if (error instanceof SafeFetchError && error.failure === 'too_many_redirects') {
      return this.failure(
        delivery,
        atMs,
        'the receiver answered with a redirect; webhook redirects are not followed',
      );
    }
    return this.failure(delivery, atMs, message);
  }

  private failure(
    delivery: WebhookDelivery,
    atMs: number,
    error: string,
    statusCode?: number,
  ): AttemptRecord {
    const waitMs = this.retryScheduleMs[delivery.attempts];
    const status = statusCode !== undefined ? { statusCode } : {};
    if (waitMs === undefined) {
      return {
        kind: 'dead',
        atMs,
        error: `${error} (gave up after ${delivery.attempts + 1} attempts)`,
        ...status,
      };
    }
    return { kind: 'retry', atMs, nextAttemptAtMs: atMs + waitMs, error, ...status };
  }
}
