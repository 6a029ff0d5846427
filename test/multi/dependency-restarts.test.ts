import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadRedisAdapter } from '../../src/coordination/index.js';
import {
  redisAvailable,
  deleteRedisKeys,
  testRedisUrl,
} from '../../src/coordination/test-support/temporary-redis.js';
import { parseScenario, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import {
  postgresAvailable,
  temporaryPostgresSchema,
  testPostgresUrl,
} from '../../src/tasks/test-support/temporary-postgres.js';
import { startServerProcess, type ServerProcess } from '../server/server-process.js';

const { redisConnectionName } = await loadRedisAdapter();

const TASKS = 300;
const finalStatuses = new Set(['success', 'failed', 'cancelled']);
const taskSchema = z.object({ id: z.string(), status: z.string() });
const listSchema = z.object({ data: z.array(taskSchema), next_cursor: z.string().nullable() });

async function listAll(url: string): Promise<z.infer<typeof taskSchema>[]> {
  const tasks: z.infer<typeof taskSchema>[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const page = listSchema.parse(await (await fetch(`${url}/v1/tasks?limit=100${query}`)).json());
    tasks.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor);
  return tasks;
}

const available = (await postgresAvailable()) && (await redisAvailable());

let emulator: RunningEmulator | undefined;
let servers: ServerProcess[] = [];
let directory: string | undefined;
let redisKeyPrefix: string | undefined;
afterEach(async () => {
  for (const server of servers) {
    // A server that ended by itself is the failure to explain: show what it wrote.
    if (server.child.exitCode !== null) console.error(`a server exited:\n${server.stderr().slice(-4_000)}`);
  }
  for (const server of servers) if (server.child.exitCode === null) server.child.kill('SIGKILL');
  await Promise.all(servers.map((server) => server.exited));
  servers = [];
  await emulator?.close();
  if (directory) await rm(directory, { recursive: true, force: true });
  if (redisKeyPrefix) {
    await deleteRedisKeys(redisKeyPrefix);
  }
});

function successfulCalls(running: RunningEmulator): number {
  return Object.values(running.stats.snapshot().models).reduce(
    (sum, model) => sum + (model.byOutcome.ok ?? 0),
    0,
  );
}

describe.skipIf(!available)(
  'PostgreSQL and Redis connections cut while two serve processes run tasks',
  () => {
    const schema = temporaryPostgresSchema('imagegate_restarts');

    it('every task still ends exactly once, and the servers recover without a restart', async () => {
      const temporary = await schema();
      directory = await mkdtemp(join(tmpdir(), 'imagegate-restarts-'));
      redisKeyPrefix = `imagegate-test-${randomBytes(6).toString('hex')}:`;
      // Only this test's connections are cut: the instances name theirs (PGAPPNAME, and the key prefix).
      const applicationName = `imagegate-restarts-${randomBytes(4).toString('hex')}`;
      emulator = await startEmulator({
        scenario: parseScenario('latency: { default: { medianMs: 300, p95Ms: 500 } }\n', 'latency.yaml'),
      });
      const configPath = join(directory, 'imagegate.config.yaml');
      await writeFile(configPath, 'server:\n  leaseMs: 2000\n  workerConcurrency: 6\n  shutdownGraceMs: 0\n');
      const env = {
        GEMINI_API_KEY: 'restart-test',
        GOOGLE_GEMINI_BASE_URL: emulator.url,
        IMAGEGATE_STORE: 'postgres',
        IMAGEGATE_POSTGRES_URL: testPostgresUrl,
        IMAGEGATE_POSTGRES_SCHEMA: temporary.name,
        IMAGEGATE_COORDINATION: 'redis',
        IMAGEGATE_REDIS_URL: testRedisUrl,
        IMAGEGATE_REDIS_KEY_PREFIX: redisKeyPrefix,
        IMAGEGATE_WEBHOOK_SECRET: 'whsec_dGVzdC1zZWNyZXQtZm9yLXJlc3RhcnQtdGVzdHM=',
        PGAPPNAME: applicationName,
      };
      for (const name of ['a', 'b']) {
        servers.push(
          await startServerProcess({
            args: ['--config', configPath, '--data-dir', join(directory, name)],
            env,
            cwd: directory,
          }),
        );
      }
      const ids: string[] = [];
      for (let index = 0; index < TASKS; index++) {
        const response = await fetch(`${servers[index % 2]!.url}/v1/images/generations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'image_fast', prompt: `restart ${index}`, image_size: '512' }),
        });
        expect(response.status).toBe(202);
        ids.push(taskSchema.parse(await response.json()).id);
      }

      const admin = temporary.pool();
      const redis = new Redis(testRedisUrl);
      try {
        const waitForCalls = async (count: number) => {
          const deadlineMs = performance.now() + 60_000;
          while (successfulCalls(emulator!) < count && performance.now() < deadlineMs) {
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
          expect(successfulCalls(emulator!)).toBeGreaterThanOrEqual(count);
        };
        await waitForCalls(TASKS / 4);
        // PostgreSQL drops every connection of both instances (a failover or restart looks the same).
        const terminated = await admin.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
          [applicationName],
        );
        expect(terminated.rowCount).toBeGreaterThan(0);
        await waitForCalls(TASKS / 2);
        // Redis drops every connection of both instances.
        const name = redisConnectionName(redisKeyPrefix);
        const clients = String(await redis.client('LIST'))
          .split('\n')
          .filter((line) => line.includes(` name=${name} `));
        expect(clients.length).toBeGreaterThan(0);
        for (const line of clients) {
          const id = /\bid=(\d+)/.exec(line)?.[1];
          if (id) await redis.client('KILL', 'ID', id);
        }
      } finally {
        redis.disconnect();
        await admin.end();
      }

      // Polled through one instance's list, then each task's events read from the other, a few at a time.
      const deadlineMs = performance.now() + 180_000;
      let tasks = await listAll(servers[0]!.url);
      while (tasks.some((task) => !finalStatuses.has(task.status)) && performance.now() < deadlineMs) {
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        tasks = await listAll(servers[0]!.url);
      }
      expect(tasks.map((task) => task.id).sort()).toEqual([...ids].sort());
      expect(tasks.filter((task) => task.status !== 'success')).toEqual([]);
      // Exactly once: each task has one success event.
      const successEvents: number[] = [];
      for (let start = 0; start < ids.length; start += 20) {
        successEvents.push(
          ...(await Promise.all(
            ids.slice(start, start + 20).map(async (id) => {
              const text = await (await fetch(`${servers[1]!.url}/v1/tasks/${id}/events`)).text();
              return [...text.matchAll(/^event: success$/gm)].length;
            }),
          )),
        );
      }
      expect(successEvents).toEqual(ids.map(() => 1));
      // Both instances still answer and take work after the cuts, without a restart.
      for (const server of servers) {
        const health = await fetch(`${server.url}/healthz`);
        expect(health.status).toBe(200);
        expect(server.child.exitCode).toBeNull();
      }
      console.log(
        `dependency restarts: ${TASKS} tasks, ${successfulCalls(emulator)} successful upstream calls (re-runs after a lost completion count here)`,
      );
    }, 300_000);
  },
);
