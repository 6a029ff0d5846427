/**
 * Rasterises an {@link ArtScene} into raw 8-bit RGB pixels. Shapes are signed distance fields with
 * a smooth edge, so the small canvas upscales without staircases.
 */
import type { ArtScene, ArtShape } from './art-scene.js';
import type { PixelSize } from './working-size.js';

/** Raw interleaved pixels, row by row, `channels` bytes per pixel. */
export interface RawImage extends PixelSize {
  channels: 3;
  data: Uint8Array;
}

export function paintScene(scene: ArtScene, size: PixelSize): RawImage {
  const { width, height } = size;
  const pixelUnits = 1 / Math.min(width, height);
  const data = new Uint8Array(width * height * 3);
  const { from, to, angleRadians, vignetteStrength } = scene.background;
  const directionX = Math.cos(angleRadians);
  const directionY = Math.sin(angleRadians);
  // The canvas decides the centre, so a scene painted at another aspect ratio still fills it.
  const centreX = (width * pixelUnits) / 2;
  const centreY = (height * pixelUnits) / 2;
  const halfDiagonal = Math.sqrt(centreX * centreX + centreY * centreY);
  const shapes = scene.shapes.map((shape) => prepareShape(shape, pixelUnits));

  for (let row = 0; row < height; row++) {
    const y = (row + 0.5) * pixelUnits;
    const shapesOnRow = shapes.filter((shape) => y >= shape.minimumY && y <= shape.maximumY);
    for (let column = 0; column < width; column++) {
      const x = (column + 0.5) * pixelUnits;
      const along = ((x - centreX) * directionX + (y - centreY) * directionY) / halfDiagonal;
      const gradient = smoothstep(-1, 1, along);
      let red = from.red + (to.red - from.red) * gradient;
      let green = from.green + (to.green - from.green) * gradient;
      let blue = from.blue + (to.blue - from.blue) * gradient;

      for (const shape of shapesOnRow) {
        if (x < shape.minimumX || x > shape.maximumX) continue;
        const distance = preparedDistance(shape, x, y);
        if (distance >= shape.softness) continue;
        const alpha = shape.opacity * (1 - smoothstep(-shape.softness, shape.softness, distance));
        red += (shape.red - red) * alpha;
        green += (shape.green - green) * alpha;
        blue += (shape.blue - blue) * alpha;
      }

      const radialX = x - centreX;
      const radialY = y - centreY;
      const shade =
        1 - (vignetteStrength * (radialX * radialX + radialY * radialY)) / (halfDiagonal * halfDiagonal);
      const offset = (row * width + column) * 3;
      data[offset] = toByte(red * shade);
      data[offset + 1] = toByte(green * shade);
      data[offset + 2] = toByte(blue * shade);
    }
  }
  return { width, height, channels: 3, data };
}

/** Distance from (x, y) to the shape's outline, in short-side units: negative inside, positive outside. */
export function signedDistance(shape: ArtShape, x: number, y: number): number {
  return preparedDistance(prepareShape(shape, 0), x, y);
}

const shapeKinds = { disc: 0, ring: 1, box: 2, wave: 3 } as const;

/**
 * Every shape in one object layout with its trigonometry and bounds computed once, so the pixel
 * loop stays monomorphic and skips shapes that cannot reach the pixel.
 */
interface PreparedShape {
  kind: number;
  centreX: number;
  centreY: number;
  /** disc/ring radius, box half-width, wave half-thickness. */
  first: number;
  /** ring half-thickness, box half-height, wave amplitude. */
  second: number;
  /** box corner radius, wave angular frequency. */
  third: number;
  cosine: number;
  sine: number;
  red: number;
  green: number;
  blue: number;
  opacity: number;
  softness: number;
  minimumX: number;
  maximumX: number;
  minimumY: number;
  maximumY: number;
}

function prepareShape(shape: ArtShape, pixelUnits: number): PreparedShape {
  const softness = Math.max(shape.edgeSoftness, pixelUnits);
  const rotation =
    shape.kind === 'box' ? shape.rotationRadians : shape.kind === 'wave' ? shape.angleRadians : 0;
  const [first, second, third, reach] =
    shape.kind === 'disc'
      ? [shape.radius, 0, 0, shape.radius]
      : shape.kind === 'ring'
        ? [shape.radius, shape.halfThickness, 0, shape.radius + shape.halfThickness]
        : shape.kind === 'box'
          ? [
              shape.halfWidth,
              shape.halfHeight,
              shape.cornerRadius,
              Math.hypot(shape.halfWidth, shape.halfHeight),
            ]
          : [
              shape.halfThickness,
              shape.amplitude,
              (2 * Math.PI) / shape.wavelength,
              Number.POSITIVE_INFINITY,
            ];
  return {
    kind: shapeKinds[shape.kind],
    centreX: shape.centreX,
    centreY: shape.centreY,
    first,
    second,
    third,
    cosine: Math.cos(rotation),
    sine: Math.sin(rotation),
    red: shape.colour.red,
    green: shape.colour.green,
    blue: shape.colour.blue,
    opacity: shape.opacity,
    softness,
    minimumX: shape.centreX - reach - softness,
    maximumX: shape.centreX + reach + softness,
    minimumY: shape.centreY - reach - softness,
    maximumY: shape.centreY + reach + softness,
  };
}

function preparedDistance(shape: PreparedShape, x: number, y: number): number {
  const offsetX = x - shape.centreX;
  const offsetY = y - shape.centreY;
  switch (shape.kind) {
    case shapeKinds.disc:
      return Math.sqrt(offsetX * offsetX + offsetY * offsetY) - shape.first;
    case shapeKinds.ring:
      return Math.abs(Math.sqrt(offsetX * offsetX + offsetY * offsetY) - shape.first) - shape.second;
    case shapeKinds.box: {
      const cornerRadius = shape.third;
      const localX = Math.abs(offsetX * shape.cosine + offsetY * shape.sine) - shape.first + cornerRadius;
      const localY = Math.abs(-offsetX * shape.sine + offsetY * shape.cosine) - shape.second + cornerRadius;
      const outsideX = Math.max(localX, 0);
      const outsideY = Math.max(localY, 0);
      const inside = Math.min(Math.max(localX, localY), 0);
      return Math.sqrt(outsideX * outsideX + outsideY * outsideY) + inside - cornerRadius;
    }
    default: {
      const along = offsetX * shape.cosine + offsetY * shape.sine;
      const across = -offsetX * shape.sine + offsetY * shape.cosine;
      return Math.abs(across - shape.second * Math.sin(shape.third * along)) - shape.first;
    }
  }
}

function smoothstep(edgeLow: number, edgeHigh: number, value: number): number {
  const position = Math.min(1, Math.max(0, (value - edgeLow) / (edgeHigh - edgeLow)));
  return position * position * (3 - 2 * position);
}

function toByte(value: number): number {
  return Math.min(255, Math.max(0, Math.round(value)));
}
