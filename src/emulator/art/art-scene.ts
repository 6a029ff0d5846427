/**
 * The description of one procedural picture: a background gradient and shapes. The base picture
 * is seeded by (family, prompt, seed) so a preview model and its GA twin draw the same
 * composition; the model ID only turns the hues and nudges the shapes, which keeps twins close
 * but never byte-identical. There is no grain: it would make PNGs four times larger.
 */
import { hslToRgb, shiftHue, type HslColour, type RgbColour } from './colour.js';
import { randomBetween, randomFromParts, randomInteger, type RandomSource } from '../seeded-random.js';
import type { PixelSize } from './working-size.js';

export interface ArtInputs {
  /** Catalog family shared by a preview model and its GA twin. */
  family: string;
  modelId: string;
  prompt: string;
  /** Request seed; undefined derives the picture from the prompt alone. */
  seed: number | undefined;
}

/**
 * Shape geometry is in "short-side units": the shorter image side has length 1, so a circle stays
 * round on any aspect ratio. Centres lie in [0, extentX] x [0, extentY].
 */
interface ShapeStyle {
  centreX: number;
  centreY: number;
  colour: RgbColour;
  /** 0 transparent .. 1 opaque. */
  opacity: number;
  /** Half-width of the blurred edge, in short-side units. */
  edgeSoftness: number;
}

export type ArtShape =
  | (ShapeStyle & { kind: 'disc'; radius: number })
  | (ShapeStyle & { kind: 'ring'; radius: number; halfThickness: number })
  | (ShapeStyle & {
      kind: 'box';
      halfWidth: number;
      halfHeight: number;
      cornerRadius: number;
      rotationRadians: number;
    })
  | (ShapeStyle & {
      kind: 'wave';
      angleRadians: number;
      halfThickness: number;
      amplitude: number;
      wavelength: number;
    });

export interface ArtScene {
  /** Width of the canvas in short-side units (aspect ratio when landscape, 1 when portrait). */
  extentX: number;
  /** Height of the canvas in short-side units. */
  extentY: number;
  background: {
    from: RgbColour;
    to: RgbColour;
    angleRadians: number;
    /** Strength of the darkening towards the corners, 0..1. */
    vignetteStrength: number;
  };
  shapes: ArtShape[];
}

/** Hue offsets of a palette around its base hue: analogous, complementary, triadic, split. */
const paletteSchemes: readonly (readonly number[])[] = [
  [0, 30, -30, 60, -60],
  [0, 180, 20, 200, -20],
  [0, 120, 240, 60, 180],
  [0, 150, 210, 30, -30],
];

/** How far a model may turn the hues and move the shapes of its family's picture. */
const modelHueShiftDegrees = { minimum: 2, maximum: 5 };
const modelPositionJitter = 0.003;

