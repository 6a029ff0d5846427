import { describe, expect, it } from 'vitest';
import type { ArtScene, ArtShape } from './art-scene.js';
import { paintScene, signedDistance } from './paint-scene.js';

const teal = { red: 0, green: 128, blue: 128 };
const orange = { red: 255, green: 128, blue: 0 };
const style = { colour: orange, opacity: 1, edgeSoftness: 0.001 };

function plainScene(shapes: ArtShape[]): ArtScene {
  return {
    extentX: 1,
    extentY: 1,
    background: { from: teal, to: teal, angleRadians: 0, vignetteStrength: 0 },
    shapes,
  };
}

function pixelAt(image: { width: number; data: Uint8Array }, column: number, row: number): number[] {
  const offset = (row * image.width + column) * 3;
  return Array.from(image.data.subarray(offset, offset + 3));
}

describe('signedDistance', () => {
  it('is negative inside, zero on the outline and positive outside', () => {
    const disc: ArtShape = { ...style, kind: 'disc', centreX: 0.5, centreY: 0.5, radius: 0.2 };
    expect(signedDistance(disc, 0.5, 0.5)).toBeCloseTo(-0.2);
    expect(signedDistance(disc, 0.7, 0.5)).toBeCloseTo(0);
    expect(signedDistance(disc, 0.9, 0.5)).toBeCloseTo(0.2);
  });

  it('hollows a ring and rotates a box', () => {
    const ring: ArtShape = {
      ...style,
      kind: 'ring',
      centreX: 0,
      centreY: 0,
      radius: 0.3,
      halfThickness: 0.05,
    };
    expect(signedDistance(ring, 0, 0)).toBeCloseTo(0.25);
    expect(signedDistance(ring, 0.3, 0)).toBeCloseTo(-0.05);
    const box: ArtShape = {
      ...style,
      kind: 'box',
      centreX: 0,
      centreY: 0,
      halfWidth: 0.4,
      halfHeight: 0.1,
      cornerRadius: 0,
      rotationRadians: Math.PI / 2,
    };
    // Turned a quarter, the long side runs vertically.
    expect(signedDistance(box, 0, 0.3)).toBeLessThan(0);
    expect(signedDistance(box, 0.3, 0)).toBeCloseTo(0.2);
  });

  it('follows the crest of a wave', () => {
    const wave: ArtShape = {
      ...style,
      kind: 'wave',
      centreX: 0,
      centreY: 0,
      angleRadians: 0,
      halfThickness: 0.01,
      amplitude: 0.1,
      wavelength: 1,
    };
    expect(signedDistance(wave, 0.25, 0.1)).toBeCloseTo(-0.01);
    expect(signedDistance(wave, 0.25, 0)).toBeCloseTo(0.09);
  });
});

describe('paintScene', () => {
  it('fills the whole canvas with RGB pixels', () => {
    const image = paintScene(plainScene([]), { width: 40, height: 30 });
    expect(image).toMatchObject({ width: 40, height: 30, channels: 3 });
    expect(image.data.length).toBe(40 * 30 * 3);
    expect(pixelAt(image, 0, 0)).toEqual([0, 128, 128]);
    expect(pixelAt(image, 39, 29)).toEqual([0, 128, 128]);
  });

  it('draws an opaque shape over the background and leaves the rest alone', () => {
    const image = paintScene(
      plainScene([{ ...style, kind: 'disc', centreX: 0.5, centreY: 0.5, radius: 0.25 }]),
      {
        width: 64,
        height: 64,
      },
    );
    expect(pixelAt(image, 32, 32)).toEqual([255, 128, 0]);
    expect(pixelAt(image, 2, 2)).toEqual([0, 128, 128]);
  });

  it('blends a half-transparent shape halfway', () => {
    const image = paintScene(
      plainScene([{ ...style, opacity: 0.5, kind: 'disc', centreX: 0.5, centreY: 0.5, radius: 0.25 }]),
      { width: 64, height: 64 },
    );
    expect(pixelAt(image, 32, 32)).toEqual([128, 128, 64]);
  });

  it('runs the gradient along its angle and darkens the corners with the vignette', () => {
    const black = { red: 0, green: 0, blue: 0 };
    const white = { red: 255, green: 255, blue: 255 };
    const gradient = paintScene(
      { ...plainScene([]), background: { from: black, to: white, angleRadians: 0, vignetteStrength: 0 } },
      { width: 100, height: 10 },
    );
    expect(pixelAt(gradient, 0, 5)[0]).toBeLessThan(pixelAt(gradient, 50, 5)[0] ?? 0);
    expect(pixelAt(gradient, 50, 5)[0]).toBeLessThan(pixelAt(gradient, 99, 5)[0] ?? 0);
    const vignette = paintScene(
      { ...plainScene([]), background: { from: white, to: white, angleRadians: 0, vignetteStrength: 0.5 } },
      { width: 50, height: 50 },
    );
    expect(pixelAt(vignette, 25, 25)[0]).toBeGreaterThan(250);
    expect(pixelAt(vignette, 0, 0)[0]).toBeLessThan(140);
  });
});
