import { describe, expect, it } from 'vitest';
import { composeScene, type ArtInputs, type ArtScene } from './art-scene.js';

const preview: ArtInputs = {
  family: 'family-a',
  modelId: 'model-a-preview',
  prompt: 'a lighthouse at dusk',
  seed: 7,
};
const square = { width: 512, height: 512 };

function colourDistance(
  first: ArtScene['background']['from'],
  second: ArtScene['background']['from'],
): number {
  return Math.max(
    Math.abs(first.red - second.red),
    Math.abs(first.green - second.green),
    Math.abs(first.blue - second.blue),
  );
}

describe('composeScene', () => {
  it('is a pure function of its inputs', () => {
    expect(composeScene(preview, square)).toEqual(composeScene({ ...preview }, { ...square }));
  });

  it('changes the composition with the prompt and with the seed', () => {
    const base = composeScene(preview, square);
    for (const changed of [
      { ...preview, prompt: 'a lighthouse at dawn' },
      { ...preview, seed: 8 },
      { ...preview, seed: undefined },
      { ...preview, family: 'family-b' },
    ]) {
      const scene = composeScene(changed, square);
      expect(scene.background.angleRadians).not.toBeCloseTo(base.background.angleRadians, 3);
    }
  });

  it('treats seed 0 and no seed as different requests', () => {
    expect(composeScene({ ...preview, seed: 0 }, square)).not.toEqual(
      composeScene({ ...preview, seed: undefined }, square),
    );
  });

  it('gives a twin model the same composition, slightly turned and nudged', () => {
    const base = composeScene(preview, square);
    const twin = composeScene({ ...preview, modelId: 'model-a' }, square);
    expect(twin).not.toEqual(base);
    expect(twin.background.angleRadians).toBe(base.background.angleRadians);
    expect(twin.shapes.map((shape) => shape.kind)).toEqual(base.shapes.map((shape) => shape.kind));
    twin.shapes.forEach((shape, index) => {
      const original = base.shapes[index];
      if (original === undefined) throw new Error('twin has more shapes');
      // Positions move by at most twice the jitter, colours by a few degrees of hue.
      expect(Math.abs(shape.centreX - original.centreX)).toBeLessThanOrEqual(0.006);
      expect(Math.abs(shape.centreY - original.centreY)).toBeLessThanOrEqual(0.006);
      expect(colourDistance(shape.colour, original.colour)).toBeLessThan(40);
      expect(shape.opacity).toBe(original.opacity);
    });
    expect(colourDistance(twin.background.from, base.background.from)).toBeLessThan(40);
  });

  it('places shapes inside the canvas, in short-side units', () => {
    const scene = composeScene(preview, { width: 1376, height: 768 });
    expect(scene.extentX).toBeCloseTo(1376 / 768);
    expect(scene.extentY).toBe(1);
    for (const shape of scene.shapes) {
      expect(shape.centreX).toBeGreaterThanOrEqual(-0.01);
      expect(shape.centreX).toBeLessThanOrEqual(scene.extentX + 0.01);
      expect(shape.centreY).toBeGreaterThanOrEqual(-0.01);
      expect(shape.centreY).toBeLessThanOrEqual(1.01);
    }
  });

  it('fills wide banners with more shapes than squares', () => {
    for (const prompt of ['one', 'two', 'three']) {
      const squareCount = composeScene({ ...preview, prompt }, square).shapes.length;
      const bannerCount = composeScene({ ...preview, prompt }, { width: 512, height: 64 }).shapes.length;
      expect(squareCount).toBeGreaterThanOrEqual(4);
      expect(squareCount).toBeLessThanOrEqual(8);
      expect(bannerCount).toBeGreaterThanOrEqual(19);
    }
  });
});
