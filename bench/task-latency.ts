/**
 * Added latency of imagegate's paths against a raw call, and against Portkey, in one run (issue 12, item 3):
 * - task path: submit → success through `POST /v1/images/generations?wait=30` on a running `imagegate
 *   serve` (SQLite store with FULL sync, blob store, worker, engine);
 * - OpenAI-compatible synchronous path: `POST /openai/v1/images/generations` (`b64_json`) on the same server;
 * - Portkey 1.15.2 (`@portkey-ai/gateway`, its own process, bound to 127.0.0.1 by a preload) routing an
 *   OpenAI chat completion to the same emulator as provider `google` (with
 *   `x-portkey-strict-open-ai-compliance: false`, which it needs to return the image);
 * - baseline: a direct `@google/genai` generateContent call.
 * All talk to the same zero-latency in-process emulator for 1K images; calls alternate, one at a time.
 * Goals: task path p50 ≤ +8 ms and p99 ≤ +15 ms; OpenAI path p50 ≤ +5 ms and at most half Portkey's.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { GoogleGenAI } from '@google/genai';
import { defaultConfig, expandRoute } from '../src/config/index.js';
import { startEmulator } from '../src/emulator/index.js';
import { startServer } from '../src/server/index.js';

const WARM_UP = 20;
const SAMPLES = 300;

const portkeyMain = fileURLToPath(
  new URL('../node_modules/@portkey-ai/gateway/build/start-server.js', import.meta.url),
);
const loopbackPreload = fileURLToPath(new URL('./support/portkey-loopback.mjs', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Starts Portkey's gateway on 127.0.0.1; resolves with its URL once it answers. */
async function startPortkey(): Promise<{ url: string; close: () => Promise<void> }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['--import', pathToFileURL(loopbackPreload).href, portkeyMain, `--port=${port}`, '--headless'],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Portkey exited ${child.exitCode}`);
    const ok = await fetch(url).then(
      () => true,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error('Portkey did not answer within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    close: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

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
  const portkey = existsSync(portkeyMain) ? await startPortkey() : undefined;
  if (!portkey) console.log('Portkey skipped: @portkey-ai/gateway is not installed (npm ci installs it)');

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

  const openAiPath = async () => {
    const started = performance.now();
    const response = await fetch(`${server.url}/openai/v1/images/generations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'image_fast', prompt, size: '1024x1024', response_format: 'b64_json' }),
    });
    const answer = (await response.json()) as { data?: Array<{ b64_json?: string }> };
    if (!answer.data?.[0]?.b64_json)
      throw new Error(`OpenAI path answered ${response.status} without an image`);
    return performance.now() - started;
  };
  const portkeyPath = async () => {
    const started = performance.now();
    const response = await fetch(`${portkey!.url}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: 'Bearer bench',
        'x-portkey-provider': 'google',
        'x-portkey-custom-host': `${emulator.url}/v1beta`,
        'x-portkey-strict-open-ai-compliance': 'false',
      },
      body: JSON.stringify({
        model: primary,
        messages: [{ role: 'user', content: prompt }],
        modalities: ['text', 'image'],
      }),
    });
    const text = await response.text();
    if (!response.ok || !text.includes('data:image/png;base64,')) {
      throw new Error(`Portkey answered ${response.status} without an image: ${text.slice(0, 200)}`);
    }
    return performance.now() - started;
  };
  const paths: Array<[string, () => Promise<number>]> = [
    ['baseline: direct SDK generateContent', direct],
    ['task path: submit → success via ?wait', taskPath],
    ['OpenAI-compatible path (b64_json)', openAiPath],
    ...(portkey
      ? ([['Portkey 1.15.2 chat completion', portkeyPath]] as Array<[string, () => Promise<number>]>)
      : []),
  ];

  try {
    for (let index = 0; index < WARM_UP; index += 1) for (const [, path] of paths) await path();
    const samples = paths.map(() => [] as number[]);
    for (let index = 0; index < SAMPLES; index += 1) {
      for (const [position, [, path]] of paths.entries()) samples[position]!.push(await path());
    }
    for (const values of samples) values.sort((a, b) => a - b);
    const directMs = samples[0]!;
    const added = (values: number[], fraction: number) =>
      percentile(values, fraction) - percentile(directMs, fraction);
    console.log(
      `${SAMPLES} samples each, alternating, after ${WARM_UP} warm-up rounds; load average ${loadavg()
        .map((value) => value.toFixed(2))
        .join(' ')}`,
    );
    console.log('| path | p50 | p99 | added p50 | added p99 | p50 ratio | p99 ratio |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const [position, [label]] of paths.entries()) {
      const values = samples[position]!;
      const p50 = percentile(values, 0.5);
      const p99 = percentile(values, 0.99);
      console.log(
        `| ${label} | ${p50.toFixed(1)} ms | ${p99.toFixed(1)} ms | ${added(values, 0.5) >= 0 ? '+' : ''}${added(values, 0.5).toFixed(1)} ms | ${added(values, 0.99) >= 0 ? '+' : ''}${added(values, 0.99).toFixed(1)} ms | ${(p50 / percentile(directMs, 0.5)).toFixed(2)}x | ${(p99 / percentile(directMs, 0.99)).toFixed(2)}x |`,
      );
    }
    const verdict = (met: boolean) => (met ? 'met' : 'missed');
    const task50 = added(samples[1]!, 0.5);
    const task99 = added(samples[1]!, 0.99);
    const openAi50 = added(samples[2]!, 0.5);
    console.log(`goal task path added p50 ≤ +8 ms: ${verdict(task50 <= 8)} (+${task50.toFixed(1)} ms)`);
    console.log(`goal task path added p99 ≤ +15 ms: ${verdict(task99 <= 15)} (+${task99.toFixed(1)} ms)`);
    console.log(`goal OpenAI path added p50 ≤ +5 ms: ${verdict(openAi50 <= 5)} (+${openAi50.toFixed(1)} ms)`);
    if (portkey) {
      const portkey50 = added(samples[3]!, 0.5);
      console.log(
        `goal OpenAI path added p50 at most half Portkey's: ${verdict(openAi50 <= portkey50 / 2)} (+${openAi50.toFixed(1)} ms against +${portkey50.toFixed(1)} ms: ${(portkey50 / openAi50).toFixed(2)}x better)`,
      );
    }
  } finally {
    await portkey?.close();
    await server.close();
    await emulator.close();
    await rm(directory, { recursive: true, force: true });
  }
}
