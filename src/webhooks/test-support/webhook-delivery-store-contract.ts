import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WebhookDeliveryStore } from '../webhook-delivery-store.js';

const startMs = Date.UTC(2026, 3, 1);
const message = {
  taskId: 'task_img_1',
  url: 'https://hooks.example/imagegate',
  eventType: 'task.succeeded',
  payload: '{"type":"task.succeeded"}',
};

/**
 * What every `WebhookDeliveryStore` must do. `createStore` answers a fresh, empty store and its cleanup;
 * `secondView` (when given) answers another handle on the same data, as a second instance would hold.
 */
export function describeWebhookDeliveryStoreContract(
  adapterName: string,
  createStore: () => Promise<{
    store: WebhookDeliveryStore;
    secondView: WebhookDeliveryStore;
    cleanup(): Promise<void>;
  }>,
): void {
  describe(`WebhookDeliveryStore contract: ${adapterName}`, () => {
    let store: WebhookDeliveryStore;
    let other: WebhookDeliveryStore;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      const created = await createStore();
      store = created.store;
      other = created.secondView;
      cleanup = created.cleanup;
    });
    afterEach(() => cleanup());

    it('keeps a message pending and due at once, with every field as given', async () => {
      const id = await store.insert({ ...message, apiKeyId: 'key_a', nowMs: startMs });
      expect(id).toMatch(/^msg_[0-9a-z]{10}[0-9a-f]{20}$/);
      const expected = {
        id,
        ...message,
        apiKeyId: 'key_a',
        status: 'pending',
        attempts: 0,
        createdAtMs: startMs,
        nextAttemptAtMs: startMs,
      };
      expect(await other.get(id)).toEqual(expected);
      expect(await other.due(startMs, 10)).toEqual([expected]);
      expect(await other.due(startMs - 1, 10)).toEqual([]);
      expect(await other.forTask('task_img_1')).toEqual([expected]);
    });

    it('lets exactly one of two instances claim a due delivery', async () => {
      await store.insert({ ...message, nowMs: startMs });
      const [seenByFirst] = await store.due(startMs, 10);
      const [seenBySecond] = await other.due(startMs, 10);
      const claims = await Promise.all([
        store.claim(seenByFirst!, startMs + 30_000),
        other.claim(seenBySecond!, startMs + 30_000),
      ]);
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await store.due(startMs + 29_999, 10)).toEqual([]);
      // A claimer that died mid-attempt: the delivery is due again after the lease.
      expect(await other.due(startMs + 30_000, 10)).toHaveLength(1);
    });

    it('records retries, delivery and dead letters', async () => {
      const retried = await store.insert({ ...message, nowMs: startMs });
      await store.record(retried, {
        kind: 'retry',
        atMs: startMs + 1,
        nextAttemptAtMs: startMs + 5_001,
        statusCode: 500,
        error: 'the receiver answered HTTP 500',
      });
      expect(await other.get(retried)).toMatchObject({
        status: 'pending',
        attempts: 1,
        nextAttemptAtMs: startMs + 5_001,
        lastAttemptAtMs: startMs + 1,
        lastStatusCode: 500,
        lastError: 'the receiver answered HTTP 500',
      });
      await store.record(retried, { kind: 'delivered', atMs: startMs + 5_002, statusCode: 204 });
      const delivered = await other.get(retried);
      expect(delivered).toMatchObject({ status: 'delivered', attempts: 2, deliveredAtMs: startMs + 5_002 });
      expect(delivered?.lastError).toBeUndefined();
      expect(delivered?.nextAttemptAtMs).toBeUndefined();

      const dead = await store.insert({ ...message, nowMs: startMs + 2 });
      await store.record(dead, { kind: 'dead', atMs: startMs + 3, error: 'refused address' });
      expect(await other.get(dead)).toMatchObject({ status: 'dead', deadAtMs: startMs + 3 });
      expect(await other.due(startMs + 10_000, 10)).toEqual([]);
    });

    it('pages dead letters newest first, by owner, and revives only the owner’s', async () => {
      const ids: string[] = [];
      for (const [index, apiKeyId] of ['key_a', 'key_b', 'key_a', undefined].entries()) {
        const id = await store.insert({ ...message, apiKeyId, nowMs: startMs + index });
        await store.record(id, { kind: 'dead', atMs: startMs + 10, error: 'gone' });
        ids.push(id);
      }
      const everyone = await other.dead(10, undefined);
      expect(everyone.map((delivery) => delivery.id)).toEqual([...ids].reverse());
      const firstPage = await other.dead(1, undefined, 'key_a');
      expect(firstPage.map((delivery) => delivery.id)).toEqual([ids[2]]);
      const secondPage = await other.dead(1, ids[2], 'key_a');
      expect(secondPage.map((delivery) => delivery.id)).toEqual([ids[0]]);
      expect((await other.dead(10, undefined, null)).map((delivery) => delivery.id)).toEqual([ids[3]]);

      expect(await other.get(ids[1]!, 'key_a')).toBeUndefined();
      expect(await other.revive(ids[1]!, startMs + 20, 'key_a')).toBe(false);
      expect(await other.revive(ids[1]!, startMs + 20, 'key_b')).toBe(true);
      expect(await other.revive(ids[1]!, startMs + 20, 'key_b')).toBe(false);
      expect(await store.get(ids[1]!)).toMatchObject({
        status: 'pending',
        attempts: 0,
        nextAttemptAtMs: startMs + 20,
      });
      expect(await store.due(startMs + 20, 10)).toHaveLength(1);
    });
  });
}
