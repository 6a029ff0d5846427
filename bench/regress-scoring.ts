/**
 * How fast `imagegate regress` scores pairs: 60 pairs of 1024x1024 PNGs (a preview model's picture and
 * its GA twin's, from the emulator's art), scored one after another. Baseline in the same run: decoding
 * and normalising the same pairs without any metric, the floor any scorer pays.
 */
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { builtInCatalog } from '../src/catalog/index.js';
import { renderImage } from '../src/emulator/art/index.js';
import { normalisePair } from '../src/tools/regress/normalise-pair.js';
import { scoreImagePair } from '../src/tools/regress/score-pair.js';

const pairCount = 60;
const sidePixels = 1024;

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
  const pairsPerSecond = (milliseconds: number) => (pairCount / (milliseconds / 1000)).toFixed(1);
  const cpu = cpus();
  console.log(`regress scoring: ${pairCount} pairs of ${sidePixels}x${sidePixels} PNG, one at a time`);
  console.log(`  machine: ${cpu.length} x ${cpu[0]?.model ?? 'unknown CPU'}, Node ${process.version}`);
  console.log(
    `  baseline (decode + normalise only): ${(normaliseMs / 1000).toFixed(2)} s, ${pairsPerSecond(normaliseMs)} pairs/s`,
  );
  console.log(
    `  full scoring (SSIM + pHash + ΔE2000 + size): ${(scoreMs / 1000).toFixed(2)} s, ${pairsPerSecond(scoreMs)} pairs/s`,
  );
  console.log(`  full scoring takes ${(scoreMs / normaliseMs).toFixed(2)}x the baseline`);
}
