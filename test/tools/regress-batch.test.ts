import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GoogleGenAI } from '@google/genai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runCli } from '../../src/cli/run-cli.js';
import { ManualClock } from '../../src/clock/index.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { captureIo } from '../support/capture-io.js';
import { testDayMs } from '../support/test-day.js';

// Two GA models (neither retired on the pinned day): one batch job per model.
const baseline = 'gemini-3.1-flash-image';
const candidate = 'gemini-3-pro-image';

const sideSchema = z.object({
  outcome: z.string(),
  costUsd: z.number(),
  servedBy: z.object({ modelId: z.string() }),
  message: z.string().nullable(),
});
const reportSchema = z.object({
  pairs: z.array(z.object({ promptId: z.string(), baseline: sideSchema, candidate: sideSchema })),
});

describe('imagegate regress --batch', () => {
  let emulator: RunningEmulator;
  let cwd: string;
  const clock = new ManualClock(testDayMs);
  beforeAll(async () => {
    emulator = await startEmulator({ clock });
    cwd = await mkdtemp(join(tmpdir(), 'imagegate-regress-batch-'));
    await writeFile(join(cwd, 'prompts.txt'), 'a red fox\na lighthouse\na bowl of ramen\n');
  });
  afterAll(() => emulator.close());

  it('runs every side through one batch job per model at half the online cost of the same run', async () => {
    const env = { GEMINI_API_KEY: 'k', GOOGLE_GEMINI_BASE_URL: emulator.url };
    const argv = ['regress', '--prompts', 'prompts.txt', '--baseline', baseline, '--candidate', candidate];
    const online = captureIo({ cwd, env, clock });
    expect(await runCli([...argv, '--size', '1K', '--out', 'online', '--json'], online)).toBe(1);
    const batch = captureIo({ cwd, env, clock });
    expect(await runCli([...argv, '--size', '1K', '--out', 'batch', '--json', '--batch'], batch)).toBe(1);

    expect(batch.err()).toMatch(/batch job batches\/\w+: JOB_STATE_SUCCEEDED \(0 pending, 3 succeeded/);
    const client = new GoogleGenAI({
      apiKey: 'k',
      httpOptions: { baseUrl: emulator.url, apiVersion: 'v1beta' },
    });
    const jobs: string[] = [];
    for await (const job of await client.batches.list()) jobs.push(job.model ?? '');
    expect(jobs.sort()).toEqual([`models/${candidate}`, `models/${baseline}`].sort());

    const onlineReport = reportSchema.parse(JSON.parse(online.out()));
    const batchReport = reportSchema.parse(JSON.parse(batch.out()));
    expect(batchReport.pairs).toHaveLength(3);
    for (const [index, pair] of batchReport.pairs.entries()) {
      const onlinePair = onlineReport.pairs[index]!;
      for (const side of ['baseline', 'candidate'] as const) {
        expect(pair[side].outcome).toBe('success');
        // Not moved online (that would carry the online-lane warning).
        expect(pair[side].message).toBeNull();
        expect(pair[side].servedBy.modelId).toBe(onlinePair[side].servedBy.modelId);
        expect(pair[side].costUsd).toBeCloseTo(onlinePair[side].costUsd / 2, 10);
      }
    }
  });
});
