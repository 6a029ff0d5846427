import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/index.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { ApiKeyStore } from '../../src/server/auth/index.js';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { openSqliteDatabase } from '../../src/tasks/index.js';

/**
 * The OpenAI-compatible endpoints go through the same budget reservation as `/v1` and are recorded as
 * tasks: a whole server, the official `openai` client, the emulator behind it.
 */
let directory: string;
let emulator: RunningEmulator;
let server: RunningServer;
let keys: ApiKeyStore;
let closeKeys: () => void;
let admin: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'imagegate-openai-budget-'));
  emulator = await startEmulator();
  // The server's own database: keys made here are the keys it checks.
  const database = openSqliteDatabase(join(directory, 'data', 'tasks.sqlite'));
  keys = new ApiKeyStore(database);
  closeKeys = () => database.close();
  admin = keys.create({ name: 'operator', admin: true }).secret;
  server = await startServer({
    config: configSchema.parse({}),
    port: 0,
    dataDirectory: join(directory, 'data'),
    env: { GEMINI_API_KEY: 'budget', GOOGLE_GEMINI_BASE_URL: emulator.url },
  });
});
afterAll(async () => {
  await server.close();
  closeKeys();
  await emulator.close();
  await rm(directory, { recursive: true, force: true });
});

const client = (apiKey: string) => new OpenAI({ apiKey, baseURL: `${server.url}/openai/v1`, maxRetries: 0 });

interface TaskList {
  data: {
    metadata: Record<string, string>;
    cost: { estimated_usd: number | null; actual_usd: number | null };
  }[];
}

async function tasksOf(secret: string): Promise<TaskList['data']> {
  const response = await fetch(`${server.url}/v1/tasks?limit=100`, {
    headers: { authorization: `Bearer ${secret}` },
  });
  return ((await response.json()) as TaskList).data;
}

describe('OpenAI-compatible endpoints and budgets', () => {
  it('records a synchronous generation as a task of the calling key', async () => {
    const response = await client(admin).images.generate({ model: 'gpt-image-1', prompt: 'a kite' });
    expect(response.data?.[0]?.b64_json).toBeTruthy();
    const [task] = await tasksOf(admin);
    expect(task?.metadata).toEqual({ source: 'openai' });
    expect(task?.cost.estimated_usd).toBeGreaterThan(0);
    expect(task?.cost.actual_usd).toBeGreaterThan(0);
  });

  it('accepts at most what fits among 50 concurrent requests through the openai client', async () => {
    const [first] = await tasksOf(admin);
    const estimate = first!.cost.estimated_usd!;
    const { secret } = keys.create({ name: 'tight', monthlyBudgetUsd: estimate * 3.5 });
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () =>
        client(secret).images.generate({ model: 'gpt-image-1', prompt: 'a kite' }),
      ),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(3);
    const refused = results.filter((result) => result.status === 'rejected');
    expect(refused).toHaveLength(47);
    for (const result of refused) {
      expect(result.reason).toBeInstanceOf(OpenAI.RateLimitError);
      expect((result.reason as InstanceType<typeof OpenAI.RateLimitError>).code).toBe(
        'monthly_budget_exceeded',
      );
    }
    const spent = (await tasksOf(secret)).reduce(
      (sum, task) => sum + (task.cost.actual_usd ?? task.cost.estimated_usd ?? 0),
      0,
    );
    expect(spent).toBeLessThanOrEqual(estimate * 3.5);
    // The same key is refused on /v1 too: one budget, whichever door.
    const v1 = await fetch(`${server.url}/v1/images/generations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'another kite' }),
    });
    expect(v1.status).toBe(429);
  });
});
