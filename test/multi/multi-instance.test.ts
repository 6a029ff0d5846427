import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobStore } from '../../src/blobs/index.js';
import { configSchema } from '../../src/config/index.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { startServer, type RunningServer } from '../../src/server/index.js';
import {
  postgresAvailable,
  temporaryPostgresSchema,
  testPostgresUrl,
} from '../../src/tasks/test-support/temporary-postgres.js';
import {
  startTemporaryS3Server,
  type TemporaryS3Server,
} from '../../src/blobs/test-support/temporary-s3-server.js';
import { redisAvailable, testRedisUrl } from '../../src/coordination/test-support/temporary-redis.js';
import { PostgresApiKeyStore } from '../../src/server/auth/index.js';
import { healthSchema, readError, readJson, taskSchema } from '../support/read-json.js';
import { waitUntil } from '../support/wait-until.js';
import { startTcpCut, type TcpCut } from './tcp-cut.js';

const available = (await postgresAvailable()) && (await redisAvailable());

describe.skipIf(!available)('two imagegate instances on one PostgreSQL and one S3 bucket', () => {
  const schema = temporaryPostgresSchema('imagegate_multi');
  let s3: TemporaryS3Server;
  let emulator: RunningEmulator;
  let relay: TcpCut;
  let redisRelay: TcpCut;
  let directory: string;
  const servers: RunningServer[] = [];
  const notices: string[] = [];
  const redisKeyPrefix = `imagegate-test-${randomBytes(6).toString('hex')}:`;

  beforeAll(async () => {
    const temporary = await schema();
    s3 = await startTemporaryS3Server();
    emulator = await startEmulator();
    const target = new URL(testPostgresUrl);
    relay = await startTcpCut(target.hostname, Number(target.port || 5432));
    const redisTarget = new URL(testRedisUrl);
    redisRelay = await startTcpCut(redisTarget.hostname, Number(redisTarget.port || 6379));
    const redisViaRelay = new URL(testRedisUrl);
    redisViaRelay.port = String(redisRelay.port);
    directory = await mkdtemp(join(tmpdir(), 'imagegate-multi-'));
    const viaRelay = new URL(testPostgresUrl);
    viaRelay.port = String(relay.port);
    for (const name of ['a', 'b']) {
      servers.push(
        await startServer({
          config: configSchema.parse({
            server: {
              store: { kind: 'postgres', url: testPostgresUrl, schema: temporary.name, migrate: true },
              blobs: { kind: 's3', bucket: s3.bucket, endpoint: s3.endpoint, forcePathStyle: true },
              // The webhook test's receiver listens on 127.0.0.1.
              allowPrivateNetworks: true,
            },
          }),
          port: 0,
          dataDirectory: join(directory, name),
          env: {
            GEMINI_API_KEY: 'multi',
            GOOGLE_GEMINI_BASE_URL: emulator.url,
            // Instance b reaches PostgreSQL through a relay the outage test cuts.
            ...(name === 'b' ? { IMAGEGATE_POSTGRES_URL: viaRelay.toString() } : {}),
            IMAGEGATE_COORDINATION: 'redis',
            // Per-model quotas and breakers live under this prefix: other test runs on this Redis stay apart.
            IMAGEGATE_REDIS_KEY_PREFIX: redisKeyPrefix,
            // Instance b reaches PostgreSQL and Redis through relays the outage tests cut.
            IMAGEGATE_REDIS_URL: name === 'b' ? redisViaRelay.toString() : testRedisUrl,
            AWS_ACCESS_KEY_ID: s3.options.credentials.accessKeyId,
            AWS_SECRET_ACCESS_KEY: s3.options.credentials.secretAccessKey,
          },
          onNotice: (line) => notices.push(`${name}: ${line}`),
          onError: () => {},
        }),
      );
    }
  });
  afterAll(async () => {
    for (const server of servers) await server.close();
    await relay?.close();
    await redisRelay?.close();
    await emulator?.close();
    await s3?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('says what it uses', () => {
    expect(notices).toContainEqual(
      expect.stringMatching(
        /^a: imagegate uses store: postgres .*; blobs: s3 bucket imagegate-test at http:\/\/127\.0\.0\.1:\d+; coordination: redis redis:\/\/.*$/,
      ),
    );
  });

  it('a task submitted to one instance is read, with its image and events, from the other', async () => {
    const [a, b] = servers as [RunningServer, RunningServer];
    const response = await fetch(`${a.url}/v1/images/generations?wait=30`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'Two lighthouses, one harbour' }),
    });
    const task = await readJson(response, taskSchema);
    expect(task.status).toBe('success');
    const fromB = await readJson(await fetch(`${b.url}/v1/tasks/${task.id}`), taskSchema);
    expect(fromB.status).toBe('success');
    const image = await fetch(`${b.url}${fromB.result?.images[0]?.url}`);
    expect(image.status).toBe(200);
    const bytes = Buffer.from(await image.arrayBuffer());
    expect(new BlobStore({ directory }).readProvenance(bytes)).toMatchObject({ taskId: task.id });
    const stream = await (await fetch(`${b.url}/v1/tasks/${task.id}/events`)).text();
    expect(stream).toContain('event: queued');
    expect(stream).toContain('event: success');
  });

  it('webhook deliveries live in PostgreSQL: sent once, visible to every instance', async () => {
    const [a] = servers as [RunningServer, RunningServer];
    const received: string[] = [];
    const receiver = createServer((request, response) => {
      received.push(String(request.headers['webhook-id']));
      response.writeHead(204).end();
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const { port } = receiver.address() as AddressInfo;
    try {
      const response = await fetch(`${a.url}/v1/images/generations?wait=30`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ prompt: 'A postcard to both', webhook_url: `http://127.0.0.1:${port}/hook` }),
      });
      const task = await readJson(response, taskSchema);
      expect(task.status).toBe('success');
      const pool = (await schema()).pool();
      try {
        // Either instance's dispatcher may send it; each polls every second. Deadline: 20 s.
        const deadlineMs = performance.now() + 20_000;
        let rows: { id: string; status: string }[] = [];
        while (performance.now() < deadlineMs) {
          rows = (await pool.query('SELECT id, status FROM webhook_deliveries WHERE task_id = $1', [task.id]))
            .rows;
          if (rows[0]?.status === 'delivered') break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        expect(rows).toEqual([{ id: expect.stringMatching(/^msg_/), status: 'delivered' }]);
        expect(received).toEqual([rows[0]!.id]);
      } finally {
        await pool.end();
      }
    } finally {
      receiver.close();
    }
  });

  it('SSE on one instance follows a task another instance runs, as it happens', async () => {
    const [a, b] = servers as [RunningServer, RunningServer];
    const submitted = await readJson(
      await fetch(`${a.url}/v1/images/generations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ prompt: 'A kite seen from two windows' }),
      }),
      taskSchema,
    );
    const stream = await (await fetch(`${b.url}/v1/tasks/${submitted.id}/events`)).text();
    expect(stream).toMatch(/event: success[\s\S]*event: task/);
  });

  it('reports its dependencies; losing PostgreSQL gives 503 with Retry-After, and it recovers by itself', async () => {
    const b = servers[1]!;
    const healthy = await readJson(await fetch(`${b.url}/healthz`), healthSchema);
    expect(healthy).toMatchObject({
      status: 'ok',
      dependencies: { postgres: { ok: true }, s3: { ok: true } },
    });

    await relay.cut();
    const health = await fetch(`${b.url}/healthz`);
    expect(health.status).toBe(503);
    expect((await readJson(health, healthSchema)).dependencies?.postgres?.ok).toBe(false);
    const refused = await fetch(`${b.url}/v1/images/generations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'While the database is away' }),
    });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect((await readError(refused)).error.code).toBe('dependency_unavailable');

    await relay.restore();
    await waitUntil(async () => (await fetch(`${b.url}/healthz`)).status === 200, {
      what: 'b to answer /healthz with 200 once PostgreSQL is back',
      intervalMs: 100,
    });
    const accepted = await fetch(`${b.url}/v1/images/generations?wait=30`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'After the database came back' }),
    });
    expect((await readJson(accepted, taskSchema)).status).toBe('success');
    expect(notices).toContainEqual('b: postgres answers again');
  });

  it('losing Redis gives 503 with Retry-After, and it recovers by itself', async () => {
    const b = servers[1]!;
    await redisRelay.cut();
    const health = await fetch(`${b.url}/healthz`);
    expect(health.status).toBe(503);
    expect((await readJson(health, healthSchema)).dependencies?.redis?.ok).toBe(false);
    const refused = await fetch(`${b.url}/v1/images/generations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'While Redis is away' }),
    });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');

    await redisRelay.restore();
    await waitUntil(async () => (await fetch(`${b.url}/healthz`)).status === 200, {
      what: 'b to answer /healthz with 200 once Redis is back',
      intervalMs: 100,
    });
    const accepted = await fetch(`${b.url}/v1/images/generations?wait=30`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'After Redis came back' }),
    });
    expect((await readJson(accepted, taskSchema)).status).toBe('success');
    expect(notices).toContainEqual('b: redis answers again');
  });
  // Last: from the first key on, every request needs one (the default-auth rule).
  it('a key made on one instance works on both, and its rate limit counts across them', async () => {
    const pool = (await schema()).pool();
    const { secret } = await new PostgresApiKeyStore(pool).create({ name: 'shared', rateLimitPerMinute: 3 });
    await pool.end();
    const statuses: number[] = [];
    for (let index = 0; index < 6; index += 1) {
      const server = servers[index % 2]!;
      const response = await fetch(`${server.url}/v1/tasks`, {
        headers: { authorization: `Bearer ${secret}` },
      });
      statuses.push(response.status);
    }
    expect(statuses.filter((status) => status === 200)).toHaveLength(3);
    expect(statuses.filter((status) => status === 429)).toHaveLength(3);
  });
});
