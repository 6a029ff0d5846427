import { describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { postgresAvailable } from '../../src/tasks/test-support/temporary-postgres.js';
import type { ServerProcess } from '../server/server-process.js';
import { readJson, taskSchema } from '../support/read-json.js';
import { waitUntil } from '../support/wait-until.js';
import { serveClusterFixture, submitRoundRobin } from './serve-cluster.js';

const TASK_COUNT = 100;
const available = await postgresAvailable();

function totalCalls(running: RunningEmulator): number {
  return Object.values(running.stats.snapshot().models).reduce((sum, model) => sum + model.calls, 0);
}

describe.skipIf(!available)('crash recovery on PostgreSQL + S3, two serve processes', () => {
  const startCluster = serveClusterFixture('imagegate_crash');

  it('SIGKILL one instance mid-flight: the other finishes every task exactly once, images readable', async () => {
    const { servers, emulator } = await startCluster({
      instances: 2,
      s3: true,
      scenarioYaml: 'latency: { default: { medianMs: 400, p95Ms: 700 } }\n',
      configYaml: 'server:\n  leaseMs: 2000\n  workerConcurrency: 8\n  shutdownGraceMs: 0\n',
    });
    const [doomed, survivor] = servers as [ServerProcess, ServerProcess];

    const ids = await submitRoundRobin([doomed], TASK_COUNT, {
      prompt: 'crash test',
      inParallel: TASK_COUNT,
    });
    await waitUntil(() => totalCalls(emulator) >= TASK_COUNT / 4, {
      what: `a quarter of the ${TASK_COUNT} upstream calls before the kill`,
      timeoutMs: 30_000,
    });
    doomed.child.kill('SIGKILL');
    expect(await doomed.exited).toBe('SIGKILL');

    const tasks = await Promise.all(ids.map((id) => waitUntilFinal(survivor.url, id)));
    expect(tasks.map((task) => task.status)).toEqual(ids.map(() => 'success'));
    for (const task of tasks) {
      const image = await fetch(`${survivor.url}${task.result?.images[0]?.url}`);
      expect(image.status).toBe(200);
      expect(image.headers.get('content-type')).toBe('image/png');
    }
    const successEvents = await Promise.all(
      ids.map(async (id) => {
        const text = await (await fetch(`${survivor.url}/v1/tasks/${id}/events`)).text();
        return [...text.matchAll(/^event: success$/gm)].length;
      }),
    );
    expect(successEvents).toEqual(ids.map(() => 1));
  }, 180_000);
});

async function waitUntilFinal(url: string, id: string) {
  return waitUntil(
    async () => {
      const task = await readJson(await fetch(`${url}/v1/tasks/${id}`), taskSchema);
      return ['success', 'failed', 'cancelled'].includes(task.status) && task;
    },
    { what: `${id} to finish`, timeoutMs: 150_000, intervalMs: 250 },
  );
}
