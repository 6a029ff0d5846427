/**
 * P4, outage recovery: 100 tasks submitted 1 s before a 60 s 503 outage of every model, at the process
 * level (`startServer` with default settings, real clock, zero-latency emulators). Measured in the same
 * run:
 * - baseline for "the time concurrency allows": the same 100 tasks on a healthy emulator;
 * - imagegate with the default settings (no rate limit);
 * - imagegate with a configured rate limit (`OUTAGE_BENCH_RPM`, default 30 per minute): the drain the
 *   quota allows is ⌊(tasks − 1) / RPM⌋ minutes (at most RPM calls start in any minute);
 * - a naive loop on `@google/genai` (4 at a time, the SDK's own retry: 5 attempts, exponential backoff
 *   from 1 s), against its own emulator with the same outage.
 * Each run has its own emulator. The rate-limited run (light: a call every 2 s) overlaps the others; the
 * default run and the naive loop do not overlap each other. The baseline is timed from the first submit.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { GoogleGenAI } from '@google/genai';
import { configSchema, defaultConfig, expandRoute, type ImagegateConfig } from '../src/config/index.js';
import { parseScenario, startEmulator, type RunningEmulator } from '../src/emulator/index.js';
import { startServer } from '../src/server/index.js';
import { submitAndDrain } from './support/submit-and-drain.js';

const TASKS = 100;
const OUTAGE_MS = 60_000;
const LEAD_MS = 1_000;
const NAIVE_CONCURRENCY = 4;
const rpm = Number(process.env.OUTAGE_BENCH_RPM ?? 30);

interface Drill {
  /** Tasks that ended without an image. */
  lost: number;
  /** Calls the emulator answered with 503 (the calls made during the outage). */
  callsDuringOutage: number;
  /** From the outage's end to the last image, ms (undefined when nothing finished). */
  drainMs: number | undefined;
}

function outageEmulator(startsAtMs: number): Promise<RunningEmulator> {
  const from = new Date(startsAtMs).toISOString();
  const until = new Date(startsAtMs + OUTAGE_MS).toISOString();
  return startEmulator({
    scenario: parseScenario(
      `outages:\n  - { model: '*', from: '${from}', until: '${until}', status: 503 }\n`,
      'outage.yaml',
    ),
  });
}

function calls503(emulator: RunningEmulator): number {
  return Object.values(emulator.stats.snapshot().models).reduce(
    (sum, model) => sum + (model.byOutcome['503'] ?? 0),
    0,
  );
}

/** Submits `TASKS` tasks to a fresh `imagegate serve` and waits until every one is final. */
async function imagegateDrill(
  emulator: RunningEmulator,
  config: ImagegateConfig,
  outageEndMs: number | undefined,
): Promise<Drill & { totalMs: number }> {
  const directory = await mkdtemp(join(tmpdir(), 'imagegate-bench-outage-'));
  const server = await startServer({
    config,
    port: 0,
    dataDirectory: join(directory, 'data'),
    env: { GEMINI_API_KEY: 'bench', GOOGLE_GEMINI_BASE_URL: emulator.url },
    onError: () => {},
  });
  try {
    const drained = await submitAndDrain(server.url, TASKS, 'outage drill');
    return {
      lost: drained.lost,
      callsDuringOutage: calls503(emulator),
      drainMs: outageEndMs === undefined ? undefined : drained.lastFinishMs - outageEndMs,
      totalMs: drained.lastFinishMs - drained.firstSubmitMs,
    };
  } finally {
    await server.close();
    await rm(directory, { recursive: true, force: true });
  }
}

