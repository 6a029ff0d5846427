/**
 * How several reference images share one canvas: a grid whose cells are as close to the canvas's
 * own shape as possible, with the last row's cells widened so no area is left empty.
 */
import type { PixelSize } from './working-size.js';

export interface TileRectangle {
  left: number;
  top: number;
  width: number;
  height: number;
}

export function tileLayout(tileCount: number, canvasSize: PixelSize): TileRectangle[] {
  if (!Number.isInteger(tileCount) || tileCount < 1) {
    throw new RangeError(`tileCount must be a positive integer (got ${tileCount})`);
  }
  const aspectRatio = canvasSize.width / canvasSize.height;
  const columns = Math.min(tileCount, Math.max(1, Math.round(Math.sqrt(tileCount * aspectRatio))));
  const rows = Math.ceil(tileCount / columns);
  const tiles: TileRectangle[] = [];
  for (let row = 0; row < rows; row++) {
    const top = Math.round((row * canvasSize.height) / rows);
    const bottom = Math.round(((row + 1) * canvasSize.height) / rows);
    const cellsInRow = row < rows - 1 ? columns : tileCount - columns * (rows - 1);
    for (let cell = 0; cell < cellsInRow; cell++) {
      const left = Math.round((cell * canvasSize.width) / cellsInRow);
      const right = Math.round(((cell + 1) * canvasSize.width) / cellsInRow);
      tiles.push({ left, top, width: Math.max(1, right - left), height: Math.max(1, bottom - top) });
    }
  }
  return tiles;
}
