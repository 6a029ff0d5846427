import type { thumbnailWidths } from '../../../src/server/routes/image-details.js';

/** Widths the server makes thumbnails in, taken from the server's own list (type only: nothing is bundled). */
export type ThumbnailWidth = (typeof thumbnailWidths)[number];

/** A stored image's server-made WebP thumbnail (uploads and generated images alike are addressed by sha256). */
export function thumbnailUrl(sha256: string, width: ThumbnailWidth): string {
  return `/v1/images/${sha256}/thumbnail?width=${width}`;
}
