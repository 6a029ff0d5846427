import { crc32 } from 'node:zlib';

/** What a PNG's or JPEG's structure says about it, read without decoding a pixel. */
export type ImageStructure =
  | { ok: true; mimeType: 'image/png' | 'image/jpeg'; width: number; height: number }
  | { ok: false; reason: string };

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Checks a PNG or JPEG from its structure instead of decoding it: a PNG's every chunk CRC (which covers the
 * compressed pixel data) up to an IEND at the very end; a JPEG's segments up to the scan, its frame header
 * and the end-of-image marker. A file cut short, or corrupted anywhere in a PNG, fails. Returns undefined for
 * other formats, which need a decoder.
 */
export function checkImageStructure(bytes: Buffer): ImageStructure | undefined {
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return checkPng(bytes);
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)
    return checkJpeg(bytes);
  return undefined;
}

function checkPng(bytes: Buffer): ImageStructure {
  let offset = 8;
  let size: { width: number; height: number } | undefined;
  let sawImageData = false;
  while (offset + 12 <= bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString('latin1', offset + 4, offset + 8);
    const end = offset + 12 + length;
    if (end > bytes.length) return { ok: false, reason: `the PNG is cut off in its ${type} chunk` };
    const stored = bytes.readUInt32BE(end - 4);
    if (crc32(bytes.subarray(offset + 4, end - 4)) !== stored) {
      return { ok: false, reason: `the PNG's ${type} chunk fails its CRC check` };
    }
    if (offset === 8) {
      if (type !== 'IHDR' || length < 8) return { ok: false, reason: 'the PNG does not start with IHDR' };
      size = { width: bytes.readUInt32BE(offset + 8), height: bytes.readUInt32BE(offset + 12) };
    }
    if (type === 'IDAT') sawImageData = true;
    if (type === 'IEND') {
      if (end !== bytes.length) return { ok: false, reason: 'the PNG has bytes after IEND' };
      if (!sawImageData || !size) return { ok: false, reason: 'the PNG has no image data' };
      if (size.width === 0 || size.height === 0)
        return { ok: false, reason: 'the PNG is 0 pixels wide or high' };
      return { ok: true, mimeType: 'image/png', ...size };
    }
    offset = end;
  }
  return { ok: false, reason: 'the PNG is cut off before IEND' };
}

/** Start-of-frame markers (baseline, extended, progressive, lossless; not DHT, JPG or DAC). */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function checkJpeg(bytes: Buffer): ImageStructure {
  let offset = 2;
  let size: { width: number; height: number } | undefined;
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) return { ok: false, reason: 'the JPEG has a broken segment marker' };
    const marker = bytes[offset + 1]!;
    if (marker === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    const length = bytes.readUInt16BE(offset + 2);
    if (length < 2 || offset + 2 + length > bytes.length) {
      return { ok: false, reason: 'the JPEG is cut off in a segment header' };
    }
    if (isStartOfFrame(marker) && length >= 7) {
      size = { height: bytes.readUInt16BE(offset + 5), width: bytes.readUInt16BE(offset + 7) };
    }
    if (marker === 0xda) {
      // Entropy-coded data follows the scan header; the file must end with the end-of-image marker.
      if (!size) return { ok: false, reason: 'the JPEG has no frame header before its scan' };
      if (bytes[bytes.length - 2] !== 0xff || bytes[bytes.length - 1] !== 0xd9) {
        return { ok: false, reason: 'the JPEG is cut off: no end-of-image marker' };
      }
      if (size.width === 0 || size.height === 0)
        return { ok: false, reason: 'the JPEG is 0 pixels wide or high' };
      return { ok: true, mimeType: 'image/jpeg', ...size };
    }
    offset += 2 + length;
  }
  return { ok: false, reason: 'the JPEG is cut off before its scan' };
}
