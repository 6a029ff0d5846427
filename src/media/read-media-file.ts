import { readFile, stat } from 'node:fs/promises';
import type { MediaInput } from '../request/index.js';
import { sniffMediaType, type SniffedMediaType } from './sniff-media-type.js';
import { ImagegateError } from '../errors/index.js';

/** A problem with an input file the user named: always the user's to fix, never retried. */
export class MediaInputError extends ImagegateError {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super('invalid_media', message, { field: path });
  }
}

export interface ReadMediaOptions {
  /** Media types accepted for this input. */
  allowedTypes: readonly SniffedMediaType[];
  /** Largest accepted file in bytes. */
  maxBytes: number;
  /** What the input is, for messages ("reference image", "video"). */
  role: string;
}

/** Reads a file the user named and checks its real type (from the bytes) and size before anything is sent. */
export async function readMediaFile(path: string, options: ReadMediaOptions): Promise<MediaInput> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new MediaInputError(`The ${options.role} "${path}" does not exist.`, path);
  if (!info.isFile()) throw new MediaInputError(`The ${options.role} "${path}" is not a file.`, path);
  if (info.size > options.maxBytes) {
    throw new MediaInputError(
      `The ${options.role} "${path}" is ${formatMegabytes(info.size)}; the limit is ${formatMegabytes(options.maxBytes)}. ` +
        'Resize or re-encode it first.',
      path,
    );
  }
  const bytes = await readFile(path);
  return checkMediaBytes(bytes, path, options);
}

/** The same checks for bytes that came from elsewhere (an upload, a data URL). */
export function checkMediaBytes(bytes: Uint8Array, label: string, options: ReadMediaOptions): MediaInput {
  if (bytes.byteLength > options.maxBytes) {
    throw new MediaInputError(
      `The ${options.role} "${label}" is ${formatMegabytes(bytes.byteLength)}; the limit is ${formatMegabytes(options.maxBytes)}.`,
      label,
    );
  }
  const mimeType = sniffMediaType(bytes);
  if (!mimeType || !options.allowedTypes.includes(mimeType)) {
    throw new MediaInputError(
      `The ${options.role} "${label}" is ${mimeType ?? 'not a recognised image or video'}` +
        `${mimeType ? '' : ' (checked from its bytes, not its name)'}; allowed: ${options.allowedTypes.join(', ')}.`,
      label,
    );
  }
  return { bytes, mimeType, label };
}

function formatMegabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
