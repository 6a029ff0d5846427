import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseScenario, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { PostgresApiKeyStore } from '../../src/server/auth/index.js';
import {
  postgresAvailable,
  temporaryPostgresSchema,
  testPostgresUrl,
} from '../../src/tasks/test-support/temporary-postgres.js';
import { startServerProcess, type ServerProcess } from '../server/server-process.js';

const BUDGET_USD = 1;
const SUBMISSIONS = 60;
const taskSchema = z.object({
  id: z.string(),
  status: z.string(),
  cost: z.object({ estimated_usd: z.number().nullable(), actual_usd: z.number().nullable() }),
});
const errorSchema = z.object({ error: z.object({ code: z.string() }) });

const available = await postgresAvailable();

let emulator: RunningEmulator | undefined;
let servers: ServerProcess[] = [];
let directory: string | undefined;
afterEach(async () => {
  for (const server of servers) if (server.child.exitCode === null) server.child.kill('SIGTERM');
  await Promise.all(servers.map((server) => server.exited));
  servers = [];
  await emulator?.close();
  if (directory) await rm(directory, { recursive: true, force: true });
});

describe.skipIf(!available)('a monthly budget across two serve processes on one PostgreSQL', () => {
  const schema = temporaryPostgresSchema('imagegate_budget');

  it('concurrent submissions to both never reserve more than the budget, and spend stays within it', async () => {
    const temporary = await schema();
    const pool = temporary.pool();
    const { secret } = await new PostgresApiKeyStore(pool).create({
      name: 'capped',
      monthlyBudgetUsd: BUDGET_USD,
    });
    directory = await mkdtemp(join(tmpdir(), 'imagegate-budget-'));
    // Latency keeps tasks in flight while submissions arrive: their estimates hold budget meanwhile.
    emulator = await startEmulator({
      scenario: parseScenario('latency: { default: { medianMs: 300, p95Ms: 500 } }\n', 'latency.yaml'),
    });
    const configPath = join(directory, 'imagegate.config.yaml');
    await writeFile(configPath, 'server:\n  workerConcurrency: 4\n  shutdownGraceMs: 0\n');
    const env = {
      GEMINI_API_KEY: 'budget-test',
      GOOGLE_GEMINI_BASE_URL: emulator.url,
      IMAGEGATE_STORE: 'postgres',
      IMAGEGATE_POSTGRES_URL: testPostgresUrl,
      IMAGEGATE_POSTGRES_SCHEMA: temporary.name,
      IMAGEGATE_WEBHOOK_SECRET: 'whsec_dGVzdC1zZWNyZXQtZm9yLWJ1ZGdldC10ZXN0cw==',
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

    const answers = await Promise.all(
      Array.from({ length: SUBMISSIONS }, async (_, index) => {
        const server = servers[index % 2]!;
        const response = await fetch(`${server.url}/v1/images/generations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
          body: JSON.stringify({ model: 'image_fast', prompt: `budget ${index}`, image_size: '512' }),
        });
        return { server: index % 2, status: response.status, body: (await response.json()) as unknown };
      }),
    );
    const accepted = answers.filter((answer) => answer.status === 202);
    const refused = answers.filter((answer) => answer.status !== 202);
    // Both instances accepted some and refused some: the budget was shared, not counted per instance.
    expect(new Set(accepted.map((answer) => answer.server))).toEqual(new Set([0, 1]));
    expect(new Set(refused.map((answer) => answer.server))).toEqual(new Set([0, 1]));
    for (const answer of refused) {
      expect(answer.status).toBe(429);
      expect(errorSchema.parse(answer.body).error.code).toBe('monthly_budget_exceeded');
    }

    // Every task ends; what they cost together stays within the budget, give or take what the tasks that
    // were in flight cost beyond their estimates.
    const finished = await Promise.all(
      accepted.map((answer) =>
        waitUntilFinal(servers[answer.server]!.url, taskSchema.parse(answer.body).id, secret),
      ),
    );
    expect(finished.map((task) => task.status)).toEqual(finished.map(() => 'success'));
    const spentUsd = finished.reduce((sum, task) => sum + (task.cost.actual_usd ?? 0), 0);
    const beyondEstimatesUsd = finished.reduce(
      (sum, task) => sum + Math.max(0, (task.cost.actual_usd ?? 0) - (task.cost.estimated_usd ?? 0)),
      0,
    );
    expect(spentUsd).toBeLessThanOrEqual(BUDGET_USD + beyondEstimatesUsd + 1e-9);
    // The budget was used, not refused early: one more task would not have fitted.
    const estimateUsd = finished[0]!.cost.estimated_usd!;
    expect(spentUsd + estimateUsd).toBeGreaterThan(BUDGET_USD - beyondEstimatesUsd);
    console.log(
      `budget across processes: ${accepted.length} of ${SUBMISSIONS} accepted at ~$${estimateUsd} each, spent $${spentUsd.toFixed(4)} of $${BUDGET_USD}`,
    );
    await pool.end();
  }, 120_000);
});

async function waitUntilFinal(url: string, id: string, secret: string): Promise<z.infer<typeof taskSchema>> {
  const deadlineMs = performance.now() + 90_000;
  while (performance.now() < deadlineMs) {
    const response = await fetch(`${url}/v1/tasks/${id}`, { headers: { authorization: `Bearer ${secret}` } });
    const task = taskSchema.parse(await response.json());
    if (['success', 'failed', 'cancelled'].includes(task.status)) return task;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`task ${id} did not finish within 90 s`);
}
