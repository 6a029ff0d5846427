import { describe, expect, it } from 'vitest';
import { openPostgresPool } from './postgres-connection.js';
import { migratePostgres, postgresMigrationNames } from './postgres-migrations.js';
import { PostgresTaskStore } from './postgres-task-store.js';
import { newTaskId } from './task-id.js';
import { BudgetExceededError, type NewTask } from './task-store.js';
import { claimed } from './task-transitions.js';
import { describeTaskStoreContract } from './test-support/task-store-contract.js';
import {
  postgresAvailable,
  temporaryPostgresSchema,
  testPostgresUrl,
} from './test-support/temporary-postgres.js';

const available = await postgresAvailable();

describe.skipIf(!available)('PostgreSQL task store', () => {
  const schema = temporaryPostgresSchema();

  describeTaskStoreContract('PostgreSQL', async () => {
    const temporary = await schema();
    await temporary.truncate();
    const store = new PostgresTaskStore(temporary.pool());
    return { store, cleanup: () => store.close() };
  });

  const startMs = Date.UTC(2026, 2, 1, 12);
  const leaseMs = 30_000;
  const newTask = (createdAtMs: number): NewTask => ({
    id: newTaskId(createdAtMs),
    request: {
      model: 'image_fast',
      prompt: 'p',
      outputFormat: 'png',
      references: [],
      history: [],
      imageCount: 1,
    },
    metadata: {},
    createdAtMs,
  });

  describe('several instances on one database', () => {
    it('three stores claiming at once never hand out a task twice while its lease is live', async () => {
      const temporary = await schema();
      await temporary.truncate();
      const stores = [0, 1, 2].map(() => new PostgresTaskStore(temporary.pool()));
      try {
        const created = new Set<string>();
        for (let index = 0; index < 60; index += 1) {
          created.add((await stores[index % 3]!.create(newTask(startMs + index))).task.id);
        }
        const claimedBy = new Map<string, number>();
        for (let round = 0; round < 25; round += 1) {
          const claims = await Promise.all(
            stores.flatMap((store, index) => [
              store.claim(`worker-${index}-a`, startMs + 100, leaseMs),
              store.claim(`worker-${index}-b`, startMs + 100, leaseMs),
            ]),
          );
          for (const claim of claims) {
            if (!claim) continue;
            expect(claimedBy.has(claim.task.id), `${claim.task.id} claimed twice`).toBe(false);
            claimedBy.set(claim.task.id, claim.lease.fencingToken);
          }
        }
        expect(new Set(claimedBy.keys())).toEqual(created);
        expect(await stores[0]!.claim('late', startMs + 100 + leaseMs - 1, leaseMs)).toBeUndefined();
        expect((await stores[1]!.claim('late', startMs + 100 + leaseMs, leaseMs))?.lease.fencingToken).toBe(
          2,
        );
      } finally {
        await Promise.all(stores.map((store) => store.close()));
      }
    });

    it('concurrent creates with one idempotency key make one task', async () => {
      const temporary = await schema();
      await temporary.truncate();
      const stores = [0, 1, 2].map(() => new PostgresTaskStore(temporary.pool()));
      try {
        const claim = { key: 'key_1:same', requestHash: 'h', expiresAtMs: startMs + 60_000 };
        const results = await Promise.all(
          Array.from({ length: 12 }, (_, index) =>
            stores[index % 3]!.create(newTask(startMs + index), claim, startMs + index),
          ),
        );
        expect(new Set(results.map((result) => result.task.id)).size).toBe(1);
        expect(results.filter((result) => result.created)).toHaveLength(1);
      } finally {
        await Promise.all(stores.map((store) => store.close()));
      }
    });
  });

  describe('writes in one statement', () => {
    it('a claim stores what `claimed` computes, for a queued task and for one whose lease expired', async () => {
      const temporary = await schema();
      await temporary.truncate();
      const store = new PostgresTaskStore(temporary.pool());
      try {
        const { task } = await store.create(newTask(startMs));
        const first = await store.claim('worker-a', startMs + 10, leaseMs);
        const firstExpected = claimed(task, 'worker-a', startMs + 10, leaseMs, false);
        expect(first).toEqual({ task: firstExpected.record, lease: firstExpected.lease });
        expect(await store.get(task.id)).toEqual(firstExpected.record);

        const reclaimedAtMs = startMs + 10 + leaseMs;
        const second = await store.claim('worker-b', reclaimedAtMs, leaseMs);
        const secondExpected = claimed(firstExpected.record, 'worker-b', reclaimedAtMs, leaseMs, true);
        expect(second).toEqual({ task: secondExpected.record, lease: secondExpected.lease });
        expect(await store.get(task.id)).toEqual(secondExpected.record);
        const events = await store.eventsAfter(task.id, 0);
        expect(events.map((event) => [event.sequence, event.type, event.atMs, event.data])).toEqual([
          [1, 'queued', startMs, {}],
          [2, 'processing', startMs + 10, firstExpected.event?.data],
          [3, 'processing', reclaimedAtMs, secondExpected.event?.data],
        ]);
      } finally {
        await store.close();
      }
    });

    it("a worker's write after another instance changed the task applies to the task as it is now", async () => {
      const temporary = await schema();
      await temporary.truncate();
      const [worker, other] = [0, 1].map(() => new PostgresTaskStore(temporary.pool()));
      try {
        const { task } = await worker!.create(newTask(startMs));
        const claim = await worker!.claim('worker-a', startMs, leaseMs);
        expect(await worker!.setProgress(claim!.lease, 10, startMs + 1)).toBe(true);
        // The worker's store last wrote progress 10; the other instance marks the cancel since.
        await other!.requestCancel(task.id, startMs + 2);
        expect(await worker!.setProgress(claim!.lease, 90, startMs + 3)).toBe(true);
        expect(await worker!.get(task.id)).toMatchObject({ progress: 90, cancelRequested: true });

        const events = await worker!.eventsAfter(task.id, 0);
        expect(events.map((event) => [event.sequence, event.type])).toEqual([
          [1, 'queued'],
          [2, 'processing'],
          [3, 'progress'],
          [4, 'progress'],
        ]);
        // Once the lease expired, the other instance finishes the cancel: the old lease writes nothing.
        expect(await other!.claim('worker-b', startMs + leaseMs + 5, leaseMs)).toBeUndefined();
        expect(await worker!.heartbeat(claim!.lease, startMs + leaseMs + 6, leaseMs)).toBe(false);
        expect((await worker!.get(task.id))?.status).toBe('cancelled');
      } finally {
        await Promise.all([worker!.close(), other!.close()]);
      }
    });
  });

  describe('budgets across instances', () => {
    it('three stores creating at once admit no more than a $1 budget holds', async () => {
      const temporary = await schema();
      await temporary.truncate();
      const stores = [0, 1, 2].map(() => new PostgresTaskStore(temporary.pool()));
      try {
        const budget = { sinceMs: startMs, caps: [{ apiKeyId: 'key_1', limitUsd: 1 }, { limitUsd: 50 }] };
        const results = await Promise.allSettled(
          Array.from({ length: 60 }, (_, index) =>
            stores[index % 3]!.create(
              { ...newTask(startMs + index), apiKeyId: 'key_1', estimatedCostUsd: 0.039 },
              undefined,
              startMs + index,
              budget,
            ),
          ),
        );
        // floor(1 / 0.039) = 25: never more, whichever instance took the submit.
        expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(25);
        for (const result of results) {
          if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(BudgetExceededError);
        }
      } finally {
        await Promise.all(stores.map((store) => store.close()));
      }
    });
  });

  describe('migrations', () => {
    it('are idempotent and refuse a schema migrated by a newer imagegate', async () => {
      const temporary = await schema();
      const pool = temporary.pool();
      try {
        expect(await migratePostgres(pool, { schema: temporary.name })).toEqual({ applied: [] });
        await pool.query(
          `INSERT INTO ${temporary.name}.kysely_migration (name, timestamp) VALUES ('9999-from-the-future', '2099-01-01')`,
        );
        await expect(migratePostgres(pool, { schema: temporary.name })).rejects.toThrow(/newer imagegate/);
        await pool.query(
          `DELETE FROM ${temporary.name}.kysely_migration WHERE name = '9999-from-the-future'`,
        );
        expect(postgresMigrationNames.length).toBeGreaterThan(0);
      } finally {
        await pool.end();
      }
    });

    it('refuses a URL that is not PostgreSQL, naming what is allowed', () => {
      expect(() => openPostgresPool('mysql://x')).toThrow(/postgres:\/\//);
      expect(() => openPostgresPool(testPostgresUrl, { schema: 'Robert; DROP' })).toThrow(/lower-case/);
    });
  });
});
