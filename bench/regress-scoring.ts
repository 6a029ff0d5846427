/**
 * How fast `imagegate regress` scores pairs: 60 pairs of 1024x1024 PNGs (a preview model's picture and
 * its GA twin's, from the emulator's art). Measured in the same run: decoding and normalising the pairs
 * without any metric (the floor any scorer pays, one after another on the main thread), the full scoring
 * one after another on the main thread (how regress scored before the pool: the named baseline), and the
 * full scoring through `ScoringPool` (worker threads, one per core) with every pair submitted at once.
 * Issue 12's goal: at most 3 s for the 60 pairs on 2 cores (5.97 s when filed).
 */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { builtInCatalog } from '../src/catalog/index.js';
import { renderImage } from '../src/emulator/art/index.js';
import { normalisePair } from '../src/tools/regress/normalise-pair.js';
import { scoreImagePair } from '../src/tools/regress/score-pair.js';
import { ScoringPool } from '../src/tools/regress/scoring-pool.js';

const pairCount = 60;
const sidePixels = 1024;
const goalMs = 3_000;
const filedMs = 5_970;

/** The first catalog family with two models: a preview and its GA twin draw close but different art. */
function twinModels(): { family: string; modelIds: [string, string] } {
  const models = builtInCatalog().models;
  for (const model of models) {
    const twin = models.find((other) => other.family === model.family && other.id !== model.id);
    if (twin) return { family: model.family, modelIds: [model.id, twin.id] };
  }
  throw new Error('the catalog has no family with two models');
}

async function makePairs(): Promise<Array<[Buffer, Buffer]>> {
  const { family, modelIds } = twinModels();
  const pairs: Array<[Buffer, Buffer]> = [];
  for (let index = 0; index < pairCount; index++) {
    const request = {
      family,
      prompt: `benchmark prompt number ${index}`,
      seed: index,
      width: sidePixels,
      height: sidePixels,
      mimeType: 'image/png' as const,
      referenceImages: [],
    };
    pairs.push(
      await Promise.all([
        renderImage({ ...request, modelId: modelIds[0] }),
        renderImage({ ...request, modelId: modelIds[1] }),
      ]),
    );
  }
  return pairs;
}

async function timeMs(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

export async function run(): Promise<void> {
  const pairs = await makePairs();
  // One warm-up pair so module loading and JIT are not counted.
  await scoreImagePair(pairs[0]![0], pairs[0]![1]);
  const normaliseMs = await timeMs(async () => {
    for (const [baseline, candidate] of pairs) await normalisePair(baseline, candidate);
  });
  const scoreMs = await timeMs(async () => {
    for (const [baseline, candidate] of pairs) await scoreImagePair(baseline, candidate);
  });
  const pool = new ScoringPool();
  let poolMs: number;
  try {
    // Warm the workers (thread start, module loading) before timing, as the main thread was warmed.
    await Promise.all(cpus().map(() => pool.score(pairs[0]![0], pairs[0]![1])));
    poolMs = await timeMs(() =>
      Promise.all(pairs.map(([baseline, candidate]) => pool.score(baseline, candidate))),
    );
  } finally {
    await pool.close();
  }
  const seconds = (milliseconds: number) => `${(milliseconds / 1000).toFixed(2)} s`;
  const pairsPerSecond = (milliseconds: number) => (pairCount / (milliseconds / 1000)).toFixed(1);
  const cpu = cpus();
  console.log(`regress scoring: ${pairCount} pairs of ${sidePixels}x${sidePixels} PNG`);
  console.log(
    `  machine: ${cpu.length} x ${cpu[0]?.model ?? 'unknown CPU'}, Node ${process.version}, load average ${loadavg()
      .map((load) => load.toFixed(2))
      .join(' ')}`,
  );
  console.log('| scoring | time for 60 pairs | pairs/s | ratio to main-thread scoring |');
  console.log('| --- | ---: | ---: | ---: |');
  console.log(
    `| floor: decode + normalise only, main thread | ${seconds(normaliseMs)} | ${pairsPerSecond(normaliseMs)} | ${(normaliseMs / scoreMs).toFixed(2)}x |`,
  );
  console.log(
    `| baseline: full scoring, one pair after another, main thread | ${seconds(scoreMs)} | ${pairsPerSecond(scoreMs)} | 1.00x |`,
  );
  console.log(
    `| full scoring, ScoringPool (${cpu.length} worker threads) | ${seconds(poolMs)} | ${pairsPerSecond(poolMs)} | ${(poolMs / scoreMs).toFixed(2)}x |`,
  );
  console.log(
    `goal ≤ ${seconds(goalMs)}: ${poolMs <= goalMs ? 'met' : `missed by ${seconds(poolMs - goalMs)}`} (${(poolMs / goalMs).toFixed(2)}x the goal; ${(poolMs / filedMs).toFixed(2)}x the ${seconds(filedMs)} of the issue)`,
  );
}
