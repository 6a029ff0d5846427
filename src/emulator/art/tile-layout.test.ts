import { describe, expect, it } from 'vitest';
import { tileLayout, type TileRectangle } from './tile-layout.js';

function coveredArea(tiles: TileRectangle[]): number {
  return tiles.reduce((area, tile) => area + tile.width * tile.height, 0);
}

describe('tileLayout', () => {
  it('gives one tile the whole canvas', () => {
    expect(tileLayout(1, { width: 1024, height: 768 })).toEqual([
      { left: 0, top: 0, width: 1024, height: 768 },
    ]);
  });

  it('makes a 2x2 grid for four images on a square canvas', () => {
    expect(tileLayout(4, { width: 1000, height: 1000 })).toEqual([
      { left: 0, top: 0, width: 500, height: 500 },
      { left: 500, top: 0, width: 500, height: 500 },
      { left: 0, top: 500, width: 500, height: 500 },
      { left: 500, top: 500, width: 500, height: 500 },
    ]);
  });

  it('widens the last row instead of leaving a hole', () => {
    const tiles = tileLayout(3, { width: 1000, height: 1000 });
    expect(tiles).toHaveLength(3);
    expect(tiles[2]).toEqual({ left: 0, top: 500, width: 1000, height: 500 });
  });

  it('lays a wide banner out in one row', () => {
    const tiles = tileLayout(4, { width: 12288, height: 1536 });
    expect(tiles.map((tile) => tile.top)).toEqual([0, 0, 0, 0]);
    expect(tiles.map((tile) => tile.width)).toEqual([3072, 3072, 3072, 3072]);
  });

  it('covers every pixel exactly once for awkward counts and sizes', () => {
    for (const tileCount of [2, 5, 7, 10, 14]) {
      for (const size of [
        { width: 1024, height: 1024 },
        { width: 1376, height: 768 },
        { width: 768, height: 1376 },
        { width: 8192, height: 2048 },
      ]) {
        const tiles = tileLayout(tileCount, size);
        expect(tiles).toHaveLength(tileCount);
        expect(coveredArea(tiles)).toBe(size.width * size.height);
        for (const tile of tiles) {
          expect(tile.left + tile.width).toBeLessThanOrEqual(size.width);
          expect(tile.top + tile.height).toBeLessThanOrEqual(size.height);
        }
      }
    }
  });

  it('names a bad tile count', () => {
    expect(() => tileLayout(0, { width: 10, height: 10 })).toThrow(
      'tileCount must be a positive integer (got 0)',
    );
  });
});
