import { sniffMediaType } from '../media/index.js';
import type { BlobProvenance } from './blob-provenance.js';
import { embedJpegProvenance, readJpegProvenance } from './jpeg-provenance.js';
import { embedPngProvenance, readPngProvenance } from './png-provenance.js';

/** The image's bytes with its provenance embedded, for every blob store alike. */
export function tagImageWithProvenance(
  bytes: Uint8Array,
  mimeType: 'image/png' | 'image/jpeg',
  provenance: BlobProvenance,
): Uint8Array {
  return mimeType === 'image/png'
    ? embedPngProvenance(bytes, provenance)
    : embedJpegProvenance(bytes, provenance);
}

/** Provenance embedded by `tagImageWithProvenance`, or undefined for other bytes. */
export function readImageProvenance(bytes: Uint8Array): BlobProvenance | undefined {
  const type = sniffMediaType(bytes);
  if (type === 'image/png') return readPngProvenance(bytes);
  if (type === 'image/jpeg') return readJpegProvenance(bytes);
  return undefined;
}