async function naiveDrill(emulator: RunningEmulator, outageEndMs: number): Promise<Drill> {
  const model = expandRoute(defaultConfig.routes, 'image_fast').candidates[0]!.model;
  const sdk = new GoogleGenAI({
    apiKey: 'bench',
    apiVersion: 'v1beta',
    httpOptions: { baseUrl: emulator.url, retryOptions: { attempts: 5 } },
  });
  let next = 0;
  let lost = 0;
  let lastSuccessMs = 0;
  const loop = async () => {
    while (next < TASKS) {
      const index = next++;
      try {
        const response = await sdk.models.generateContent({
          model,
          contents: `outage drill ${index}`,
          config: { responseModalities: ['IMAGE'], imageConfig: { imageSize: '1K' } },
        });
        if (!response.candidates?.[0]?.content?.parts?.some((part) => part.inlineData)) lost += 1;
        else lastSuccessMs = Date.now();
      } catch {
        lost += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: NAIVE_CONCURRENCY }, loop));
  return {
    lost,
    callsDuringOutage: calls503(emulator),
    drainMs: lastSuccessMs > outageEndMs ? lastSuccessMs - outageEndMs : undefined,
  };
}

const seconds = (ms: number | undefined) => (ms === undefined ? '–' : `${(ms / 1000).toFixed(1)} s`);

export async function run(): Promise<void> {
  const limited = configSchema.parse({ limits: [{ platform: 'gemini-api', requestsPerMinute: rpm }] });

  // Baseline: what concurrency allows on a healthy emulator, measured first and alone.
  const healthy = await startEmulator();
  const baseline = await imagegateDrill(healthy, defaultConfig, undefined).finally(() => healthy.close());

  // The default-settings run alone while it drains; the rate-limited run drains slowly (light) and overlaps
  // it; the naive loop's outage starts once the default run has drained.
  const startsAtMs = Date.now() + LEAD_MS;
  const outageEndMs = startsAtMs + OUTAGE_MS;
  const emulators = await Promise.all([outageEmulator(startsAtMs), outageEmulator(startsAtMs)]);
  const benchStarted = performance.now();
  try {
    const withQuotaRun = imagegateDrill(emulators[1], limited, outageEndMs);
    const defaults = await imagegateDrill(emulators[0], defaultConfig, outageEndMs);
    const naiveStartsAtMs = Date.now() + LEAD_MS;
    const naiveEmulator = await outageEmulator(naiveStartsAtMs);
    emulators.push(naiveEmulator);
    const naive = await naiveDrill(naiveEmulator, naiveStartsAtMs + OUTAGE_MS);
    const withQuota = await withQuotaRun;
    // At most RPM calls start in any minute: the last of N can start (N − 1) / RPM whole minutes after the first.
    const quotaAllowsMs = Math.floor((TASKS - 1) / rpm) * 60_000;
    console.log(
      `${TASKS} tasks submitted ${LEAD_MS / 1000} s before a ${OUTAGE_MS / 1000} s 503 outage of every model; ` +
        `${seconds(performance.now() - benchStarted)} in all`,
    );
    console.log(
      '| run | lost | calls during outage | last image after outage end | bound | ratio to bound |',
    );
    console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
    console.log(
      `| baseline: imagegate, healthy emulator (what concurrency allows) | ${baseline.lost} | – | ${seconds(baseline.totalMs)} after submit | – | – |`,
    );
    const ratio = (drainMs: number | undefined, boundMs: number) =>
      drainMs === undefined ? '–' : `${(drainMs / boundMs).toFixed(2)}x`;
    console.log(
      `| imagegate, default settings | ${defaults.lost} | ${defaults.callsDuringOutage} | ${seconds(defaults.drainMs)} | ${seconds(baseline.totalMs)} | ${ratio(defaults.drainMs, baseline.totalMs)} |`,
    );
    console.log(
      `| imagegate, ${rpm} requests/min limit | ${withQuota.lost} | ${withQuota.callsDuringOutage} | ${seconds(withQuota.drainMs)} | ${seconds(quotaAllowsMs)} | ${ratio(withQuota.drainMs, quotaAllowsMs)} |`,
    );
    console.log(
      `| naive @google/genai loop (SDK retry, 5 attempts) | ${naive.lost} | ${naive.callsDuringOutage} | ${seconds(naive.drainMs)} | ${seconds(baseline.totalMs)} | ${ratio(naive.drainMs, baseline.totalMs)} |`,
    );
  } finally {
    await Promise.all(emulators.map((emulator) => emulator.close()));
  }
}
