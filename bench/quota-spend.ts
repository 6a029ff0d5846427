/**
 * P3, spending a per-minute quota: `QUOTA_BENCH_TASKS` tasks (default 200) against an emulator whose every
 * model has a `QUOTA_BENCH_RPM` quota (default 60, a sliding minute), real clock, zero latency. Measured in
 * the same run, each against its own emulator and at the same time:
 * - imagegate (`startServer`, default settings) with the quota configured as `requestsPerMinute`;
 * - imagegate with no limit configured: it learns the limit from the 429 bodies;
 * - baseline: a loop on `@google/genai` with the SDK's own retry (5 attempts, exponential backoff from
 *   1 s, 4 calls at a time).
 * Quota use = the time the quota needs between the first and the last accepted call (⌊(accepted − 1) /
 * RPM⌋ minutes: at most RPM calls in any minute) ÷ the time between them, both as the emulator saw them
 * arrive. The time column runs from the first submit to the last image.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GoogleGenAI } from '@google/genai';
import { configSchema, defaultConfig, expandRoute, type ImagegateConfig } from '../src/config/index.js';
import { parseScenario } from '../src/emulator/index.js';
import { startServer } from '../src/server/index.js';
import { startRecordingEmulator, type RecordingEmulator } from './support/recording-emulator.js';
import { submitAndDrain } from './support/submit-and-drain.js';

const tasks = Number(process.env.QUOTA_BENCH_TASKS ?? 200);
const rpm = Number(process.env.QUOTA_BENCH_RPM ?? 60);
const SDK_CONCURRENCY = 4;

interface Spent {
  images: number;
  lost: number;
  calls: number;
  calls429: number;
  elapsedMs: number;
  /** Arrival times of the accepted calls. */
  acceptedMs: number[];
}

function quotaEmulator(): Promise<RecordingEmulator> {
  return startRecordingEmulator({
    scenario: parseScenario(`quotas:\n  - { model: '*', rpm: ${rpm} }\n`, 'quota.yaml'),
  });
}

function callCounts(emulator: RecordingEmulator) {
  return {
    calls: [...emulator.byStatus.values()].reduce((sum, count) => sum + count, 0),
    calls429: emulator.byStatus.get(429) ?? 0,
    acceptedMs: emulator.acceptedMs,
  };
}

async function imagegateSpend(config: ImagegateConfig): Promise<Spent> {
  const emulator = await quotaEmulator();
  const directory = await mkdtemp(join(tmpdir(), 'imagegate-bench-quota-'));
  const server = await startServer({
    config,
    port: 0,
    dataDirectory: join(directory, 'data'),
    env: { GEMINI_API_KEY: 'bench', GOOGLE_GEMINI_BASE_URL: emulator.url },
    onError: () => {},
  });
  try {
    const drained = await submitAndDrain(server.url, tasks, 'quota');
    return {
      images: drained.succeeded,
      lost: drained.lost,
      ...callCounts(emulator),
      elapsedMs: drained.lastFinishMs - drained.firstSubmitMs,
    };
  } finally {
    await server.close();
    await emulator.close();
    await rm(directory, { recursive: true, force: true });
  }
}

async function sdkSpend(): Promise<Spent> {
  const emulator = await quotaEmulator();
  const model = expandRoute(defaultConfig.routes, 'image_fast').candidates[0]!.model;
  const sdk = new GoogleGenAI({
    apiKey: 'bench',
    apiVersion: 'v1beta',
    httpOptions: { baseUrl: emulator.url, retryOptions: { attempts: 5 } },
  });
  const startedMs = Date.now();
  let next = 0;
  let images = 0;
  let lastImageMs = startedMs;
  const loop = async () => {
    while (next < tasks) {
      const index = next++;
      try {
        const response = await sdk.models.generateContent({
          model,
          contents: `quota ${index}`,
          config: { responseModalities: ['IMAGE'], imageConfig: { imageSize: '1K' } },
        });
        if (response.candidates?.[0]?.content?.parts?.some((part) => part.inlineData)) {
          images += 1;
          lastImageMs = Date.now();
        }
      } catch {
        // Given up after the SDK's retries: lost.
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: SDK_CONCURRENCY }, loop));
    return { images, lost: tasks - images, ...callCounts(emulator), elapsedMs: lastImageMs - startedMs };
  } finally {
    await emulator.close();
  }
}

export async function run(): Promise<void> {
  const configured = configSchema.parse({ limits: [{ platform: 'gemini-api', requestsPerMinute: rpm }] });
  const [withLimit, learning, sdk] = await Promise.all([
    imagegateSpend(configured),
    imagegateSpend(defaultConfig),
    sdkSpend(),
  ]);
  console.log(
    `${tasks} tasks, emulator quota ${rpm} requests per sliding minute per model; the three runs at once`,
  );
  console.log(
    '| run | images | lost | time | first to last accepted call | quota use | calls | answered 429 |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  const row = (label: string, spent: Spent) => {
    const accepted = spent.acceptedMs;
    const spanMs = accepted.length > 1 ? accepted.at(-1)! - accepted[0]! : 0;
    const quotaNeedsMs = Math.floor(Math.max(0, accepted.length - 1) / rpm) * 60_000;
    const use = spanMs > 0 ? quotaNeedsMs / spanMs : 0;
    console.log(
      `| ${label} | ${spent.images} | ${spent.lost} | ${(spent.elapsedMs / 1000).toFixed(1)} s | ${(spanMs / 1000).toFixed(1)} s | ${(100 * use).toFixed(1)} % | ${spent.calls} | ${spent.calls429} (${((100 * spent.calls429) / Math.max(1, spent.calls)).toFixed(1)} %) |`,
    );
  };
  row('baseline: @google/genai, SDK retry (5 attempts)', sdk);
  row(`imagegate, requestsPerMinute: ${rpm} configured`, withLimit);
  row('imagegate, no limit configured (learns from 429s)', learning);
}
