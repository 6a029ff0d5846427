/**
 * The `ftyp` box that opens ISO base media files (MP4, QuickTime, HEIF, AVIF): its major brand and
 * compatible brands say which of those formats the bytes are.
 */

export interface IsoMediaBrands {
  majorBrand: string;
  compatibleBrands: string[];
}

/** The brands of an ISO base media file, or undefined when the bytes do not start with `ftyp`. */
export function readIsoMediaBrands(bytes: Uint8Array): IsoMediaBrands | undefined {
  if (bytes.length < 12 || fourCharacterCode(bytes, 4) !== 'ftyp') return undefined;
  const declaredBoxSize = readUint32(bytes, 0);
  // A size below the header is malformed; clamp to what we have so a truncated header still sniffs.
  const boxEnd = Math.min(bytes.length, declaredBoxSize >= 16 ? declaredBoxSize : 12);
  const compatibleBrands: string[] = [];
  for (let offset = 16; offset + 4 <= boxEnd; offset += 4) {
    compatibleBrands.push(fourCharacterCode(bytes, offset));
  }
  return { majorBrand: fourCharacterCode(bytes, 8), compatibleBrands };
}

/** All brands, major first, lower-cased with padding spaces removed. */
export function normalisedBrands(brands: IsoMediaBrands): string[] {
  return [brands.majorBrand, ...brands.compatibleBrands].map((brand) => brand.trim().toLowerCase());
}

export function fourCharacterCode(bytes: Uint8Array, offset: number): string {
  return String.fromCharCode(...bytes.subarray(offset, offset + 4));
}

function readUint32(bytes: Uint8Array, offset: number): number {
  return (
    ((bytes[offset] ?? 0) * 2 ** 24 +
      ((bytes[offset + 1] ?? 0) << 16) +
      ((bytes[offset + 2] ?? 0) << 8) +
      (bytes[offset + 3] ?? 0)) >>>
    0
  );
}
