import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
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

const TASKS = Number(process.env.IMAGEGATE_THREE_PROCESS_TASKS ?? 2_000);
/** The emulator's per-minute quota, and the limit the instances are configured with: half the tasks. */
const QUOTA_RPM = Math.ceil(TASKS / 2);
const finalStatuses = new Set(['success', 'failed', 'cancelled']);
const listSchema = z.object({
  data: z.array(
    z.object({
      id: z.string(),
      status: z.string(),
      attempts: z.array(z.object({ outcome: z.string(), http_status: z.number().nullable() })),
    }),
  ),
  next_cursor: z.string().nullable(),
});

const available = (await postgresAvailable()) && (await redisAvailable());

let emulator: RunningEmulator | undefined;
let servers: ServerProcess[] = [];
let directory: string | undefined;
let redisKeyPrefix: string | undefined;
afterEach(async () => {
  for (const server of servers) if (server.child.exitCode === null) server.child.kill('SIGKILL');
  await Promise.all(servers.map((server) => server.exited));
  servers = [];
  await emulator?.close();
  if (directory) await rm(directory, { recursive: true, force: true });
  if (redisKeyPrefix) {
    await deleteRedisKeys(redisKeyPrefix);
  }
});

describe.skipIf(!available)('three serve processes on one PostgreSQL and one Redis', () => {
  const schema = temporaryPostgresSchema('imagegate_three');

  it(`${TASKS} tasks under one per-minute quota: each ends once, the quota holds across processes`, async () => {
    const temporary = await schema();
    directory = await mkdtemp(join(tmpdir(), 'imagegate-three-'));
    redisKeyPrefix = `imagegate-test-${randomBytes(6).toString('hex')}:`;
    emulator = await startEmulator({
      scenario: parseScenario(
        `latency: { default: { medianMs: 100, p95Ms: 200 } }\nquotas:\n  - { model: '*', rpm: ${QUOTA_RPM} }\n`,
        'quota.yaml',
      ),
    });
    const configPath = join(directory, 'imagegate.config.yaml');
    await writeFile(
      configPath,
      [
        'limits:',
        `  - { platform: gemini-api, requestsPerMinute: ${QUOTA_RPM} }`,
        'server:',
        // Few enough calls in flight that the emulator (in this test process) answers within the pacer's
        // arrival allowance on a loaded two-core machine (see docs/deployment.md on quota pacing).
        '  workerConcurrency: 4',
        '  shutdownGraceMs: 0',
        '',
      ].join('\n'),
    );
    const env = {
      GEMINI_API_KEY: 'three-process-test',
      GOOGLE_GEMINI_BASE_URL: emulator.url,
      IMAGEGATE_STORE: 'postgres',
      IMAGEGATE_POSTGRES_URL: testPostgresUrl,
      IMAGEGATE_POSTGRES_SCHEMA: temporary.name,
      IMAGEGATE_COORDINATION: 'redis',
      IMAGEGATE_REDIS_URL: testRedisUrl,
      IMAGEGATE_REDIS_KEY_PREFIX: redisKeyPrefix,
      IMAGEGATE_WEBHOOK_SECRET: 'whsec_dGVzdC1zZWNyZXQtZm9yLXRocmVlLXByb2Nlc3Nlcw==',
    };
    for (const name of ['a', 'b', 'c']) {
      servers.push(
        await startServerProcess({
          args: ['--config', configPath, '--data-dir', join(directory, name)],
          env,
          cwd: directory,
        }),
      );
    }

    // Submitted round-robin, 30 requests at a time.
    const ids: string[] = [];
    for (let start = 0; start < TASKS; start += 30) {
      const batch = Array.from({ length: Math.min(30, TASKS - start) }, (_, offset) => start + offset);
      ids.push(
        ...(await Promise.all(
          batch.map(async (index) => {
            const response = await fetch(`${servers[index % 3]!.url}/v1/images/generations`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ model: 'image_fast', prompt: `three ${index}`, image_size: '512' }),
            });
            expect(response.status).toBe(202);
            return z.object({ id: z.string() }).parse(await response.json()).id;
          }),
        )),
      );
    }

    // The second half cannot start before the first half's minute has passed. Deadline: 5 minutes.
    const deadlineMs = performance.now() + 300_000;
    let tasks = await listAll(servers[2]!.url);
    while (tasks.some((task) => !finalStatuses.has(task.status)) && performance.now() < deadlineMs) {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      tasks = await listAll(servers[2]!.url);
    }
    expect(tasks).toHaveLength(TASKS);
    expect(new Set(tasks.map((task) => task.id))).toEqual(new Set(ids));
    expect(tasks.filter((task) => task.status !== 'success')).toEqual([]);
    // Exactly once: one successful upstream call per task, no task run twice.
    const outcomes = emulatorOutcomes(emulator);
    expect(outcomes.ok).toBe(TASKS);
    for (const task of tasks) {
      expect(task.attempts.filter((attempt) => attempt.outcome === 'success')).toHaveLength(1);
    }
    // The instances together kept to the quota: the emulator refused at most 1 % of the calls.
    expect(outcomes.refused).toBeLessThanOrEqual(Math.floor(outcomes.total / 100));
    console.log(
      `three processes: ${TASKS} tasks, quota ${QUOTA_RPM}/min, ${outcomes.total} upstream calls, ${outcomes.refused} refused with 429`,
    );
  }, 420_000);
});

function emulatorOutcomes(running: RunningEmulator): { ok: number; refused: number; total: number } {
  let ok = 0;
  let refused = 0;
  let total = 0;
  for (const model of Object.values(running.stats.snapshot().models)) {
    ok += model.byOutcome.ok ?? 0;
    refused += model.byOutcome['429'] ?? 0;
    total += model.calls;
  }
  return { ok, refused, total };
}

async function listAll(url: string): Promise<z.infer<typeof listSchema>['data']> {
  const tasks: z.infer<typeof listSchema>['data'] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const page = listSchema.parse(await (await fetch(`${url}/v1/tasks?limit=100${query}`)).json());
    tasks.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor);
  return tasks;
}
