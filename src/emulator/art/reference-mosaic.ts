/**
 * The starting picture of an edit: the reference images cover-fitted into one canvas (one image
 * fills it, several share it as tiles), so the output visibly derives from every input.
 */
import { createHash } from 'node:crypto';
import { composeScene } from './art-scene.js';
import { paintScene } from './paint-scene.js';
import { sniffImageMimeType, loadSharp } from '../../media/index.js';
import { tileLayout, type TileRectangle } from './tile-layout.js';
import { workingSize, type PixelSize } from './working-size.js';

/** A reference image is not an image sharp (or the HEIF stand-in below) can use. */
export class ReferenceImageDecodeError extends Error {
  override readonly name = 'ReferenceImageDecodeError';
}

/** Raw 8-bit RGB of `size`, made from the references. */
export async function referenceMosaic(references: readonly Uint8Array[], size: PixelSize): Promise<Buffer> {
  const tiles = tileLayout(references.length, size);
  const tilePixels = await Promise.all(
    tiles.map((tile, index) => referenceTile(references[index] ?? new Uint8Array(), index, tile)),
  );
  if (tilePixels.length === 1 && tilePixels[0] !== undefined) return tilePixels[0];
  const canvas = Buffer.alloc(size.width * size.height * 3);
  tiles.forEach((tile, index) => {
    const pixels = tilePixels[index];
    if (pixels === undefined) return;
    const rowBytes = tile.width * 3;
    for (let row = 0; row < tile.height; row++) {
      pixels.copy(
        canvas,
        ((tile.top + row) * size.width + tile.left) * 3,
        row * rowBytes,
        (row + 1) * rowBytes,
      );
    }
  });
  return canvas;
}

async function referenceTile(reference: Uint8Array, index: number, tile: TileRectangle): Promise<Buffer> {
  try {
    const sharp = await loadSharp();
    const { data, info } = await sharp(reference)
      .autoOrient()
      // Transparent areas become white, as they look in most viewers.
      .flatten({ background: '#ffffff' })
      .resize(tile.width, tile.height, { fit: 'cover', position: 'centre' })
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels instead of 3`);
    return data;
  } catch (error) {
    const sniffed = sniffImageMimeType(reference);
    if (sniffed === 'image/heic' || sniffed === 'image/heif') return heifStandIn(reference, tile);
    const reason = error instanceof Error ? error.message : String(error);
    throw new ReferenceImageDecodeError(
      `referenceImages[${index}] (${reference.length} bytes, ${sniffed ?? 'unrecognised format'}) could not be decoded: ${reason}`,
    );
  }
}

/**
 * The bundled libvips decodes HEIF only when AV1-coded, and HEIC (HEVC) is what phones send. The
 * API accepts HEIC, so the emulator must too: it paints art seeded by the file's hash instead,
 * which still makes the output a deterministic function of the input bytes.
 */
async function heifStandIn(reference: Uint8Array, tile: TileRectangle): Promise<Buffer> {
  const digest = createHash('sha256').update(reference).digest('hex');
  const paintSize = workingSize(tile);
  const scene = composeScene(
    { family: 'reference', modelId: 'reference', prompt: digest, seed: undefined },
    paintSize,
  );
  const painted = paintScene(scene, paintSize);
  const sharp = await loadSharp();
  return sharp(painted.data, {
    raw: { width: painted.width, height: painted.height, channels: 3 },
  })
    .resize(tile.width, tile.height, { fit: 'fill' })
    .raw()
    .toBuffer();
}
