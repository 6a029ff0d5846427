import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Attempt } from '../../engine/index.js';
import { newTaskId } from '../task-id.js';
import type { TaskRecord, TaskRequest } from '../task-record.js';
import {
  BudgetExceededError,
  IdempotencyConflictError,
  type Lease,
  type NewTask,
  type TaskCompletion,
  type TaskStore,
} from '../task-store.js';

const startMs = Date.UTC(2026, 2, 1, 12);
const leaseMs = 30_000;

function request(overrides: Partial<TaskRequest> = {}): TaskRequest {
  return {
    model: 'image_fast',
    prompt: 'a lighthouse at dusk',
    outputFormat: 'png',
    references: [],
    history: [],
    imageCount: 1,
    ...overrides,
  };
}

function newTask(createdAtMs: number, overrides: Partial<NewTask> = {}): NewTask {
  return { id: newTaskId(createdAtMs), request: request(), metadata: {}, createdAtMs, ...overrides };
}

function attempt(startedAtMs: number): Attempt {
  return {
    modelId: 'model-a',
    platform: 'gemini-api',
    outcome: 'unavailable',
    httpStatus: 503,
    message: 'overloaded',
    startedAtMs,
    latencyMs: 120,
    waitedBeforeMs: 0,
  };
}

const success: Extract<TaskCompletion, { status: 'success' }> = {
  status: 'success',
  result: {
    images: [{ sha256: 'f'.repeat(64), mimeType: 'image/png', width: 1024, height: 1024 }],
    text: 'here it is',
    nextTurnContents: [{ role: 'model', parts: [{ text: 'here it is' }] }],
  },
  attempts: [attempt(startMs)],
  warnings: ['dropped seed'],
  usage: {
    promptTokens: 10,
    outputTextTokens: 3,
    outputImageTokens: 1290,
    thoughtsTokens: 0,
    totalTokens: 1303,
  },
  actualCostUsd: 0.039,
  servedBy: { modelId: 'model-a', platform: 'gemini-api' },
};

const failure: Extract<TaskCompletion, { status: 'failed' | 'cancelled' }> = {
  status: 'failed',
  error: { type: 'model_retired', code: '404', message: 'gone' },
  attempts: [],
  warnings: [],
};

/**
 * The behaviour every `TaskStore` adapter must show, as one vitest suite. An adapter's test file calls
 * this with a factory that returns a fresh, empty store and a cleanup.
 */
