import { describe, expect, it } from 'vitest';
import { hslToRgb, mixColours, shiftHue } from './colour.js';

function rounded(colour: { red: number; green: number; blue: number }): number[] {
  return [colour.red, colour.green, colour.blue].map((channel) => Math.round(channel));
}

describe('hslToRgb', () => {
  it('maps the primary and secondary hues to their sRGB values', () => {
    expect(rounded(hslToRgb({ hueDegrees: 0, saturation: 1, lightness: 0.5 }))).toEqual([255, 0, 0]);
    expect(rounded(hslToRgb({ hueDegrees: 120, saturation: 1, lightness: 0.5 }))).toEqual([0, 255, 0]);
    expect(rounded(hslToRgb({ hueDegrees: 240, saturation: 1, lightness: 0.5 }))).toEqual([0, 0, 255]);
    expect(rounded(hslToRgb({ hueDegrees: 60, saturation: 1, lightness: 0.5 }))).toEqual([255, 255, 0]);
    expect(rounded(hslToRgb({ hueDegrees: 300, saturation: 1, lightness: 0.25 }))).toEqual([128, 0, 128]);
  });

  it('gives grey for zero saturation and wraps hues outside [0, 360)', () => {
    expect(rounded(hslToRgb({ hueDegrees: 123, saturation: 0, lightness: 0.5 }))).toEqual([128, 128, 128]);
    expect(rounded(hslToRgb({ hueDegrees: -120, saturation: 1, lightness: 0.5 }))).toEqual([0, 0, 255]);
    expect(rounded(hslToRgb({ hueDegrees: 480, saturation: 1, lightness: 0.5 }))).toEqual([0, 255, 0]);
  });
});

describe('shiftHue', () => {
  it('wraps around the wheel in both directions', () => {
    const colour = { hueDegrees: 350, saturation: 0.5, lightness: 0.5 };
    expect(shiftHue(colour, 20).hueDegrees).toBeCloseTo(10);
    expect(shiftHue({ ...colour, hueDegrees: 5 }, -10).hueDegrees).toBeCloseTo(355);
    expect(shiftHue(colour, 20).saturation).toBe(0.5);
  });
});

describe('mixColours', () => {
  it('interpolates each channel', () => {
    const black = { red: 0, green: 0, blue: 0 };
    const white = { red: 255, green: 100, blue: 50 };
    expect(mixColours(black, white, 0)).toEqual(black);
    expect(mixColours(black, white, 1)).toEqual(white);
    expect(mixColours(black, white, 0.5)).toEqual({ red: 127.5, green: 50, blue: 25 });
  });
});
