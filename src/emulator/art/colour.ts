/** Colours for the procedural art. Channels are floats so blending never rounds until encoding. */

/** sRGB colour, each channel in [0, 255]. */
export interface RgbColour {
  red: number;
  green: number;
  blue: number;
}

/** Hue in degrees [0, 360), saturation and lightness in [0, 1]. */
export interface HslColour {
  hueDegrees: number;
  saturation: number;
  lightness: number;
}

export function hslToRgb({ hueDegrees, saturation, lightness }: HslColour): RgbColour {
  const hue = (((hueDegrees % 360) + 360) % 360) / 360;
  const chroma = (1 - Math.abs(2 * lightness - 1)) * saturation;
  const channel = (offset: number): number => {
    const position = (((hue + offset) % 1) + 1) % 1;
    const sector = position * 6;
    const ramp = sector < 1 ? sector : sector < 3 ? 1 : sector < 4 ? 4 - sector : 0;
    return 255 * (lightness - chroma / 2 + chroma * ramp);
  };
  return { red: channel(1 / 3), green: channel(0), blue: channel(-1 / 3) };
}

/** The hue wheel position of a colour shifted by `shiftDegrees`, wrapping around 360. */
export function shiftHue(colour: HslColour, shiftDegrees: number): HslColour {
  return { ...colour, hueDegrees: (((colour.hueDegrees + shiftDegrees) % 360) + 360) % 360 };
}

/** Linear blend: `amount` 0 gives `from`, 1 gives `to`. */
export function mixColours(from: RgbColour, to: RgbColour, amount: number): RgbColour {
  return {
    red: from.red + (to.red - from.red) * amount,
    green: from.green + (to.green - from.green) * amount,
    blue: from.blue + (to.blue - from.blue) * amount,
  };
}
