import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { loadRedisAdapter } from '../../src/coordination/index.js';
import { redisAvailable, testRedisUrl } from '../../src/coordination/test-support/temporary-redis.js';
import { postgresAvailable } from '../../src/tasks/test-support/temporary-postgres.js';
import { parseSse } from '../support/parse-sse.js';
import {
  emulatorOutcomes,
  mapInBatches,
  serveClusterFixture,
  submitRoundRobin,
  waitUntilAllFinal,
} from './serve-cluster.js';

const { redisConnectionName } = await loadRedisAdapter();

const TASKS = 300;

const available = (await postgresAvailable()) && (await redisAvailable());

describe.skipIf(!available)(
  'PostgreSQL and Redis connections cut while two serve processes run tasks',
  () => {
    const startCluster = serveClusterFixture('imagegate_restarts');

    it('every task still ends exactly once, and the servers recover without a restart', async () => {
      // Only this test's connections are cut: the instances name theirs (PGAPPNAME, and the key prefix).
      const applicationName = `imagegate-restarts-${randomBytes(4).toString('hex')}`;
      const { servers, emulator, pool, redisKeyPrefix } = await startCluster({
        instances: 2,
        redisUrl: testRedisUrl,
        scenarioYaml: 'latency: { default: { medianMs: 300, p95Ms: 500 } }\n',
        configYaml: 'server:\n  leaseMs: 2000\n  workerConcurrency: 6\n  shutdownGraceMs: 0\n',
        env: { PGAPPNAME: applicationName },
      });
      const ids = await submitRoundRobin(servers, TASKS, { prompt: 'restart', inParallel: 1 });

      const admin = pool();
      const redis = new Redis(testRedisUrl);
      try {
        const waitForCalls = async (count: number) => {
          const deadlineMs = performance.now() + 60_000;
          while (emulatorOutcomes(emulator).ok < count && performance.now() < deadlineMs) {
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
          expect(emulatorOutcomes(emulator).ok).toBeGreaterThanOrEqual(count);
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
        const name = redisConnectionName(redisKeyPrefix!);
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
      const tasks = await waitUntilAllFinal(servers[0]!.url, 180_000);
      expect(tasks.map((task) => task.id).sort()).toEqual([...ids].sort());
      expect(tasks.filter((task) => task.status !== 'success')).toEqual([]);
      // Exactly once: each task has one success event.
      const successEvents = await mapInBatches(ids, 20, async (id) => {
        const text = await (await fetch(`${servers[1]!.url}/v1/tasks/${id}/events`)).text();
        return parseSse(text).filter((frame) => frame.event === 'success').length;
      });
      expect(successEvents).toEqual(ids.map(() => 1));
      // Both instances still answer and take work after the cuts, without a restart.
      for (const server of servers) {
        const health = await fetch(`${server.url}/healthz`);
        expect(health.status).toBe(200);
        expect(server.child.exitCode).toBeNull();
      }
      console.log(
        `dependency restarts: ${TASKS} tasks, ${emulatorOutcomes(emulator).ok} successful upstream calls (re-runs after a lost completion count here)`,
      );
    }, 300_000);
  },
);
