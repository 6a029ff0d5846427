import { z } from '@hono/zod-openapi';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock/index.js';
import { errorBodySchema, taskSchema } from '../../src/server/api-schemas.js';
import { createTestServer, jsonRequest, type TestServer } from './server-harness.js';

/** `GET /v1/tasks?api_key_id=` and `GET /v1/task-events?api_key_id=`: one key's tasks, within the caller's scope. */
let server: TestServer;
afterEach(async () => {
  await server?.close();
});

const pageSchema = z.object({
  object: z.literal('list'),
  data: z.array(taskSchema),
  has_more: z.boolean(),
  next_cursor: z.string().nullable(),
});
const submittedSchema = z.object({ id: z.string() });
const bearer = (secret: string) => ({ Authorization: `Bearer ${secret}` });

async function keyed() {
  server = await createTestServer({
    clock: new ManualClock(Date.UTC(2026, 5, 10, 12)),
    withKeys: true,
    config: { server: { requireApiKey: true } },
  });
  return {
    admin: server.keys.create({ name: 'admin', admin: true }),
    alice: server.keys.create({ name: 'alice' }),
    bob: server.keys.create({ name: 'bob' }),
  };
}

async function submit(secret: string, prompt: string): Promise<string> {
  const response = await server.app.request(
    '/v1/images/generations',
    jsonRequest({ prompt }, bearer(secret)),
  );
  expect(response.status).toBe(202);
  return submittedSchema.parse(await response.json()).id;
}

/** Every task id of a listing, read page by page with `limit` and the cursor. */
async function listAll(secret: string, query: string, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 20; page++) {
    const response = await server.app.request(
      `/v1/tasks?${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      { headers: bearer(secret) },
    );
    expect(response.status).toBe(200);
    const body = pageSchema.parse(await response.json());
    ids.push(...body.data.map((task) => task.id));
    cursor = body.next_cursor;
    if (!body.has_more) return ids;
  }
  throw new Error(`more than 20 pages for ${query}`);
}

describe('GET /v1/tasks filtered by key', () => {
  it("gives an admin key any key's tasks across cursor pages, each showing its owner", async () => {
    const { admin, alice, bob } = await keyed();
    const aliceTasks = [await submit(alice.secret, 'a1'), await submit(alice.secret, 'a2')];
    const bobTasks = [await submit(bob.secret, 'b1')];
    aliceTasks.push(await submit(alice.secret, 'a3'));
    await submit(admin.secret, 'by admin');
    bobTasks.push(await submit(bob.secret, 'b2'));

    const ofAlice = await listAll(admin.secret, `api_key_id=${alice.record.id}`, 1);
    expect(ofAlice.toSorted()).toEqual(aliceTasks.toSorted());
    const ofBob = await listAll(admin.secret, `api_key_id=${bob.record.id}`, 1);
    expect(ofBob.toSorted()).toEqual(bobTasks.toSorted());
    expect(await listAll(admin.secret, 'status=queued', 100)).toHaveLength(6);

    const response = await server.app.request(`/v1/tasks?api_key_id=${alice.record.id}`, {
      headers: bearer(admin.secret),
    });
    const owners = pageSchema.parse(await response.json()).data.map((task) => task.api_key_id);
    expect(new Set(owners)).toEqual(new Set([alice.record.id]));
  });

  it('answers a plain key its own tasks when it names itself, and an empty list for any other key', async () => {
    const { admin, alice, bob } = await keyed();
    const mine = await submit(alice.secret, 'mine');
    await submit(bob.secret, 'not mine');
    await submit(admin.secret, 'not mine either');
    expect(await listAll(alice.secret, `api_key_id=${alice.record.id}`, 10)).toEqual([mine]);
    expect(await listAll(alice.secret, `api_key_id=${bob.record.id}`, 10)).toEqual([]);
    expect(await listAll(alice.secret, `api_key_id=${admin.record.id}`, 10)).toEqual([]);
    // A key that does not exist answers exactly like another key's: nothing tells them apart.
    expect(await listAll(alice.secret, 'api_key_id=key_doesnotexist', 10)).toEqual([]);
  });

  it('refuses a malformed key id with a 400 naming the field', async () => {
    const { admin } = await keyed();
    const response = await server.app.request('/v1/tasks?api_key_id=alice', {
      headers: bearer(admin.secret),
    });
    expect(response.status).toBe(400);
    const { error } = errorBodySchema.parse(await response.json());
    expect(error.param).toBe('api_key_id');
    expect(error.message).toContain('key_');
  });
});

describe('GET /v1/task-events filtered by key', () => {
  /** The stream's text until it holds `until`, within a deadline of its own. */
  async function readUntil(reader: ReadableStreamDefaultReader<string>, until: string): Promise<string> {
    const deadlineMs = Date.now() + 5000;
    let text = '';
    while (!text.includes(until)) {
      if (Date.now() > deadlineMs) throw new Error(`no "${until}" on the stream within 5 s: ${text}`);
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    return text;
  }

  it("streams an admin only the named key's task changes, and a plain key naming another key nothing", async () => {
    const { admin, alice, bob } = await keyed();
    const adminStream = await server.app.request(`/v1/task-events?api_key_id=${alice.record.id}`, {
      headers: bearer(admin.secret),
    });
    const bobStream = await server.app.request(`/v1/task-events?api_key_id=${alice.record.id}`, {
      headers: bearer(bob.secret),
    });
    const adminReader = adminStream.body!.pipeThrough(new TextDecoderStream()).getReader();
    const bobReader = bobStream.body!.pipeThrough(new TextDecoderStream()).getReader();
    const ofBob = await submit(bob.secret, 'bob first');
    const ofAlice = await submit(alice.secret, 'alice second');
    const adminText = await readUntil(adminReader, ofAlice);
    expect(adminText).not.toContain(ofBob);
    // Bob hears his own task only without the filter; with Alice's id he hears nothing but the greeting.
    const bobText = await Promise.race([
      readUntil(bobReader, 'event: task'),
      new Promise<string>((resolve) => setTimeout(() => resolve('nothing'), 300)),
    ]);
    expect(bobText).not.toContain('event: task');
    await adminReader.cancel();
    await bobReader.cancel();

    const badKey = await server.app.request('/v1/task-events?api_key_id=bob', {
      headers: bearer(admin.secret),
    });
    expect(badKey.status).toBe(400);
    expect(errorBodySchema.parse(await badKey.json()).error.param).toBe('api_key_id');
  });
});
