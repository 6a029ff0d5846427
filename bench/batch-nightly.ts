/**
 * A nightly job of `BATCH_BENCH_IMAGES` images (default 1,000) on the built-in emulator, run twice in the same
 * process against the same emulator: online (the engine, `BATCH_BENCH_CONCURRENCY` calls at a time, default
 * 8) and through the batch lane (a `LocalBatchLane`: jobs of 100 tasks, the same SDK, the same emulator).
 * Dollars are the sum of each image's cost from its actual usage at catalog prices: the online price for
 * the online run, the batch price for the batch run. Goal (issue 17): batch ≤ 0.52 × online. The emulator's
 * clock is a manual one standing on a fixed day; batch jobs take 10 emulated minutes, which the lane's
 * polling waits out on that clock (no real waiting).
 */
import { GoogleGenAI } from '@google/genai';
import { LocalBatchLane } from '../src/batch/index.js';
import { builtInCatalog } from '../src/catalog/index.js';
import { Imagegate } from '../src/client/index.js';
import { ManualClock } from '../src/clock/index.js';
import { defaultConfig } from '../src/config/index.js';
import { startEmulator } from '../src/emulator/index.js';

const images = Number(process.env.BATCH_BENCH_IMAGES ?? 1_000);
const concurrency = Number(process.env.BATCH_BENCH_CONCURRENCY ?? 8);
/** A day when the model is served (after the 3.1 Flash preview's shutdown, before any GA shutdown). */
const dayMs = Date.UTC(2026, 10, 21);
const model = 'gemini-3.1-flash-image';
const imageSize = '512';

function prompt(index: number): string {
  return `Catalog thumbnail ${index}: a product photo on a plain background`;
}

export async function run(): Promise<void> {
  const clock = new ManualClock(dayMs);
  const emulator = await startEmulator({ port: 0, clock, batchDurationMs: 10 * 60_000 });
  const env = { GEMINI_API_KEY: 'bench', GOOGLE_GEMINI_BASE_URL: emulator.url };
  const imagegate = await Imagegate.create({ config: defaultConfig, env, clock });
  try {
    const onlineStartedMs = performance.now();
    let onlineUsd = 0;
    let onlineImages = 0;
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < images) {
          const index = next++;
          const result = await imagegate.generateImage({
            prompt: prompt(index),
            model,
            imageSize,
            seed: index,
          });
          onlineUsd += result.costUsd ?? Number.NaN;
          onlineImages += result.images.length;
        }
      }),
    );
    const onlineSeconds = (performance.now() - onlineStartedMs) / 1000;

    const lane = await LocalBatchLane.open({
      imagegate,
      client: new GoogleGenAI({
        apiKey: 'bench',
        httpOptions: { baseUrl: emulator.url, apiVersion: 'v1beta' },
      }),
      catalog: builtInCatalog(),
      clock,
      settings: {
        maxTasksPerJob: 100,
        gatherWindowMs: 0,
        pollBaseMs: 60_000,
        pollMaxMs: 60_000,
        tickIntervalMs: 5_000,
      },
    });
    try {
      const batchStartedMs = performance.now();
      const ids: string[] = [];
      for (let index = 0; index < images; index += 1) {
        ids.push(await lane.submit({ prompt: prompt(index), model, imageSize, seed: index }));
      }
      await Promise.all(ids.map((id) => lane.waitFor(id)));
      const batchSeconds = (performance.now() - batchStartedMs) / 1000;
      const tasks = await lane.tasks();
      const succeeded = tasks.filter((task) => task.status === 'success');
      const ranOnline = tasks.filter((task) => task.warnings.length > 0).length;
      const batchUsd = succeeded.reduce((sum, task) => sum + (task.actualCostUsd ?? Number.NaN), 0);
      const jobs = lane.lane.jobs.list();
      const ratio = batchUsd / onlineUsd;
      console.log(
        `images: ${images} of ${model} at ${imageSize}, emulator, one process, same emulator for both`,
      );
      console.log(
        `| lane   | images | jobs | ran online | dollars (actual usage × catalog price) | wall time |`,
      );
      console.log(
        `| ------ | -----: | ---: | ---------: | -------------------------------------: | --------: |`,
      );
      console.log(
        `| online | ${onlineImages} | – | ${onlineImages} | $${onlineUsd.toFixed(4)} | ${onlineSeconds.toFixed(1)} s |`,
      );
      console.log(
        `| batch  | ${succeeded.length} | ${jobs.length} | ${ranOnline} | $${batchUsd.toFixed(4)} | ${batchSeconds.toFixed(1)} s |`,
      );
      console.log(
        `batch / online: ${ratio.toFixed(4)}x (goal ≤ 0.52x): ${ratio <= 0.52 ? 'met' : 'NOT met'}`,
      );
    } finally {
      await lane.close();
    }
  } finally {
    await imagegate.close();
    await emulator.close();
  }
}
