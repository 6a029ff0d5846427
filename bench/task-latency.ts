/**
 * Added latency of the task path: submit → success through `POST /v1/images/generations?wait=30` on a
 * running `imagegate serve` (SQLite store with FULL sync, blob store, worker, engine), against a direct
 * `@google/genai` generateContent call to the same zero-latency emulator. Calls alternate, one at a time.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { GoogleGenAI } from '@google/genai';
import { defaultConfig, expandRoute } from '../src/config/index.js';
import { startEmulator } from '../src/emulator/index.js';
import { startServer } from '../src/server/index.js';

const WARM_UP = 20;
const SAMPLES = 300;

function percentile(sortedMs: number[], fraction: number): number {
  return sortedMs[Math.min(sortedMs.length - 1, Math.ceil(fraction * sortedMs.length) - 1)]!;
}

export async function run(): Promise<void> {
  const directory = await mkdtemp(join(tmpdir(), 'imagegate-bench-latency-'));
  const emulator = await startEmulator();
  const server = await startServer({
    config: defaultConfig,
    port: 0,
    dataDirectory: join(directory, 'data'),
    env: { GEMINI_API_KEY: 'bench', GOOGLE_GEMINI_BASE_URL: emulator.url },
    onError: (error) => console.error(error),
  });
  // The model the task path's primary candidate calls, so both paths ask the emulator for the same thing.
  const primary = expandRoute(defaultConfig.routes, 'image_fast').candidates[0]!.model;
  const sdk = new GoogleGenAI({
    apiKey: 'bench',
    apiVersion: 'v1beta',
    httpOptions: { baseUrl: emulator.url },
  });
  const prompt = 'A lighthouse at dawn';

  const direct = async () => {
    const started = performance.now();
    const response = await sdk.models.generateContent({
      model: primary,
      contents: prompt,
      config: { responseModalities: ['IMAGE'], imageConfig: { imageSize: '1K' } },
    });
    if (!response.candidates?.[0]?.content?.parts?.some((part) => part.inlineData))
      throw new Error('no image');
    return performance.now() - started;
  };
  const taskPath = async () => {
    const started = performance.now();
    const response = await fetch(`${server.url}/v1/images/generations?wait=30`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'image_fast', prompt, image_size: '1K' }),
    });
    const task = (await response.json()) as { status: string };
    if (task.status !== 'success') throw new Error(`task ended ${task.status}`);
    return performance.now() - started;
  };

  try {
    for (let index = 0; index < WARM_UP; index += 1) {
      await direct();
      await taskPath();
    }
    const directMs: number[] = [];
    const taskMs: number[] = [];
    for (let index = 0; index < SAMPLES; index += 1) {
      directMs.push(await direct());
      taskMs.push(await taskPath());
    }
    directMs.sort((a, b) => a - b);
    taskMs.sort((a, b) => a - b);
    const rows = [
      ['direct SDK generateContent (baseline)', directMs],
      ['task path: submit → success via ?wait', taskMs],
    ] as const;
    console.log(`${SAMPLES} samples each, alternating, after ${WARM_UP} warm-up pairs`);
    console.log('| path | p50 | p99 | p50 ratio | p99 ratio |');
    console.log('| --- | --- | --- | --- | --- |');
    for (const [label, samples] of rows) {
      const p50 = percentile(samples, 0.5);
      const p99 = percentile(samples, 0.99);
      console.log(
        `| ${label} | ${p50.toFixed(1)} ms | ${p99.toFixed(1)} ms | ${(p50 / percentile(directMs, 0.5)).toFixed(2)}x | ${(p99 / percentile(directMs, 0.99)).toFixed(2)}x |`,
      );
    }
    console.log(
      `added latency: p50 +${(percentile(taskMs, 0.5) - percentile(directMs, 0.5)).toFixed(1)} ms, p99 +${(percentile(taskMs, 0.99) - percentile(directMs, 0.99)).toFixed(1)} ms`,
    );
  } finally {
    await server.close();
    await emulator.close();
    await rm(directory, { recursive: true, force: true });
  }
}
