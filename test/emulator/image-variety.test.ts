import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeRgb, structuralSimilarity } from '../../src/emulator/art/test-support/image-metrics.js';
import { imagePart, startTestEmulator, type TestEmulator } from './sdk-harness.js';

/** Without a seed every call draws a new picture; with one, the same; twins with one seed stay close. */

let harness: TestEmulator;

beforeAll(async () => {
  harness = await startTestEmulator();
});

afterAll(async () => {
  await harness.emulator.close();
});

async function draw(model: string, seed?: number): Promise<string> {
  const response = await harness.client().models.generateContent({
    model,
    contents: 'a red bicycle leaning on a wall',
    config: {
      responseModalities: ['IMAGE'],
      imageConfig: { aspectRatio: '1:1' },
      ...(seed === undefined ? {} : { seed }),
    },
  });
  const data = imagePart(response)?.data;
  expect(data, 'an image').toBeDefined();
  return data!;
}

async function resetRun(): Promise<void> {
  const reset = await fetch(`${harness.emulator.url}/_emulator/reset`, { method: 'POST' });
  expect(reset.status).toBe(200);
}

describe('image variety', () => {
  it('draws a different image on every call without a seed, the same sequence in every run', async () => {
    await resetRun();
    const firstRun = [await draw('gemini-2.5-flash-image'), await draw('gemini-2.5-flash-image')];
    expect(firstRun[1]).not.toBe(firstRun[0]);
    await resetRun();
    const secondRun = [await draw('gemini-2.5-flash-image'), await draw('gemini-2.5-flash-image')];
    expect(secondRun).toEqual(firstRun);
  });

  it('draws the same image for the same seed, whatever else was drawn in between', async () => {
    const seeded = await draw('gemini-2.5-flash-image', 42);
    await draw('gemini-2.5-flash-image');
    expect(await draw('gemini-2.5-flash-image', 42)).toBe(seeded);
    expect(await draw('gemini-2.5-flash-image', 43)).not.toBe(seeded);
  });

  it('keeps a preview and its GA twin close (SSIM > 0.9) with one seed, but not identical', async () => {
    const preview = await draw('gemini-3-pro-image-preview', 7);
    const ga = await draw('gemini-3-pro-image', 7);
    expect(ga).not.toBe(preview);
    const [first, second] = await Promise.all(
      [preview, ga].map((data) => decodeRgb(Buffer.from(data, 'base64'), { width: 256, height: 256 })),
    );
    expect(structuralSimilarity(first!, second!)).toBeGreaterThan(0.9);
  });
});
