import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseScenario, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { startServerProcess, type ServerProcess } from './server-process.js';
import { readJson, taskPageSchema, taskSchema } from '../support/read-json.js';
import { waitUntil } from '../support/wait-until.js';

const TASK_COUNT = 200;

let emulator: RunningEmulator | undefined;
let servers: ServerProcess[] = [];
let directory: string | undefined;
afterEach(async () => {
  for (const server of servers) if (server.child.exitCode === null) server.child.kill('SIGKILL');
  await Promise.all(servers.map((server) => server.exited));
  servers = [];
  await emulator?.close();
  if (directory) await rm(directory, { recursive: true, force: true });
});

function totalCalls(running: RunningEmulator): number {
  return Object.values(running.stats.snapshot().models).reduce((sum, model) => sum + model.calls, 0);
}

async function eventTypes(url: string, taskId: string): Promise<string[]> {
  const text = await (await fetch(`${url}/v1/tasks/${taskId}/events`)).text();
  return [...text.matchAll(/^event: (.+)$/gm)].map((match) => match[1]!);
}

describe('crash recovery', () => {
  it('finishes every task exactly once after a SIGKILL mid-flight and a restart', async () => {
    directory = await mkdtemp(join(tmpdir(), 'imagegate-crash-'));
    emulator = await startEmulator({
      // Slow enough that 200 tasks at 16 at a time take several seconds: the kill lands mid-flight.
      scenario: parseScenario('latency: { default: { medianMs: 500, p95Ms: 800 } }\n', 'latency.yaml'),
    });
    const configPath = join(directory, 'imagegate.config.yaml');
    await writeFile(configPath, 'server:\n  leaseMs: 2000\n  workerConcurrency: 16\n  shutdownGraceMs: 0\n');
    const env = { GEMINI_API_KEY: 'crash-test', GOOGLE_GEMINI_BASE_URL: emulator.url };
    const args = ['--config', configPath, '--data-dir', join(directory, 'data')];

    const first = await startServerProcess({ args, env, cwd: directory });
    servers.push(first);
    // Submitted together, so every task is committed well before the worker could have finished them.
    const ids = await Promise.all(
      Array.from({ length: TASK_COUNT }, async (_, index) => {
        const response = await fetch(`${first.url}/v1/images/generations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'image_fast', prompt: `crash test ${index}`, image_size: '512' }),
        });
        expect(response.status).toBe(202);
        return (await readJson(response, taskSchema)).id;
      }),
    );
    await waitUntil(() => totalCalls(emulator!) >= TASK_COUNT / 3, {
      what: `a third of the ${TASK_COUNT} upstream calls before the kill`,
      timeoutMs: 30_000,
    });
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    const callsBeforeRestart = totalCalls(emulator);
    expect(callsBeforeRestart).toBeLessThan(TASK_COUNT);

    const second = await startServerProcess({ args, env, cwd: directory });
    servers.push(second);
    const tasks = await Promise.all(
      ids.map(async (id) => {
        const response = await fetch(`${second.url}/v1/tasks/${id}`);
        expect(response.status).toBe(200);
        return waitUntilFinal(second.url, id);
      }),
    );

    expect(tasks.map((task) => task.status)).toEqual(ids.map(() => 'success'));
    expect(totalCalls(emulator)).toBeGreaterThanOrEqual(TASK_COUNT);
    for (const task of tasks) {
      expect(task.result?.images).toHaveLength(1);
      const image = await fetch(`${second.url}${task.result?.images[0]?.url}`);
      expect(image.status).toBe(200);
      expect(image.headers.get('content-type')).toBe('image/png');
    }
    const successEvents = await Promise.all(
      ids.map(async (id) => (await eventTypes(second.url, id)).filter((type) => type === 'success').length),
    );
    expect(successEvents).toEqual(ids.map(() => 1));
    const page = await readJson(
      await fetch(`${second.url}/v1/tasks?status=success&limit=100`),
      taskPageSchema,
    );
    expect(page.has_more).toBe(true);
  }, 120_000);
});

async function waitUntilFinal(url: string, id: string) {
  return waitUntil(
    async () => {
      const task = await readJson(await fetch(`${url}/v1/tasks/${id}`), taskSchema);
      return ['success', 'failed', 'cancelled'].includes(task.status) && task;
    },
    { what: `${id} to finish`, timeoutMs: 90_000, intervalMs: 250 },
  );
}
