/** Video container from magic bytes: MP4, WebM or QuickTime. */
import { fourCharacterCode, normalisedBrands, readIsoMediaBrands } from './iso-media-brands.js';

export type SniffedVideoMimeType = 'video/mp4' | 'video/webm' | 'video/quicktime';

const ebmlMagic = [0x1a, 0x45, 0xdf, 0xa3];
/** The EBML DocType element ID followed by a one-byte size of 4 ("webm" is 4 bytes long). */
const webmDocType = [0x42, 0x82, 0x84, 0x77, 0x65, 0x62, 0x6d];
/** How far into an EBML header the DocType may sit; real headers are under 64 bytes. */
const ebmlHeaderSearchBytes = 64;
const mp4Brands = new Set([
  'isom',
  'iso2',
  'iso3',
  'iso4',
  'iso5',
  'iso6',
  'mp41',
  'mp42',
  'avc1',
  'dash',
  'm4v',
  'mp71',
  'f4v',
  'mmp4',
]);
/** Still-image brands (HEIF, HEIC, AVIF) share the container but are not videos. */
const imageBrands = new Set(['mif1', 'msf1', 'heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'avif', 'avis']);
/** First boxes of QuickTime files written before `ftyp` existed. */
const legacyQuickTimeBoxes = new Set(['moov', 'mdat', 'wide', 'free', 'skip', 'pnot']);

/** The video MIME type the bytes really are, or undefined when they are none of these containers. */
export function sniffVideoMimeType(bytes: Uint8Array): SniffedVideoMimeType | undefined {
  if (startsWith(bytes, ebmlMagic))
    return containsSequence(bytes.subarray(0, ebmlHeaderSearchBytes), webmDocType) ? 'video/webm' : undefined;
  const brands = readIsoMediaBrands(bytes);
  if (brands !== undefined) {
    const [majorBrand = '', ...compatibleBrands] = normalisedBrands(brands);
    if (imageBrands.has(majorBrand)) return undefined;
    if (majorBrand === 'qt') return 'video/quicktime';
    if (mp4Brands.has(majorBrand)) return 'video/mp4';
    // Unknown major brands (e.g. a camera vendor's) still count as MP4 when they declare an MP4 brand.
    if (compatibleBrands.some((brand) => mp4Brands.has(brand))) return 'video/mp4';
    return compatibleBrands.includes('qt') ? 'video/quicktime' : undefined;
  }
  if (bytes.length >= 8 && legacyQuickTimeBoxes.has(fourCharacterCode(bytes, 4))) return 'video/quicktime';
  return undefined;
}

function startsWith(bytes: Uint8Array, signature: readonly number[]): boolean {
  return bytes.length >= signature.length && signature.every((byte, index) => bytes[index] === byte);
}

function containsSequence(bytes: Uint8Array, sequence: readonly number[]): boolean {
  for (let start = 0; start + sequence.length <= bytes.length; start++) {
    if (sequence.every((byte, index) => bytes[start + index] === byte)) return true;
  }
  return false;
}
