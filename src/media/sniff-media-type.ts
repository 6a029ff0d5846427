/**
 * Media type from the bytes themselves, never from a file name: a `.png` that holds SVG text is SVG.
 */
import { sniffImageMimeType, type SniffedImageMimeType } from './sniff-image-mime-type.js';
import { sniffVideoMimeType, type SniffedVideoMimeType } from './sniff-video-mime-type.js';

export type SniffedMediaType = SniffedImageMimeType | SniffedVideoMimeType | 'image/svg+xml';

export function sniffMediaType(bytes: Uint8Array): SniffedMediaType | undefined {
  return (
    sniffImageMimeType(bytes) ??
    sniffVideoMimeType(bytes) ??
    (looksLikeSvg(bytes) ? 'image/svg+xml' : undefined)
  );
}

export function isImageType(type: string | undefined): boolean {
  return type?.startsWith('image/') ?? false;
}

export function isVideoType(type: string | undefined): boolean {
  return type?.startsWith('video/') ?? false;
}

/** SVG is text, so it is named here only to refuse it with a clear message. */
function looksLikeSvg(bytes: Uint8Array): boolean {
  const head = new TextDecoder().decode(bytes.subarray(0, 512)).trimStart().toLowerCase();
  return head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg'));
}
