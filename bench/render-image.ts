/**
 * Emulator image rendering: wall time of `renderImage` for 1K and 4K outputs, PNG and JPEG, per image,
 * over ROUNDS rounds after one untimed round. Named baseline, measured in the same run: the 1K (1024x1024)
 * render of the same format; the ratio compares medians, next to the ratio of pixel counts.
 * (Moved here from a unit test that printed one unrepeated render time per size.)
 */
import { performance } from 'node:perf_hooks';
import { renderImage } from '../src/emulator/art/index.js';

const ROUNDS = Number(process.env.RENDER_BENCH_ROUNDS ?? 5);

const sizes = [
  ['1K 1024x1024 (baseline)', 1024, 1024],
  ['4K 4096x4096', 4096, 4096],
  ['4K 5504x3072', 5504, 3072],
] as const;

export async function run(): Promise<void> {
  console.log(`renderImage, ms per image over ${ROUNDS} rounds after one untimed round`);
  console.log('| format | size | min / median / max | MB | ratio of medians to 1K | ratio of pixels |');
  console.log('| --- | --- | --- | ---: | ---: | ---: |');
  for (const mimeType of ['image/png', 'image/jpeg'] as const) {
    let baselineMedian: number | undefined;
    for (const [label, width, height] of sizes) {
      const times: number[] = [];
      let bytes = 0;
      for (let round = 0; round <= ROUNDS; round += 1) {
        const started = performance.now();
        const image = await renderImage({
          family: 'gemini-3-pro-image',
          modelId: 'gemini-3-pro-image-preview',
          prompt: 'a lighthouse at dusk, oil painting',
          seed: undefined,
          width,
          height,
          mimeType,
          referenceImages: [],
        });
        if (round > 0) times.push(performance.now() - started);
        bytes = image.length;
      }
      times.sort((a, b) => a - b);
      const median = times[Math.floor(times.length / 2)]!;
      baselineMedian ??= median;
      console.log(
        `| ${mimeType} | ${label} | ${times[0]!.toFixed(0)} / ${median.toFixed(0)} / ${times.at(-1)!.toFixed(0)} ms | ${(bytes / 1e6).toFixed(2)} | ${(median / baselineMedian).toFixed(1)}x | ${((width * height) / (1024 * 1024)).toFixed(1)}x |`,
      );
    }
  }
}
