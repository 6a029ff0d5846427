import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseScenario, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { startServerProcess, type ServerProcess } from './server-process.js';

/**
 * The batch lane of a real `imagegate serve` child process killed with SIGKILL: between creating a job and
 * its results, and while the results are being written to tasks. The emulator counts job creations and
 * online calls, so a resubmission or an online fallback cannot hide.
 */

const jobHours = 2;

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

const taskSchema = z.object({
  id: z.string(),
  status: z.string(),
  lane: z.string(),
  batch_job: z
    .object({ id: z.string(), name: z.string().nullable(), state: z.string() })
    .nullable()
    .optional(),
  cost: z.object({ estimated_usd: z.number().nullable(), actual_usd: z.number().nullable() }),
  attempts: z.array(z.object({ outcome: z.string() })),
  warnings: z.array(z.string()),
});
const jobsSchema = z.object({
  data: z.array(
    z.object({ id: z.string(), name: z.string().nullable(), state: z.string(), finished: z.boolean() }),
  ),
});

function callsByMethod(running: RunningEmulator, method: string): number {
  return Object.values(running.stats.snapshot().models).reduce(
    (sum, model) => sum + (model.byMethod[method] ?? 0),
    0,
  );
}

/** Polls until `check` holds, with its own deadline. */
async function until<T>(what: string, read: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
  const deadline = performance.now() + 60_000;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (performance.now() > deadline) throw new Error(`not within 60 s: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function setUp(options: { maxTasksPerJob: number; gatherWindowMs: number }) {
  directory = await mkdtemp(join(tmpdir(), 'imagegate-batch-crash-'));
  // Jobs stay RUNNING until the test moves the emulator's clock past their duration.
  emulator = await startEmulator({
    scenario: parseScenario(`batches: { duration: ${jobHours}h }\n`, 'b.yaml'),
  });
  const configPath = join(directory, 'imagegate.config.yaml');
  await writeFile(
    configPath,
    [
      'server:',
      '  shutdownGraceMs: 0',
      '  batch:',
      `    maxTasksPerJob: ${options.maxTasksPerJob}`,
      `    gatherWindowMs: ${options.gatherWindowMs}`,
      '    pollBaseMs: 1000',
      '    pollMaxMs: 1000',
      '    tickIntervalMs: 200',
      '',
    ].join('\n'),
  );
  const env = { GEMINI_API_KEY: 'batch-crash', GOOGLE_GEMINI_BASE_URL: emulator.url };
  const args = ['--config', configPath, '--data-dir', join(directory, 'data')];
  const start = async () => {
    const server = await startServerProcess({ args, env, cwd: directory! });
    servers.push(server);
    return server;
  };
  return { emulator, start };
}

async function submit(url: string, count: number): Promise<string[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const response = await fetch(`${url}/v1/images/generations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'image_fast',
          prompt: `batch crash ${index}`,
          image_size: '512',
          lane: 'batch',
        }),
      });
      expect(response.status).toBe(202);
      return taskSchema.parse(await response.json()).id;
    }),
  );
}

async function jobs(url: string) {
  return jobsSchema.parse(await (await fetch(`${url}/v1/batches`)).json()).data;
}

async function tasks(url: string, ids: string[]) {
  return Promise.all(
    ids.map(async (id) => taskSchema.parse(await (await fetch(`${url}/v1/tasks/${id}`)).json())),
  );
}

function expectFinishedByBatchOnce(finished: z.infer<typeof taskSchema>[]): void {
  for (const task of finished) {
    expect(task.status).toBe('success');
    // One attempt, through the batch job, at the batch price: never resubmitted, never run online.
    expect(task.attempts.map((attempt) => attempt.outcome)).toEqual(['success']);
    expect(task.warnings).toEqual([]);
    expect(task.cost.actual_usd).toBeGreaterThan(0);
    expect(task.cost.actual_usd).toBeLessThan(task.cost.estimated_usd! * 2);
  }
}

describe('batch lane crash recovery (SIGKILL of imagegate serve)', () => {
  it('resumes polling a created job after a kill between create and results, creating nothing again', async () => {
    const { emulator, start } = await setUp({ maxTasksPerJob: 5, gatherWindowMs: 60_000 });
    const first = await start();
    const ids = await submit(first.url, 5);
    const created = await until(
      'a job created and its name stored',
      () => jobs(first.url),
      (list) => list.some((job) => job.name !== null),
    );
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    expect(created).toHaveLength(1);
    expect(callsByMethod(emulator, 'batchGenerateContent')).toBe(1);

    const second = await start();
    emulator.clock.setNow(emulator.clock.nowMs() + jobHours * 3_600_000 + 1_000);
    const finished = await until(
      'every task final',
      () => tasks(second.url, ids),
      (list) => list.every((task) => task.status === 'success' || task.status === 'failed'),
    );
    expectFinishedByBatchOnce(finished);
    expect(new Set(finished.map((task) => task.batch_job?.name))).toEqual(new Set([created[0]!.name]));
    expect(callsByMethod(emulator, 'batchGenerateContent')).toBe(1);
    expect(callsByMethod(emulator, 'generateContent')).toBe(0);
  }, 120_000);

  it('finishes every task exactly once after a kill while results are being written', async () => {
    const count = 60;
    const { emulator, start } = await setUp({ maxTasksPerJob: count, gatherWindowMs: 60_000 });
    const first = await start();
    const ids = await submit(first.url, count);
    await until(
      'the job created',
      () => jobs(first.url),
      (list) => list.some((job) => job.name !== null),
    );
    emulator.clock.setNow(emulator.clock.nowMs() + jobHours * 3_600_000 + 1_000);
    // Results are written one task at a time: kill once some, not all, are in.
    await until(
      'some results written',
      () => tasks(first.url, ids),
      (list) => list.some((task) => task.status === 'success'),
    );
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    const before = await (async () => {
      const second = await start();
      return { second, list: await tasks(second.url, ids) };
    })();
    const writtenBeforeKill = before.list.filter((task) => task.status === 'success').length;
    // The kill landed mid-way: some results written, not all.
    expect(writtenBeforeKill).toBeGreaterThan(0);
    expect(writtenBeforeKill).toBeLessThan(count);

    const finished = await until(
      'every task final',
      () => tasks(before.second.url, ids),
      (list) => list.every((task) => task.status === 'success' || task.status === 'failed'),
    );
    expectFinishedByBatchOnce(finished);
    expect(callsByMethod(emulator, 'batchGenerateContent')).toBe(1);
    expect(callsByMethod(emulator, 'generateContent')).toBe(0);
    const [job] = await until(
      'the job finished',
      () => jobs(before.second.url),
      (list) => list.every((entry) => entry.finished),
    );
    expect(job?.state).toBe('JOB_STATE_SUCCEEDED');
  }, 120_000);
});
