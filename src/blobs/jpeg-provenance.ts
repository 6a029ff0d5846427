import {
  parseProvenance,
  provenanceKeyword,
  serializeProvenance,
  type BlobProvenance,
} from './blob-provenance.js';
import { MalformedImageError } from './malformed-image-error.js';

const START_OF_IMAGE = 0xd8;
const COMMENT = 0xfe;
const START_OF_SCAN = 0xda;
const COMMENT_PREFIX = `${provenanceKeyword} `;
/** A segment's length field counts itself, so the payload can hold at most 65533 bytes. */
const MAX_SEGMENT_PAYLOAD_BYTES = 0xffff - 2;

interface JpegSegment {
  marker: number;
  start: number;
  end: number;
  payload: Buffer;
}

/**
 * Adds a COM segment holding the provenance after the leading APPn segments (JFIF/EXIF stay first, as
 * strict readers expect). The compressed image data is copied byte for byte.
 */
export function embedJpegProvenance(bytes: Uint8Array, provenance: BlobProvenance): Buffer {
  const source = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const segments = readHeaderSegments(source);
  const payload = Buffer.from(COMMENT_PREFIX + serializeProvenance(provenance), 'utf8');
  if (payload.length > MAX_SEGMENT_PAYLOAD_BYTES) {
    throw new MalformedImageError(
      `Provenance is ${payload.length} bytes; a JPEG comment holds at most 65533.`,
    );
  }
  const kept = segments.filter((segment) => !isProvenanceSegment(segment));
  const leadingApplicationCount = kept.findIndex((segment) => !isApplicationSegment(segment.marker));
  const insertAt = leadingApplicationCount < 0 ? kept.length : leadingApplicationCount;
  const headerEnd = segments.at(-1)?.end ?? 2;
  return Buffer.concat([
    source.subarray(0, 2),
    ...kept.slice(0, insertAt).map((segment) => source.subarray(segment.start, segment.end)),
    encodeSegment(COMMENT, payload),
    ...kept.slice(insertAt).map((segment) => source.subarray(segment.start, segment.end)),
    source.subarray(headerEnd),
  ]);
}

export function readJpegProvenance(bytes: Uint8Array): BlobProvenance | undefined {
  const source = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let segments: JpegSegment[];
  try {
    segments = readHeaderSegments(source);
  } catch {
    return undefined;
  }
  const segment = segments.find(isProvenanceSegment);
  return segment ? parseProvenance(segment.payload.toString('utf8', COMMENT_PREFIX.length)) : undefined;
}

/** The marker segments before the first scan; entropy-coded data is never parsed. */
function readHeaderSegments(source: Buffer): JpegSegment[] {
  if (source[0] !== 0xff || source[1] !== START_OF_IMAGE)
    throw new MalformedImageError('Not a JPEG (no SOI).');
  const segments: JpegSegment[] = [];
  let offset = 2;
  while (offset + 4 <= source.length && source[offset] === 0xff) {
    const marker = source[offset + 1] ?? 0;
    if (marker === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    const length = source.readUInt16BE(offset + 2);
    const end = offset + 2 + length;
    if (length < 2 || end > source.length) throw new MalformedImageError('JPEG segment runs past the end.');
    segments.push({ marker, start: offset, end, payload: source.subarray(offset + 4, end) });
    if (marker === START_OF_SCAN) break;
    offset = end;
  }
  return segments;
}

function isApplicationSegment(marker: number): boolean {
  return marker >= 0xe0 && marker <= 0xef;
}

function isProvenanceSegment(segment: JpegSegment): boolean {
  return (
    segment.marker === COMMENT &&
    segment.payload.toString('latin1', 0, COMMENT_PREFIX.length) === COMMENT_PREFIX
  );
}

function encodeSegment(marker: number, payload: Buffer): Buffer {
  const header = Buffer.from([0xff, marker, 0, 0]);
  header.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([header, payload]);
}
