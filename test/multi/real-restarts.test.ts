import { afterEach, describe, expect, it } from 'vitest';
import { redisAvailable, testRedisUrl } from '../../src/coordination/test-support/temporary-redis.js';
import { postgresAvailable } from '../../src/tasks/test-support/temporary-postgres.js';
import type { ServerProcess } from '../server/server-process.js';
import { parseSse } from '../support/parse-sse.js';
import { healthSchema, readJson } from '../support/read-json.js';
import { waitUntil } from '../support/wait-until.js';
import { privatePostgresAvailable, startPrivatePostgresServer } from './private-postgres-server.js';
import { privateRedisAvailable, startPrivateRedisServer } from './private-redis-server.js';
import {
  emulatorOutcomes,
  mapInBatches,
  serveClusterFixture,
  submitRoundRobin,
  waitUntilAllFinal,
  type ServeClusterOptions,
} from './serve-cluster.js';

const TASKS = 200;
const clusterOptions = {
  instances: 2,
  scenarioYaml: 'latency: { default: { medianMs: 300, p95Ms: 500 } }\n',
  configYaml: [
    // A limit far above what runs here, so that every run takes its quota slot in Redis.
    'limits:',
    '  - { platform: gemini-api, requestsPerMinute: 100000 }',
    'server:',
    '  leaseMs: 2000',
    '  workerConcurrency: 6',
    '  shutdownGraceMs: 0',
    '',
  ].join('\n'),
} satisfies Partial<ServeClusterOptions>;

/** A dependency the drill stops hard and starts again, as `/healthz` names it. */
interface Restartable {
  name: 'redis' | 'postgres';
  kill(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

const sharedAvailable = (await postgresAvailable()) && (await redisAvailable());

let dependency: Restartable | undefined;
afterEach(async () => {
  await dependency?.close();
  dependency = undefined;
});

describe.skipIf(!sharedAvailable || !privateRedisAvailable())(
  'a real Redis restart under two serve processes',
  () => {
    const startCluster = serveClusterFixture('imagegate_redis_restart');

    it('redis-server killed and started again on its port mid-run: no task lost or ended twice, the instances recover by themselves', async () => {
      const redis = await startPrivateRedisServer();
      dependency = { name: 'redis', ...redis };
      const cluster = await startCluster({ ...clusterOptions, redisUrl: redis.url });
      await restartMidRun(cluster.servers, dependency, () => emulatorOutcomes(cluster.emulator).ok);
    }, 300_000);
  },
);

describe.skipIf(!sharedAvailable || !privatePostgresAvailable())(
  'a real PostgreSQL restart under two serve processes',
  () => {
    const startCluster = serveClusterFixture('imagegate_postgres_restart');

    it('a private cluster stopped hard (pg_ctl -m immediate) and started again mid-run: no task lost or ended twice, the instances recover by themselves', async () => {
      const postgres = await startPrivatePostgresServer();
      dependency = { name: 'postgres', ...postgres };
      const cluster = await startCluster({
        ...clusterOptions,
        postgresUrl: postgres.url,
        redisUrl: testRedisUrl,
      });
      await restartMidRun(cluster.servers, dependency, () => emulatorOutcomes(cluster.emulator).ok);
    }, 300_000);
  },
);

/**
 * Submits the tasks, restarts `dependency` once a quarter of them succeeded upstream (after both
 * instances saw it go), then checks every task ended exactly once and both instances are well again,
 * never restarted.
 */
async function restartMidRun(
  servers: ServerProcess[],
  restarted: Restartable,
  successfulCalls: () => number,
): Promise<void> {
  const startedMs = performance.now();
  const ids = await submitRoundRobin(servers, TASKS, { prompt: `${restarted.name} restart` });
  await waitUntil(() => successfulCalls() >= TASKS / 4, {
    what: `a quarter of the ${TASKS} upstream calls before the restart`,
    timeoutMs: 60_000,
  });
  await restarted.kill();
  await waitUntil(
    async () =>
      (await Promise.all(servers.map((server) => health(server, restarted.name)))).every(
        (answer) => answer.up === false,
      ),
    { what: `both instances to report ${restarted.name} down`, timeoutMs: 30_000, intervalMs: 200 },
  );
  await restarted.start();
  await waitUntil(
    async () =>
      (await Promise.all(servers.map((server) => health(server, restarted.name)))).every(
        (answer) => answer.status === 200,
      ),
    {
      what: `both instances to answer /healthz with 200 once ${restarted.name} is back`,
      timeoutMs: 30_000,
      intervalMs: 200,
    },
  );

  const tasks = await waitUntilAllFinal(servers[0]!.url, 180_000);
  expect(tasks.map((task) => task.id).sort()).toEqual([...ids].sort());
  expect(tasks.filter((task) => task.status !== 'success')).toEqual([]);
  // Exactly once: each task's events, replayed by the other instance, hold one success.
  const successEvents = await mapInBatches(ids, 20, async (id) => {
    const text = await (await fetch(`${servers[1]!.url}/v1/tasks/${id}/events`)).text();
    return parseSse(text).filter((frame) => frame.event === 'success').length;
  });
  expect(successEvents).toEqual(ids.map(() => 1));
  for (const server of servers) expect(server.child.exitCode).toBeNull();
  console.log(
    `${restarted.name} restart: ${TASKS} tasks in ${((performance.now() - startedMs) / 1000).toFixed(0)} s, ${successfulCalls()} successful upstream calls (re-runs after a lost completion count here)`,
  );
}

/** `/healthz` of one instance: its status code and what it says of the restarted dependency. */
async function health(
  server: ServerProcess,
  name: Restartable['name'],
): Promise<{ status: number; up: boolean | undefined }> {
  const response = await fetch(`${server.url}/healthz`);
  const body = await readJson(response, healthSchema);
  return { status: response.status, up: body.dependencies?.[name]?.ok };
}