export function composeScene(inputs: ArtInputs, canvasSize: PixelSize): ArtScene {
  const shortSide = Math.min(canvasSize.width, canvasSize.height);
  const extentX = canvasSize.width / shortSide;
  const extentY = canvasSize.height / shortSide;
  const seedText = inputs.seed === undefined ? 'prompt-only' : String(inputs.seed);

  const baseRandom = randomFromParts('art', inputs.family, inputs.prompt, seedText);
  const modelLookRandom = randomFromParts('model-look', inputs.modelId);
  const modelJitterRandom = randomFromParts(
    'model-jitter',
    inputs.modelId,
    inputs.family,
    inputs.prompt,
    seedText,
  );

  const hueShiftDegrees =
    (modelLookRandom() < 0.5 ? -1 : 1) *
    randomBetween(modelLookRandom, modelHueShiftDegrees.minimum, modelHueShiftDegrees.maximum);
  const toModelColour = (colour: HslColour): RgbColour => hslToRgb(shiftHue(colour, hueShiftDegrees));

  const palette = composePalette(baseRandom);
  const darkFirst = baseRandom() < 0.5;
  const darkBackground = { ...pick(baseRandom, palette), lightness: randomBetween(baseRandom, 0.12, 0.32) };
  const lightBackground = { ...pick(baseRandom, palette), lightness: randomBetween(baseRandom, 0.6, 0.85) };
  const background = {
    from: toModelColour(darkFirst ? darkBackground : lightBackground),
    to: toModelColour(darkFirst ? lightBackground : darkBackground),
    angleRadians: randomBetween(baseRandom, 0, 2 * Math.PI),
    vignetteStrength: randomBetween(baseRandom, 0.05, 0.3),
  };

  // Wide canvases get more shapes so a 8:1 banner is not one blob in a sea of gradient.
  const shapeCount = Math.round(randomInteger(baseRandom, 4, 8) * Math.max(extentX, extentY) ** 0.75);
  const modelLook: ModelLook = {
    colourOf: toModelColour,
    jitter: () => randomBetween(modelJitterRandom, -modelPositionJitter, modelPositionJitter),
  };
  const shapes = Array.from({ length: shapeCount }, () =>
    composeShape(baseRandom, palette, { extentX, extentY }, modelLook),
  );

  return {
    extentX,
    extentY,
    background,
    shapes,
  };
}

function composePalette(random: RandomSource): HslColour[] {
  const baseHueDegrees = randomBetween(random, 0, 360);
  const scheme = pick(random, paletteSchemes);
  return scheme.map((offsetDegrees) => ({
    hueDegrees: baseHueDegrees + offsetDegrees + randomBetween(random, -8, 8),
    saturation: randomBetween(random, 0.4, 0.95),
    lightness: randomBetween(random, 0.25, 0.8),
  }));
}

/** What a model changes in its family's picture. */
interface ModelLook {
  colourOf: (colour: HslColour) => RgbColour;
  /** A small signed offset for a shape centre, in short-side units. */
  jitter: () => number;
}

function composeShape(
  random: RandomSource,
  palette: readonly HslColour[],
  extent: { extentX: number; extentY: number },
  modelLook: ModelLook,
): ArtShape {
  // Every base draw happens before the model's, in a fixed order, so twins share the composition.
  const centreX = randomBetween(random, 0, extent.extentX);
  const centreY = randomBetween(random, 0, extent.extentY);
  const colour = pick(random, palette);
  const opacity = randomBetween(random, 0.45, 0.95);
  const edgeSoftness =
    random() < 0.3 ? randomBetween(random, 0.04, 0.15) : randomBetween(random, 0.002, 0.01);
  const style: ShapeStyle = {
    centreX: centreX + modelLook.jitter(),
    centreY: centreY + modelLook.jitter(),
    colour: modelLook.colourOf(colour),
    opacity,
    edgeSoftness,
  };
  const kindRoll = random();
  if (kindRoll < 0.35) {
    return { ...style, kind: 'disc', radius: randomBetween(random, 0.05, 0.35) };
  }
  if (kindRoll < 0.55) {
    return {
      ...style,
      kind: 'ring',
      radius: randomBetween(random, 0.08, 0.4),
      halfThickness: randomBetween(random, 0.01, 0.05),
    };
  }
  if (kindRoll < 0.8) {
    return {
      ...style,
      kind: 'box',
      halfWidth: randomBetween(random, 0.04, 0.3),
      halfHeight: randomBetween(random, 0.04, 0.3),
      cornerRadius: randomBetween(random, 0, 0.05),
      rotationRadians: randomBetween(random, 0, Math.PI),
    };
  }
  return {
    ...style,
    kind: 'wave',
    angleRadians: randomBetween(random, 0, Math.PI),
    halfThickness: randomBetween(random, 0.01, 0.06),
    amplitude: randomBetween(random, 0.02, 0.12),
    wavelength: randomBetween(random, 0.2, 0.8),
  };
}

function pick<Item>(random: RandomSource, items: readonly Item[]): Item {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new RangeError('pick needs at least one item');
  return item;
}
