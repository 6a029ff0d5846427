import { createHash } from 'node:crypto';
import type { PixelSize } from '../catalog/index.js';
import { checkImageStructure } from './image-structure.js';
import { loadSharp } from '../media/index.js';

/** What a generated image must look like to count as the one that was asked for. */
export interface ExpectedImage {
  /** Exact width; with `height`, set when the request named an aspect ratio. Default: not checked. */
  width?: number;
  height?: number;
  /** Any of these sizes is acceptable (no ratio asked: every size of the size tier). Default: not checked. */
  allowedSizes?: PixelSize[];
  /** The MIME type the caller wants in the end; a different decodable format is converted, not refused. */
  mimeType: string;
}

/** An image that decoded and had the expected size. */
export interface VerifiedImage {
  bytes: Buffer;
  /** Sniffed from the bytes, not taken from the response's declared type. */
  mimeType: string;
  width: number;
  height: number;
  /** Hex SHA-256 of `bytes`. */
  sha256: string;
}

export type ImageVerification = { ok: true; image: VerifiedImage } | { ok: false; reason: string };

const mimeTypeByFormat: Record<string, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  heif: 'image/heif',
};

/**
 * Checks that the image is whole and has the expected pixel size. A PNG or JPEG is checked from its
 * structure (every PNG chunk's CRC, a JPEG's frame header and end marker: `checkImageStructure`), which
 * catches a cut-off or corrupted file at a fraction of a full decode's cost; other formats are decoded
 * whole. A size other than the one asked for is a silent downgrade and fails verification.
 */
export async function verifyImage(bytes: Buffer, expected: ExpectedImage): Promise<ImageVerification> {
  const structure = checkImageStructure(bytes);
  if (structure && !structure.ok)
    return { ok: false, reason: `the image does not decode (${structure.reason})` };
  if (structure?.ok) return sized(bytes, structure, structure.mimeType, expected);
  let width: number;
  let height: number;
  let format: string | undefined;
  try {
    const sharp = await loadSharp();
    const decoder = sharp(bytes, { failOn: 'truncated' });
    const metadata = await decoder.metadata();
    // A tiny resize forces every row to be decoded while keeping the output small.
    await decoder.resize(4, 4, { fit: 'fill' }).raw().toBuffer();
    width = metadata.width;
    height = metadata.height;
    format = metadata.format;
  } catch (error) {
    return { ok: false, reason: `the image does not decode (${(error as Error).message})` };
  }
  const mimeType = (format && mimeTypeByFormat[format]) ?? `image/${format ?? 'unknown'}`;
  return sized(bytes, { width, height }, mimeType, expected);
}

function sized(bytes: Buffer, size: PixelSize, mimeType: string, expected: ExpectedImage): ImageVerification {
  const sizeProblem = sizeProblemOf(size, expected);
  if (sizeProblem) return { ok: false, reason: sizeProblem };
  return {
    ok: true,
    image: {
      bytes,
      mimeType,
      width: size.width,
      height: size.height,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    },
  };
}

function sizeProblemOf(actual: PixelSize, expected: ExpectedImage): string | undefined {
  const actualText = `${actual.width}x${actual.height}`;
  if (expected.width !== undefined && expected.height !== undefined) {
    if (actual.width !== expected.width || actual.height !== expected.height) {
      return `the image is ${actualText}, expected ${expected.width}x${expected.height}`;
    }
    return undefined;
  }
  if (expected.allowedSizes && expected.allowedSizes.length > 0) {
    const allowed = expected.allowedSizes.some(
      (size) => size.width === actual.width && size.height === actual.height,
    );
    if (!allowed) {
      const allowedText = expected.allowedSizes.map((size) => `${size.width}x${size.height}`).join(', ');
      return `the image is ${actualText}, expected one of ${allowedText}`;
    }
  }
  return undefined;
}
