// color-diff ships JavaScript with JSDoc types only; this declares the two functions used here.
declare module 'color-diff' {
  export interface LabColor {
    L: number;
    a: number;
    b: number;
  }
  export interface RgbColor {
    R: number;
    G: number;
    B: number;
  }
  /** CIEDE2000 difference between two colours (Lab colours are used as given). */
  export function diff(first: LabColor | RgbColor, second: LabColor | RgbColor): number;
  /** sRGB (0-255 per channel, D65) to CIE L*a*b*. */
  export function rgb_to_lab(colour: RgbColor): LabColor;
}
