import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runCli } from '../src/cli/run-cli.js';
import { builtInEmulatorBatchDurationMs } from '../src/cli/batch-flags.js';
import { ManualClock } from '../src/clock/index.js';
import { captureIo } from './support/capture-io.js';
import { testDayMs } from './support/test-day.js';

const batchResultSchema = z.object({
  ok: z.literal(true),
  images: z.array(z.object({ path: z.string(), mimeType: z.string(), width: z.number() })),
  servedBy: z.object({ modelId: z.string(), platform: z.string() }),
  costUsd: z.number(),
  warnings: z.array(z.string()),
  attempts: z.array(z.object({ outcome: z.string() })),
});

describe('imagegate generate --batch without a key', () => {
  it('waits for a batch job on the built-in emulator, with progress on stderr, and prints JSON', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'imagegate-generate-batch-'));
    const clock = new ManualClock(testDayMs);
    const io = captureIo({ cwd: directory, clock });
    const exitCode = await runCli(
      ['generate', 'a lighthouse at dusk', '--batch', '--size', '1K', '-o', 'lighthouse.png', '--json'],
      io,
    );
    expect({ exitCode, stderr: io.err() }).toMatchObject({ exitCode: 0 });
    expect(io.err()).toMatch(/No GEMINI_API_KEY set: using the built-in Gemini emulator/);
    expect(io.err()).toMatch(/batch job batches\/\w+: JOB_STATE_PENDING \(1 pending/);
    expect(io.err()).toMatch(/batch job batches\/\w+: JOB_STATE_SUCCEEDED \(0 pending, 1 succeeded/);
    const result = batchResultSchema.parse(JSON.parse(io.out()));
    // Served by the batch job, not moved online: no warning about the online lane, one attempt.
    expect(result.warnings).toEqual([]);
    expect(result.attempts.map((attempt) => attempt.outcome)).toEqual(['success']);
    expect(result.images).toHaveLength(1);
    const metadata = await sharp(join(directory, 'lighthouse.png')).metadata();
    expect(metadata.format).toBe('png');
    // The wait ran on the injected clock: at least the emulator's batch duration passed.
    expect(clock.nowMs() - testDayMs).toBeGreaterThanOrEqual(builtInEmulatorBatchDurationMs);
  });

  it('refuses --deadline without --batch, and a deadline outside 2 h to 48 h, naming the flag', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'imagegate-generate-batch-'));
    const alone = captureIo({ cwd: directory });
    expect(await runCli(['generate', 'x', '--deadline', '2026-11-22T00:00:00Z'], alone)).toBe(2);
    expect(alone.err()).toMatch(/--deadline.*only allowed with --batch/);
    const tooSoon = captureIo({ cwd: directory });
    const inOneHour = new Date(testDayMs + 3_600_000).toISOString();
    expect(await runCli(['generate', 'x', '--batch', '--deadline', inOneHour], tooSoon)).toBe(2);
    expect(tooSoon.err()).toMatch(/--deadline ".*": must be from 2 h to 48 h after now/);
    const notAnInstant = captureIo({ cwd: directory });
    expect(await runCli(['generate', 'x', '--batch', '--deadline', 'tomorrow'], notAnInstant)).toBe(2);
    expect(notAnInstant.err()).toMatch(/--deadline "tomorrow": expected an ISO 8601 instant/);
  });
});
