import { crc32 } from 'node:zlib';
import { MalformedImageError } from './malformed-image-error.js';
import {
  parseProvenance,
  provenanceKeyword,
  serializeProvenance,
  type BlobProvenance,
} from './blob-provenance.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

interface PngChunk {
  type: string;
  /** Offset of the chunk's length field. */
  start: number;
  /** Offset just past its CRC. */
  end: number;
  data: Buffer;
}

/**
 * Adds an iTXt chunk holding the provenance right before IEND. The image data is not touched (no
 * re-encoding), and an earlier imagegate provenance chunk is replaced rather than duplicated.
 */
export function embedPngProvenance(bytes: Uint8Array, provenance: BlobProvenance): Buffer {
  const source = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks = readPngChunks(source);
  const iend = chunks.find((chunk) => chunk.type === 'IEND');
  if (!iend) throw new MalformedImageError('PNG has no IEND chunk.');
  const kept = chunks.filter((chunk) => chunk.type !== 'IEND' && !isProvenanceChunk(chunk));
  return Buffer.concat([
    PNG_SIGNATURE,
    ...kept.map((chunk) => source.subarray(chunk.start, chunk.end)),
    encodeChunk('iTXt', internationalText(provenanceKeyword, serializeProvenance(provenance))),
    source.subarray(iend.start, iend.end),
  ]);
}

export function readPngProvenance(bytes: Uint8Array): BlobProvenance | undefined {
  const source = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let chunks: PngChunk[];
  try {
    chunks = readPngChunks(source);
  } catch {
    return undefined;
  }
  const chunk = chunks.find(isProvenanceChunk);
  return chunk ? parseProvenance(internationalTextValue(chunk.data)) : undefined;
}

function readPngChunks(source: Buffer): PngChunk[] {
  if (!source.subarray(0, 8).equals(PNG_SIGNATURE)) throw new MalformedImageError('Not a PNG signature.');
  const chunks: PngChunk[] = [];
  let offset = 8;
  while (offset + 12 <= source.length) {
    const length = source.readUInt32BE(offset);
    const type = source.toString('latin1', offset + 4, offset + 8);
    const end = offset + 12 + length;
    if (end > source.length)
      throw new MalformedImageError(`PNG chunk ${type} runs past the end of the file.`);
    chunks.push({ type, start: offset, end, data: source.subarray(offset + 8, offset + 8 + length) });
    offset = end;
    if (type === 'IEND') break;
  }
  return chunks;
}

function isProvenanceChunk(chunk: PngChunk): boolean {
  return chunk.type === 'iTXt' && internationalTextKeyword(chunk.data) === provenanceKeyword;
}

/** iTXt: keyword NUL, compression flag 0, method 0, empty language tag NUL, empty translated keyword NUL, UTF-8 text. */
function internationalText(keyword: string, text: string): Buffer {
  return Buffer.concat([
    Buffer.from(keyword, 'latin1'),
    Buffer.from([0, 0, 0, 0, 0]),
    Buffer.from(text, 'utf8'),
  ]);
}

function internationalTextKeyword(data: Buffer): string {
  const end = data.indexOf(0);
  return end < 0 ? '' : data.toString('latin1', 0, end);
}

function internationalTextValue(data: Buffer): string {
  const keywordEnd = data.indexOf(0);
  if (keywordEnd < 0 || data[keywordEnd + 1] !== 0) return '';
  const languageEnd = data.indexOf(0, keywordEnd + 3);
  const translatedEnd = languageEnd < 0 ? -1 : data.indexOf(0, languageEnd + 1);
  return translatedEnd < 0 ? '' : data.toString('utf8', translatedEnd + 1);
}

function encodeChunk(type: string, data: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(data.length, 0);
  header.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(data, crc32(header.subarray(4, 8))), 0);
  return Buffer.concat([header, data, crc]);
}
