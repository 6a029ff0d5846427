/**
 * Output verification of a 1K image, per image: the structure check the engine now runs on PNG and JPEG
 * (`verifyImage`: PNG chunk CRCs up to IEND, JPEG frame header and end marker) against the full decode it
 * replaced (sharp, `failOn: 'truncated'`, every row decoded), measured in the same run on the same
 * emulator-rendered 1024x1024 images, 20 of each format, 10 rounds after one untimed round.
 */
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { builtInCatalog } from '../src/catalog/index.js';
import { renderImage } from '../src/emulator/art/index.js';
import { verifyImage } from '../src/outcome/verify-image.js';

const IMAGES = 20;
const ROUNDS = 10;

async function fullDecode(bytes: Buffer): Promise<void> {
  const decoder = sharp(bytes, { failOn: 'truncated' });
  await decoder.metadata();
  await decoder.resize(4, 4, { fit: 'fill' }).raw().toBuffer();
}

export async function run(): Promise<void> {
  const model = builtInCatalog().models[0]!;
  const images: Record<'image/png' | 'image/jpeg', Buffer[]> = { 'image/png': [], 'image/jpeg': [] };
  for (const mimeType of ['image/png', 'image/jpeg'] as const) {
    for (let index = 0; index < IMAGES; index += 1) {
      images[mimeType].push(
        await renderImage({
          family: model.family,
          modelId: model.id,
          prompt: `verification ${index}`,
          seed: index,
          width: 1024,
          height: 1024,
          mimeType,
          referenceImages: [],
        }),
      );
    }
  }
  console.log(`${IMAGES} emulator images of each format, 1024x1024; ms per image over ${ROUNDS} rounds`);
  console.log(
    '| format | full decode (baseline): min / median / max | structure check: min / median / max | ratio of medians |',
  );
  console.log('| --- | --- | --- | ---: |');
  for (const [mimeType, buffers] of Object.entries(images)) {
    const perImage = async (check: (bytes: Buffer) => Promise<unknown>) => {
      const rounds: number[] = [];
      for (let round = 0; round <= ROUNDS; round += 1) {
        const started = performance.now();
        for (const bytes of buffers) await check(bytes);
        if (round > 0) rounds.push((performance.now() - started) / buffers.length);
      }
      return rounds.sort((a, b) => a - b);
    };
    const decode = await perImage(fullDecode);
    const structure = await perImage(async (bytes) => {
      const verified = await verifyImage(bytes, { mimeType, width: 1024, height: 1024 });
      if (!verified.ok) throw new Error(verified.reason);
    });
    const summary = (values: number[]) =>
      `${values[0]!.toFixed(2)} / ${values[Math.floor(values.length / 2)]!.toFixed(2)} / ${values.at(-1)!.toFixed(2)} ms`;
    const ratio = structure[Math.floor(ROUNDS / 2)]! / decode[Math.floor(ROUNDS / 2)]!;
    console.log(`| ${mimeType} | ${summary(decode)} | ${summary(structure)} | ${ratio.toFixed(3)}x |`);
  }
}