export function describeTaskStoreContract(
  adapterName: string,
  createStore: () => Promise<{ store: TaskStore; cleanup(): Promise<void> }>,
): void {
  describe(`TaskStore contract: ${adapterName}`, () => {
    let store: TaskStore;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, cleanup } = await createStore());
    });
    afterEach(async () => {
      await cleanup();
    });

    async function claimOne(workerId: string, nowMs: number): Promise<{ task: TaskRecord; lease: Lease }> {
      const claimed = await store.claim(workerId, nowMs, leaseMs);
      if (!claimed) throw new Error(`expected ${workerId} to claim a task at ${nowMs}`);
      return claimed;
    }

    describe('create and get', () => {
      it('commits a queued task with its first event', async () => {
        const input = newTask(startMs, {
          metadata: { order: '42' },
          webhookUrl: 'https://hooks.example/done',
          apiKeyId: 'key_1',
          estimatedCostUsd: 0.04,
        });
        const { task, created } = await store.create(input);
        expect(created).toBe(true);
        expect(task).toMatchObject({
          id: input.id,
          status: 'queued',
          progress: 0,
          metadata: { order: '42' },
          webhookUrl: 'https://hooks.example/done',
          apiKeyId: 'key_1',
          estimatedCostUsd: 0.04,
          runAfterMs: startMs,
          claimCount: 0,
          cancelRequested: false,
          attempts: [],
        });
        expect(await store.get(input.id)).toEqual(task);
        expect(await store.eventsAfter(input.id, 0)).toEqual([
          { taskId: input.id, sequence: 1, type: 'queued', atMs: startMs, data: {} },
        ]);
      });

      it('returns undefined for an unknown id', async () => {
        expect(await store.get('task_img_00000000000000000000000000')).toBeUndefined();
      });
    });

    describe('idempotency', () => {
      const claim = { key: 'key_1:order-42', requestHash: 'hash-a', expiresAtMs: startMs + 86_400_000 };

      it('returns the first task for the same key and body', async () => {
        const first = await store.create(newTask(startMs), claim, startMs);
        const again = await store.create(newTask(startMs + 1), claim, startMs + 1);
        expect(again).toEqual({ task: first.task, created: false });
        expect((await store.list({})).tasks.map((task) => task.id)).toEqual([first.task.id]);
      });

      it('refuses the same key with another body, naming the first task', async () => {
        const first = await store.create(newTask(startMs), claim, startMs);
        const attempt = store.create(newTask(startMs + 1), { ...claim, requestHash: 'hash-b' }, startMs + 1);
        await expect(attempt).rejects.toBeInstanceOf(IdempotencyConflictError);
        await expect(attempt).rejects.toMatchObject({ existingTaskId: first.task.id });
        expect((await store.list({})).tasks).toHaveLength(1);
      });

      it('finds the task of a live claim without creating one, and refuses another body', async () => {
        expect(await store.findIdempotent(claim, startMs)).toBeUndefined();
        const first = await store.create(newTask(startMs), claim, startMs);
        expect(await store.findIdempotent(claim, startMs + 1)).toEqual(first.task);
        const other = store.findIdempotent({ ...claim, requestHash: 'hash-b' }, startMs + 1);
        await expect(other).rejects.toBeInstanceOf(IdempotencyConflictError);
        await expect(other).rejects.toMatchObject({ existingTaskId: first.task.id });
        expect(await store.findIdempotent(claim, claim.expiresAtMs)).toBeUndefined();
        expect((await store.list({})).tasks).toHaveLength(1);
      });

      it('ignores an expired claim and creates a new task', async () => {
        const first = await store.create(newTask(startMs), claim, startMs);
        const later = await store.create(
          newTask(claim.expiresAtMs),
          { ...claim, requestHash: 'hash-b', expiresAtMs: claim.expiresAtMs + 86_400_000 },
          claim.expiresAtMs,
        );
        expect(later.created).toBe(true);
        expect(later.task.id).not.toBe(first.task.id);
        const third = await store.create(
          newTask(claim.expiresAtMs + 1),
          { ...claim, requestHash: 'hash-b', expiresAtMs: claim.expiresAtMs + 2 * 86_400_000 },
          claim.expiresAtMs + 1,
        );
        expect(third).toEqual({ task: later.task, created: false });
      });

      it('keeps keys apart', async () => {
        const first = await store.create(newTask(startMs), claim, startMs);
        const other = await store.create(
          newTask(startMs + 1),
          { ...claim, key: 'key_2:order-42' },
          startMs + 1,
        );
        expect(other.created).toBe(true);
        expect(other.task.id).not.toBe(first.task.id);
      });
    });

    describe('claim', () => {
      it('returns nothing when no task is claimable', async () => {
        expect(await store.claim('worker-a', startMs, leaseMs)).toBeUndefined();
      });

      it('claims the oldest task with a lease and a new fencing token, once', async () => {
        const older = await store.create(newTask(startMs));
        const newer = await store.create(newTask(startMs + 5));
        const { task, lease } = await claimOne('worker-a', startMs + 10);
        expect(task.id).toBe(older.task.id);
        expect(task).toMatchObject({
          status: 'processing',
          claimCount: 1,
          fencingToken: 1,
          leaseOwner: 'worker-a',
          leaseExpiresAtMs: startMs + 10 + leaseMs,
          startedAtMs: startMs + 10,
        });
        expect(lease).toEqual({ taskId: older.task.id, workerId: 'worker-a', fencingToken: 1 });
        expect((await claimOne('worker-b', startMs + 11)).task.id).toBe(newer.task.id);
        expect(await store.claim('worker-c', startMs + 12, leaseMs)).toBeUndefined();
      });

      it('waits for runAfterMs', async () => {
        const { task } = await store.create(newTask(startMs));
        const { lease } = await claimOne('worker-a', startMs);
        expect(await store.reschedule(lease, startMs + 60_000, 'rate_limited', startMs + 1)).toBe(true);
        expect(await store.claim('worker-a', startMs + 59_999, leaseMs)).toBeUndefined();
        expect((await claimOne('worker-a', startMs + 60_000)).task.id).toBe(task.id);
      });

      it('claims the task due longest first', async () => {
        const older = await store.create(newTask(startMs));
        const newer = await store.create(newTask(startMs + 5));
        const { lease } = await claimOne('worker-a', startMs + 10);
        await store.reschedule(lease, startMs + 20, 'unavailable', startMs + 10);
        expect((await claimOne('worker-a', startMs + 30)).task.id).toBe(newer.task.id);
        expect((await claimOne('worker-a', startMs + 30)).task.id).toBe(older.task.id);
      });

      it('parks a task until a time without counting the run', async () => {
        const { task } = await store.create(newTask(startMs));
        const { lease } = await claimOne('worker-a', startMs);
        expect(await store.park(lease, startMs + 5_000, 'unavailable: circuit open', startMs + 1)).toBe(true);
        expect(await store.get(task.id)).toMatchObject({
          status: 'queued',
          claimCount: 0,
          runAfterMs: startMs + 5_000,
          fencingToken: 1,
        });
        expect((await store.eventsAfter(task.id, 2)).map((event) => [event.type, event.data])).toEqual([
          ['rescheduled', { runAfterMs: startMs + 5_000, reason: 'unavailable: circuit open', parked: true }],
        ]);
        expect(await store.claim('worker-a', startMs + 4_999, leaseMs)).toBeUndefined();
        const again = await claimOne('worker-a', startMs + 5_000);
        expect(again.task).toMatchObject({ id: task.id, claimCount: 1, fencingToken: 2 });
        expect(await store.park(lease, startMs + 9_000, 'stale', startMs + 5_001)).toBe(false);
      });

      it("parks a model's queued tasks due before a time in one go, and no other task", async () => {
        const due = await store.create(newTask(startMs));
        const later = await store.create(newTask(startMs + 1, { request: request() }));
        const other = await store.create(
          newTask(startMs + 2, { request: request({ model: 'image_quality' }) }),
        );
        const beyond = await store.create(newTask(startMs + 3));
        const { lease } = await claimOne('worker-a', startMs + 3);
        expect(lease.taskId).toBe(due.task.id);
        await store.reschedule(lease, startMs + 60_000, 'unavailable', startMs + 3);
        const { lease: beyondLease } = await claimOne('worker-a', startMs + 3);
        expect(beyondLease.taskId).toBe(later.task.id);
        await store.reschedule(beyondLease, startMs + 10, 'unavailable', startMs + 3);

        expect(await store.parkQueued('image_fast', startMs + 5_000, startMs + 4)).toBe(2);
        expect(await store.get(later.task.id)).toMatchObject({
          runAfterMs: startMs + 5_000,
          updatedAtMs: startMs + 4,
        });
        expect(await store.get(beyond.task.id)).toMatchObject({ runAfterMs: startMs + 5_000 });
        expect(await store.get(due.task.id)).toMatchObject({ runAfterMs: startMs + 60_000 });
        expect(await store.get(other.task.id)).toMatchObject({ runAfterMs: startMs + 2 });
        expect((await claimOne('worker-a', startMs + 4_999)).task.id).toBe(other.task.id);
        expect(await store.claim('worker-a', startMs + 4_999, leaseMs)).toBeUndefined();
        expect((await claimOne('worker-a', startMs + 5_000)).task.id).toBe(later.task.id);
        expect((await claimOne('worker-a', startMs + 5_000)).task.id).toBe(beyond.task.id);
      });

      it('unparks exactly the tasks a parkQueued moved, when their route answers again', async () => {
        const movedOnSince = await store.create(newTask(startMs));
        const stillParked = await store.create(newTask(startMs + 1));
        expect(await store.parkQueued('image_fast', startMs + 60_000, startMs + 3)).toBe(2);
        // One of them came due, ran and was rescheduled for another reason: it stays where it is.
        const { lease } = await claimOne('worker-a', startMs + 60_000);
        expect(lease.taskId).toBe(movedOnSince.task.id);
        await store.reschedule(lease, startMs + 90_000, 'rate_limited', startMs + 60_000);

        expect(await store.unparkQueued('image_fast', startMs + 60_000, startMs + 10)).toBe(1);
        expect(await store.get(stillParked.task.id)).toMatchObject({ runAfterMs: startMs + 10 });
        expect((await store.get(movedOnSince.task.id))?.runAfterMs).toBe(startMs + 90_000);
        expect((await claimOne('worker-a', startMs + 10)).task.id).toBe(stillParked.task.id);
      });

      it('hands a task whose lease expired to another worker with a higher token', async () => {
        const { task } = await store.create(newTask(startMs));
        const first = await claimOne('worker-a', startMs);
        expect(await store.claim('worker-b', startMs + leaseMs - 1, leaseMs)).toBeUndefined();
        const second = await claimOne('worker-b', startMs + leaseMs);
        expect(second.task.id).toBe(task.id);
        expect(second.lease.fencingToken).toBeGreaterThan(first.lease.fencingToken);
        expect(second.task).toMatchObject({ claimCount: 2, leaseOwner: 'worker-b', startedAtMs: startMs });
      });

      it('a heartbeat keeps the lease alive', async () => {
        await store.create(newTask(startMs));
        const { lease } = await claimOne('worker-a', startMs);
        expect(await store.heartbeat(lease, startMs + 20_000, leaseMs)).toBe(true);
        expect(await store.claim('worker-b', startMs + 49_999, leaseMs)).toBeUndefined();
        expect(await store.claim('worker-b', startMs + 50_000, leaseMs)).toBeDefined();
      });
    });

    describe('batch lane', () => {
      const batch = { deadlineMs: startMs + 24 * 3_600_000, onlineFromMs: startMs + 23 * 3_600_000 };

      it('keeps a batch task from workers until it is due online, and gathers it once', async () => {
        const { task } = await store.create(newTask(startMs, { batch }));
        await store.create(newTask(startMs + 1));
        expect(task).toMatchObject({
          lane: 'batch',
          deadlineMs: batch.deadlineMs,
          runAfterMs: batch.onlineFromMs,
        });
        expect((await claimOne('worker-a', startMs + 10)).task.id).not.toBe(task.id);
        expect(await store.claim('worker-a', startMs + 10, leaseMs)).toBeUndefined();

        expect((await store.queuedForBatch(startMs + 10, 10)).map((queued) => queued.id)).toEqual([task.id]);
        expect(await store.assignBatchJob([task.id], 'job-1', startMs + 20)).toEqual([task.id]);
        expect(await store.assignBatchJob([task.id], 'job-2', startMs + 20)).toEqual([]);
        expect(await store.queuedForBatch(startMs + 30, 10)).toEqual([]);
        expect(await store.get(task.id)).toMatchObject({ batchJobId: 'job-1', status: 'queued' });
        expect((await claimOne('worker-a', batch.onlineFromMs)).task.id).toBe(task.id);
      });

      it('claims a named queued task whatever its runAfterMs, once', async () => {
        const { task } = await store.create(newTask(startMs, { batch }));
        const claimed = await store.claimTask(task.id, 'batch-lane', startMs + 5, leaseMs);
        expect(claimed?.task).toMatchObject({
          status: 'processing',
          leaseOwner: 'batch-lane',
          claimCount: 1,
        });
        expect(await store.claimTask(task.id, 'batch-lane', startMs + 6, leaseMs)).toBeUndefined();
        expect(await store.claimTask('task_img_unknown', 'batch-lane', startMs + 6, leaseMs)).toBeUndefined();
      });

      it('leaves a batch task whose lane died mid-write to the lane until it is due online', async () => {
        const { task } = await store.create(newTask(startMs, { batch }));
        const first = await store.claimTask(task.id, 'lane-a', startMs + 1, leaseMs);
        expect(first).toBeDefined();
        // The lease expired, but the task is not due online: workers leave it alone.
        expect(await store.claim('worker-a', startMs + leaseMs + 10, leaseMs)).toBeUndefined();
        const again = await store.claimTask(task.id, 'lane-b', startMs + leaseMs + 10, leaseMs);
        expect(again?.task).toMatchObject({ status: 'processing', leaseOwner: 'lane-b' });
        expect(again?.lease.fencingToken).toBeGreaterThan(first!.lease.fencingToken);
        // A live lease is not taken by id.
        expect(await store.claimTask(task.id, 'lane-c', startMs + leaseMs + 20, leaseMs)).toBeUndefined();
        // Due online with an expired lease: a worker reclaims it.
        expect((await claimOne('worker-a', batch.onlineFromMs + leaseMs)).task.id).toBe(task.id);
      });

      it('returns a claimed batch task to the lane: out of its job, gathered again, due online as before', async () => {
        const { task } = await store.create(newTask(startMs, { batch }));
        await store.assignBatchJob([task.id], 'job-1', startMs + 1);
        const claimed = await store.claimTask(task.id, 'batch-lane', startMs + 2, leaseMs);
        expect(
          await store.returnToBatch(claimed!.lease, batch.onlineFromMs, 'item unavailable', startMs + 3),
        ).toBe(true);
        const returned = await store.get(task.id);
        expect(returned).toMatchObject({ status: 'queued', runAfterMs: batch.onlineFromMs, claimCount: 0 });
        expect(returned?.batchJobId).toBeUndefined();
        expect(returned?.leaseOwner).toBeUndefined();
        const events = await store.eventsAfter(task.id, 0);
        expect(events.at(-1)).toMatchObject({
          type: 'rescheduled',
          data: { runAfterMs: batch.onlineFromMs, reason: 'item unavailable', lane: 'batch' },
        });
        expect((await store.queuedForBatch(startMs + 4, 10)).map((queued) => queued.id)).toEqual([task.id]);
        // A stale lease cannot return it twice.
        expect(await store.returnToBatch(claimed!.lease, batch.onlineFromMs, 'again', startMs + 5)).toBe(
          false,
        );
      });
    });

    describe('retention', () => {
      it('deletes final tasks finished before a time, with their events and keys; keeps the rest', async () => {
        const claim = { key: 'key_1:old', requestHash: 'hash-a', expiresAtMs: startMs + 86_400_000 };
        const old = await store.create(newTask(startMs), claim, startMs);
        const recent = await store.create(newTask(startMs + 1));
        const queued = await store.create(newTask(startMs + 2));
        const first = await claimOne('worker-a', startMs + 10);
        expect(first.task.id).toBe(old.task.id);
        await store.complete(first.lease, success, startMs + 100);
        const second = await claimOne('worker-a', startMs + 200);
        await store.complete(second.lease, failure, startMs + 300);

        expect(await store.pruneFinished(startMs + 100)).toBe(0);
        expect(await store.pruneFinished(startMs + 101)).toBe(1);
        expect(await store.get(old.task.id)).toBeUndefined();
        expect(await store.eventsAfter(old.task.id, 0)).toEqual([]);
        expect(await store.findIdempotent(claim, startMs + 400)).toBeUndefined();
        expect((await store.get(recent.task.id))?.status).toBe('failed');
        expect(await store.pruneFinished(startMs + 1_000_000)).toBe(1);
        expect((await store.get(queued.task.id))?.status).toBe('queued');
      });

      it('lists the blobs stored tasks refer to: references, videos and result images', async () => {
        const reference = { sha256: 'a'.repeat(64), mimeType: 'image/png' };
        const video = { sha256: 'b'.repeat(64), mimeType: 'video/mp4' };
        await store.create(newTask(startMs, { request: request({ references: [reference] }) }));
        await store.create(newTask(startMs + 1, { request: request({ video }) }));
        expect(await store.referencedBlobs()).toEqual(new Set([reference.sha256, video.sha256]));
        const { lease } = await claimOne('worker-a', startMs + 2);
        await store.complete(lease, success, startMs + 3);
        expect(await store.referencedBlobs()).toEqual(
          new Set([reference.sha256, video.sha256, success.result.images[0]!.sha256]),
        );
      });

      it("lists the stored images of a conversation: the history it was given and its next turn's", async () => {
        const inHistory = 'c'.repeat(64);
        const inReply = 'd'.repeat(64);
        const part = (sha256: string) => ({
          fileData: { mimeType: 'image/png', fileUri: `/v1/images/${sha256}` },
        });
        await store.create(
          newTask(startMs, {
            request: request({ history: [{ role: 'user', parts: [{ text: 'x' }, part(inHistory)] }] }),
          }),
        );
        const { lease } = await claimOne('worker-a', startMs + 1);
        await store.complete(
          lease,
          {
            ...success,
            result: {
              ...success.result,
              nextTurnContents: [
                { role: 'model', parts: [{ text: 'here', thoughtSignature: 's' }, part(inReply)] },
              ],
            },
          },
          startMs + 2,
        );
        const referenced = await store.referencedBlobs();
        expect(referenced.has(inHistory)).toBe(true);
        expect(referenced.has(inReply)).toBe(true);
      });
    });

    describe('fencing', () => {
      it('refuses every write from a stale worker and changes nothing', async () => {
        await store.create(newTask(startMs));
        const stale = await claimOne('worker-a', startMs);
        const fresh = await claimOne('worker-b', startMs + leaseMs + 1);
        const before = await store.get(fresh.task.id);
        const eventsBefore = await store.eventsAfter(fresh.task.id, 0);
        const at = startMs + leaseMs + 2;
        expect(await store.complete(stale.lease, success, at)).toBe(false);
        expect(await store.complete(stale.lease, failure, at)).toBe(false);
        expect(await store.reschedule(stale.lease, at + 60_000, 'unavailable', at)).toBe(false);
        expect(await store.release(stale.lease, at)).toBe(false);
        expect(await store.heartbeat(stale.lease, at, leaseMs)).toBe(false);
        expect(await store.setProgress(stale.lease, 50, at)).toBe(false);
        expect(await store.recordAttempt(stale.lease, attempt(at), at)).toBe(false);
        expect(await store.get(fresh.task.id)).toEqual(before);
        expect(await store.eventsAfter(fresh.task.id, 0)).toEqual(eventsBefore);
        expect(await store.complete(fresh.lease, success, at)).toBe(true);
      });

      it('refuses a lease with the right token but another worker id', async () => {
        await store.create(newTask(startMs));
        const { lease } = await claimOne('worker-a', startMs);
        expect(await store.heartbeat({ ...lease, workerId: 'impostor' }, startMs + 1, leaseMs)).toBe(false);
      });

      it('refuses writes after the task is final', async () => {
        await store.create(newTask(startMs));
        const { lease } = await claimOne('worker-a', startMs);
        expect(await store.complete(lease, success, startMs + 1)).toBe(true);
        expect(await store.complete(lease, failure, startMs + 2)).toBe(false);
        expect(await store.release(lease, startMs + 2)).toBe(false);
        expect((await store.get(lease.taskId))?.status).toBe('success');
      });
    });

    describe('transitions', () => {
      it('complete(success) stores the result and clears the lease', async () => {
        await store.create(newTask(startMs));
        const { lease } = await claimOne('worker-a', startMs);
        expect(await store.complete(lease, success, startMs + 5_000)).toBe(true);
        const done = await store.get(lease.taskId);
        expect(done).toMatchObject({
          status: 'success',
          progress: 100,
          finishedAtMs: startMs + 5_000,
          result: success.result,
          attempts: success.attempts,
          warnings: success.warnings,
          usage: success.usage,
          actualCostUsd: 0.039,
          servedBy: { modelId: 'model-a', platform: 'gemini-api' },
        });
        expect(done?.leaseOwner).toBeUndefined();
        expect(done?.leaseExpiresAtMs).toBeUndefined();
        expect(await store.claim('worker-b', startMs + 10 * leaseMs, leaseMs)).toBeUndefined();
      });

      it('complete(failed) stores the error', async () => {
        await store.create(newTask(startMs));
        const { lease } = await claimOne('worker-a', startMs);
        expect(await store.complete(lease, failure, startMs + 1)).toBe(true);
        expect(await store.get(lease.taskId)).toMatchObject({
          status: 'failed',
          error: failure.error,
        });
      });

      it('release puts the task back at once for the next claim', async () => {
        await store.create(newTask(startMs));
        const { lease } = await claimOne('worker-a', startMs);
        expect(await store.release(lease, startMs + 100)).toBe(true);
        const released = await store.get(lease.taskId);
        expect(released).toMatchObject({ status: 'queued', runAfterMs: startMs + 100 });
        expect(released?.leaseOwner).toBeUndefined();
        const again = await claimOne('worker-b', startMs + 100);
        expect(again.task).toMatchObject({
          id: lease.taskId,
          claimCount: 2,
          fencingToken: lease.fencingToken + 1,
        });
      });

      it('setProgress and recordAttempt update the record', async () => {
        await store.create(newTask(startMs));
        const { lease } = await claimOne('worker-a', startMs);
        expect(await store.setProgress(lease, 42.4, startMs + 1)).toBe(true);
        expect(await store.recordAttempt(lease, attempt(startMs + 2), startMs + 2)).toBe(true);
        expect(await store.recordAttempt(lease, attempt(startMs + 3), startMs + 3)).toBe(true);
        const record = await store.get(lease.taskId);
        expect(record?.progress).toBe(42);
        expect(record?.attempts).toEqual([attempt(startMs + 2), attempt(startMs + 3)]);
        expect(record?.updatedAtMs).toBe(startMs + 3);
      });
    });

    describe('cancel', () => {
      it('cancels a queued task at once; it is never claimed', async () => {
        const { task } = await store.create(newTask(startMs));
        const cancelled = await store.requestCancel(task.id, startMs + 1);
        expect(cancelled).toMatchObject({
          status: 'cancelled',
          finishedAtMs: startMs + 1,
          error: { type: 'cancelled' },
        });
        expect(await store.claim('worker-a', startMs + 2, leaseMs)).toBeUndefined();
      });

      it('marks a processing task; its worker completes it as cancelled', async () => {
        const { task } = await store.create(newTask(startMs));
        const { lease } = await claimOne('worker-a', startMs);
        const marked = await store.requestCancel(task.id, startMs + 1);
        expect(marked).toMatchObject({ status: 'processing', cancelRequested: true });
        expect(await store.heartbeat(lease, startMs + 2, leaseMs)).toBe(true);
        const cancelled: TaskCompletion = {
          status: 'cancelled',
          error: { type: 'cancelled', code: 'cancelled', message: 'Cancelled by request.' },
          attempts: [],
          warnings: [],
        };
        expect(await store.complete(lease, cancelled, startMs + 3)).toBe(true);
        expect((await store.get(task.id))?.status).toBe('cancelled');
      });

      it('finishes the cancel when the worker of a cancel-requested task died', async () => {
        const { task } = await store.create(newTask(startMs));
        await claimOne('worker-a', startMs);
        await store.requestCancel(task.id, startMs + 1);
        expect(await store.claim('worker-b', startMs + leaseMs, leaseMs)).toBeUndefined();
        expect((await store.get(task.id))?.status).toBe('cancelled');
      });

      it('leaves final tasks unchanged and answers undefined for unknown ids', async () => {
        await store.create(newTask(startMs));
        const { lease } = await claimOne('worker-a', startMs);
        await store.complete(lease, success, startMs + 1);
        const before = await store.get(lease.taskId);
        expect(await store.requestCancel(lease.taskId, startMs + 2)).toEqual(before);
        expect(await store.requestCancel('task_img_missing', startMs + 2)).toBeUndefined();
      });
    });

    describe('events', () => {
      it('records every step in order, numbered from 1, and replays from any sequence', async () => {
        const { task } = await store.create(newTask(startMs));
        const first = await claimOne('worker-a', startMs + 1);
        await store.setProgress(first.lease, 10, startMs + 2);
        await store.recordAttempt(first.lease, attempt(startMs + 3), startMs + 3);
        await store.reschedule(first.lease, startMs + 30_000, 'unavailable', startMs + 4);
        const second = await claimOne('worker-b', startMs + 30_000);
        await store.complete(second.lease, success, startMs + 30_001);
        const events = await store.eventsAfter(task.id, 0);
        expect(events.map((event) => [event.sequence, event.type, event.atMs])).toEqual([
          [1, 'queued', startMs],
          [2, 'processing', startMs + 1],
          [3, 'progress', startMs + 2],
          [4, 'attempt', startMs + 3],
          [5, 'rescheduled', startMs + 4],
          [6, 'processing', startMs + 30_000],
          [7, 'success', startMs + 30_001],
        ]);
        expect(events[2]?.data).toEqual({ progress: 10 });
        expect(events[3]?.data).toEqual({ attempt: attempt(startMs + 3) });
        expect(events[4]?.data).toEqual({ runAfterMs: startMs + 30_000, reason: 'unavailable' });
        expect((await store.eventsAfter(task.id, 5)).map((event) => event.sequence)).toEqual([6, 7]);
        expect(await store.eventsAfter(task.id, 7)).toEqual([]);
      });
    });

    describe('budget reservation', () => {
      const budget = (limitUsd: number, apiKeyId?: string) => ({
        sinceMs: startMs,
        caps: [{ ...(apiKeyId ? { apiKeyId } : {}), limitUsd }],
      });
      const priced = (atMs: number, estimatedCostUsd: number, apiKeyId = 'key_1') =>
        newTask(atMs, { estimatedCostUsd, apiKeyId });

      it('admits concurrent creates only while their estimates fit, and creates nothing past it', async () => {
        const results = await Promise.allSettled(
          Array.from({ length: 10 }, (_, index) =>
            store.create(priced(startMs + index, 0.04), undefined, startMs + index, budget(0.12, 'key_1')),
          ),
        );
        expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(3);
        const refused = results.filter((result) => result.status === 'rejected');
        expect(refused).toHaveLength(7);
        for (const result of refused) expect(result.reason).toBeInstanceOf(BudgetExceededError);
        expect((await store.list({})).tasks).toHaveLength(3);
        // Another key's cap is its own; a cap without a key counts every task.
        await store.create(
          priced(startMs + 20, 0.04, 'key_2'),
          undefined,
          startMs + 20,
          budget(0.05, 'key_2'),
        );
        await expect(
          store.create(priced(startMs + 21, 0.04, 'key_2'), undefined, startMs + 21, budget(0.17)),
        ).rejects.toBeInstanceOf(BudgetExceededError);
      });

      it('settles to the actual cost on success and releases on failure or cancel', async () => {
        const cap = budget(0.1, 'key_1');
        await store.create(priced(startMs, 0.06), undefined, startMs, cap);
        await store.create(priced(startMs + 1, 0.04), undefined, startMs + 1, cap);
        await expect(
          store.create(priced(startMs + 2, 0.01), undefined, startMs + 2, cap),
        ).rejects.toBeInstanceOf(BudgetExceededError);
        const first = await claimOne('worker-a', startMs + 3);
        // success costs 0.039 (below the 0.06 reserved): 0.021 frees up.
        await store.complete(first.lease, success, startMs + 4);
        await store.create(priced(startMs + 5, 0.02), undefined, startMs + 5, cap);
        const second = await claimOne('worker-a', startMs + 6);
        await store.complete(second.lease, failure, startMs + 7);
        const queued = (await store.list({ status: 'queued' })).tasks[0]!;
        await store.requestCancel(queued.id, startMs + 8);
        // Left: 0.039 spent; a failed and a cancelled task without billed calls count nothing.
        await store.create(priced(startMs + 9, 0.061), undefined, startMs + 9, cap);
        await expect(
          store.create(priced(startMs + 10, 0.001), undefined, startMs + 10, cap),
        ).rejects.toBeInstanceOf(BudgetExceededError);
      });

      it('counts only tasks since the window start and never refuses an idempotent replay', async () => {
        await store.create(priced(startMs - 1, 5), undefined, startMs - 1);
        const claim = { key: 'key_1:k', requestHash: 'h', expiresAtMs: startMs + 60_000 };
        const first = await store.create(priced(startMs, 0.1), claim, startMs, budget(0.1, 'key_1'));
        const replay = await store.create(priced(startMs + 1, 0.1), claim, startMs + 1, budget(0.1, 'key_1'));
        expect(replay).toEqual({ task: first.task, created: false });
      });
    });

    describe('list', () => {
      async function seed(): Promise<TaskRecord[]> {
        const created: TaskRecord[] = [];
        for (let index = 0; index < 5; index += 1) {
          const input = newTask(startMs + index * 1_000, {
            request: request({ model: index % 2 === 0 ? 'image_fast' : 'image_quality' }),
            apiKeyId: index < 3 ? 'key_1' : 'key_2',
          });
          created.push((await store.create(input)).task);
        }
        return created;
      }

      it('pages newest first with an opaque cursor', async () => {
        const created = await seed();
        const newestFirst = [...created].reverse().map((task) => task.id);
        const first = await store.list({ limit: 2 });
        expect(first.tasks.map((task) => task.id)).toEqual(newestFirst.slice(0, 2));
        const second = await store.list({ limit: 2, cursor: first.nextCursor });
        expect(second.tasks.map((task) => task.id)).toEqual(newestFirst.slice(2, 4));
        const third = await store.list({ limit: 2, cursor: second.nextCursor });
        expect(third.tasks.map((task) => task.id)).toEqual(newestFirst.slice(4));
        expect(third.nextCursor).toBeUndefined();
      });

      it('pages through tasks created in the same millisecond without skipping or repeating', async () => {
        const ids: string[] = [];
        for (let index = 0; index < 5; index += 1) ids.push((await store.create(newTask(startMs))).task.id);
        const seen: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await store.list({ limit: 2, ...(cursor ? { cursor } : {}) });
          seen.push(...page.tasks.map((task) => task.id));
          cursor = page.nextCursor;
        } while (cursor);
        expect(seen).toEqual([...ids].sort().reverse());
      });

      it('filters by status, model, key and creation time', async () => {
        const created = await seed();
        const ids = (tasks: TaskRecord[]) => tasks.map((task) => task.id);
        await claimOne('worker-a', startMs + 10_000);
        expect(ids((await store.list({ status: 'processing' })).tasks)).toEqual([created[0]?.id]);
        expect(ids((await store.list({ model: 'image_quality' })).tasks)).toEqual([
          created[3]?.id,
          created[1]?.id,
        ]);
        expect(ids((await store.list({ apiKeyId: 'key_2' })).tasks)).toEqual([
          created[4]?.id,
          created[3]?.id,
        ]);
        const keyless = (await store.create(newTask(startMs + 5_000))).task;
        expect(ids((await store.list({ apiKeyId: null })).tasks)).toEqual([keyless.id]);
        expect(
          ids(
            (await store.list({ createdAfterMs: startMs + 1_000, createdBeforeMs: startMs + 4_000 })).tasks,
          ),
        ).toEqual([created[3]?.id, created[2]?.id]);
        expect((await store.list({ status: 'failed' })).tasks).toEqual([]);
      });

      it('defaults to 20 a page and refuses a bad limit or cursor, naming the field', async () => {
        for (let index = 0; index < 21; index += 1) await store.create(newTask(startMs + index));
        const page = await store.list({});
        expect(page.tasks).toHaveLength(20);
        expect(page.nextCursor).toBeDefined();
        await expect(store.list({ limit: 101 })).rejects.toThrow(/limit: must be an integer from 1 to 100/);
        await expect(store.list({ limit: 0 })).rejects.toThrow(/limit/);
        await expect(store.list({ cursor: 'garbage' })).rejects.toThrow(/cursor/);
      });
    });
  });
}
