import sharp from 'sharp';

/** Longest side of the thumbnails embedded in the HTML report (default of `thumbnailDataUrl`). */
export const defaultThumbnailSidePixels = 256;

/** A small JPEG of the image as a `data:` URL, so the report needs no files to show the pictures. */
export async function thumbnailDataUrl(
  bytes: Uint8Array,
  maxSidePixels = defaultThumbnailSidePixels,
): Promise<string> {
  const jpeg = await sharp(bytes)
    .resize(maxSidePixels, maxSidePixels, { fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: 72 })
    .toBuffer();
  return `data:image/jpeg;base64,${jpeg.toString('base64')}`;
}
