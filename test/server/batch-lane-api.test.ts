import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BatchJobStore } from '../../src/batch/index.js';
import { ManualClock } from '../../src/clock/index.js';
import { openSqliteDatabase } from '../../src/tasks/index.js';
import { readError, readJson, taskSchema } from '../support/read-json.js';

/** `GET /v1/batches`, the fields these tests read. */
const batchListSchema = z.object({
  object: z.literal('list'),
  data: z.array(
    z.object({
      id: z.string(),
      name: z.string().nullable(),
      state: z.string(),
      counts: z.object({
        pending: z.number(),
        succeeded: z.number(),
        failed: z.number(),
        online: z.number(),
      }),
    }),
  ),
});
import { createTestServer, jsonRequest, type TestServer } from './server-harness.js';

/** A day the image model is served; the test never reads today's date. */
const nowMs = Date.UTC(2026, 3, 1, 12);
const body = { model: 'gemini-3.1-flash-image-preview', prompt: 'A lighthouse', image_size: '1K' };

const servers: TestServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function serverWithBatchLane(withKeys = false) {
  const batchDatabase = openSqliteDatabase(':memory:');
  const jobs = new BatchJobStore(batchDatabase);
  const server = await createTestServer({
    clock: new ManualClock(nowMs),
    withKeys,
    overrides: { batchJobs: jobs },
  });
  servers.push(server);
  return { server, jobs };
}

/** Submits a task that is accepted: its body is a task. */
async function submit(server: TestServer, payload: unknown, headers: Record<string, string> = {}) {
  const response = await server.app.request('/v1/images/generations', jsonRequest(payload, headers));
  return { response, json: await readJson(response, taskSchema) };
}

/** Submits a task that is refused: its body is an error. */
async function submitRefused(server: TestServer, payload: unknown) {
  const response = await server.app.request('/v1/images/generations', jsonRequest(payload));
  return { response, json: await readError(response) };
}

describe('lane "batch" over HTTP', () => {
  it('queues a batch task with its deadline, estimated at half the online price', async () => {
    const { server } = await serverWithBatchLane();
    const online = await submit(server, body);
    const batch = await submit(server, { ...body, lane: 'batch' });
    expect(batch.response.status).toBe(202);
    expect(batch.json).toMatchObject({
      lane: 'batch',
      deadline_at: nowMs / 1000 + 24 * 3600,
      batch_job: null,
    });
    expect(online.json).toMatchObject({ lane: 'online', deadline_at: null });
    expect(batch.json.cost.estimated_usd).toBeCloseTo((online.json.cost.estimated_usd ?? NaN) / 2, 12);
    const stored = await server.store.get(batch.json.id);
    expect(stored?.runAfterMs).toBe(nowMs + 23 * 3_600_000);
  });

  it('takes a deadline in bounds and refuses one out of bounds or without the batch lane, naming the field', async () => {
    const { server } = await serverWithBatchLane();
    const inSixHours = new Date(nowMs + 6 * 3_600_000).toISOString();
    const accepted = await submit(server, { ...body, lane: 'batch', deadline: inSixHours });
    expect(accepted.json.deadline_at).toBe(nowMs / 1000 + 6 * 3600);
    for (const payload of [
      { ...body, lane: 'batch', deadline: new Date(nowMs + 3_600_000).toISOString() },
      { ...body, lane: 'batch', deadline: new Date(nowMs + 72 * 3_600_000).toISOString() },
      { ...body, deadline: inSixHours },
      { ...body, lane: 'batch', deadline: 'tomorrow' },
    ]) {
      const refused = await submitRefused(server, payload);
      expect(refused.response.status).toBe(400);
      expect(refused.json.error.param).toBe('deadline');
    }
  });

  it('refuses the batch lane where none runs', async () => {
    const server = await createTestServer({ clock: new ManualClock(nowMs) });
    servers.push(server);
    const refused = await submitRefused(server, { ...body, lane: 'batch' });
    expect(refused.response.status).toBe(400);
    expect(refused.json.error.param).toBe('lane');
  });

  it('shows the batch job on the task, and lists jobs to the keys whose tasks they hold', async () => {
    const { server, jobs } = await serverWithBatchLane(true);
    const alice = `Bearer ${server.keys.create({ name: 'alice' }).secret}`;
    const bob = `Bearer ${server.keys.create({ name: 'bob' }).secret}`;
    const admin = `Bearer ${server.keys.create({ name: 'ops', admin: true }).secret}`;
    const task = (await submit(server, { ...body, lane: 'batch' }, { Authorization: alice })).json;
    const stored = (await server.store.get(task.id))!;
    jobs.insert({
      id: 'batchjob_1',
      modelId: body.model,
      nowMs,
      items: [{ taskId: task.id, key: task.id, apiKeyId: stored.apiKeyId! }],
    });
    await server.store.assignBatchJob([task.id], 'batchjob_1', nowMs);
    jobs.update('batchjob_1', { name: 'batches/abc', state: 'JOB_STATE_RUNNING' }, nowMs);

    const view = await readJson(
      await server.app.request(`/v1/tasks/${task.id}`, { headers: { Authorization: alice } }),
      taskSchema,
    );
    expect(view.batch_job).toEqual({ id: 'batchjob_1', name: 'batches/abc', state: 'JOB_STATE_RUNNING' });

    const list = async (authorization: string) =>
      (
        await readJson(
          await server.app.request('/v1/batches', { headers: { Authorization: authorization } }),
          batchListSchema,
        )
      ).data;
    expect(await list(alice)).toEqual([
      expect.objectContaining({
        id: 'batchjob_1',
        name: 'batches/abc',
        state: 'JOB_STATE_RUNNING',
        counts: { pending: 1, succeeded: 0, failed: 0, retried: 0, online: 0 },
      }),
    ]);
    expect(await list(bob)).toEqual([]);
    expect(await list(admin)).toHaveLength(1);
  });
});
