/**
 * The emulator's output images: real PNG or JPEG files at exactly the requested size, with
 * deterministic procedural content. Same request, same bytes; different prompts, visibly
 * different pictures; an edit keeps its reference images recognisable under a tint.
 */
import type { Sharp } from 'sharp';
import { composeScene } from './art-scene.js';
import { paintScene } from './paint-scene.js';
import { referenceMosaic } from './reference-mosaic.js';
import { parseRenderRequest, type RenderRequest } from './render-request.js';
import { workingSize } from './working-size.js';
import { loadSharp } from '../../media/index.js';

/** How strongly the prompt's art shows through an edited reference image (0 none, 1 hides it). */
export const editOverlayOpacity = 0.3;

/** Low zlib effort: 4K stays well under a second, and emulator images are not kept for their size. */
const pngCompressionLevel = 2;
const jpegQuality = 90;

export async function renderImage(request: RenderRequest): Promise<Buffer> {
  const { width, height, mimeType, referenceImages, ...artInputs } = parseRenderRequest(request);
  const paintSize = workingSize({ width, height });
  const painted = paintScene(composeScene(artInputs, paintSize), paintSize);
  const sharp = await loadSharp();
  const art = sharp(painted.data, {
    raw: { width: painted.width, height: painted.height, channels: 3 },
  }).resize(width, height, { fit: 'fill', kernel: 'linear' });

  if (referenceImages.length === 0) return encode(art, mimeType);

  const [mosaic, overlay] = await Promise.all([
    referenceMosaic(referenceImages, { width, height }),
    art.ensureAlpha(editOverlayOpacity).raw().toBuffer(),
  ]);
  const edited = sharp(mosaic, { raw: { width, height, channels: 3 } }).composite([
    { input: overlay, raw: { width, height, channels: 4 } },
  ]);
  return encode(edited, mimeType);
}

function encode(pipeline: Sharp, mimeType: RenderRequest['mimeType']): Promise<Buffer> {
  const encoded =
    mimeType === 'image/png'
      ? pipeline.png({ compressionLevel: pngCompressionLevel, adaptiveFiltering: false })
      : pipeline.jpeg({ quality: jpegQuality });
  return encoded.toBuffer();
}
