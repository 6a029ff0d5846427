import { EmulatorApiError, invalidArgument } from '../api-errors.js';

/**
 * Google's resumable upload protocol as the SDK drives it (reference 1.7): a `start` call opens a
 * session and is answered with an upload URL; each chunk names its byte offset; the last one says
 * `finalize`. Offsets must follow on exactly from what was received.
 */

export interface UploadSessionInput {
  mimeType: string;
  displayName?: string;
  /** The file ID the caller asked for (`files/<id>` without the prefix), if any. */
  requestedId?: string;
  declaredSizeBytes?: number;
  /** `{origin}{prefix}/{version}` of the start call, for the File's `uri`. */
  resourceBaseUrl: string;
}

export interface UploadSession extends UploadSessionInput {
  uploadId: string;
  receivedBytes: number;
  chunks: Uint8Array[];
}

export type ChunkResult =
  | { status: 'active'; receivedBytes: number }
  | { status: 'final'; session: UploadSession; bytes: Uint8Array };

/** The response headers of the resumable protocol; a browser may read them only if CORS exposes them. */
export const uploadResponseHeaders = {
  url: 'x-goog-upload-url',
  status: 'x-goog-upload-status',
  chunkGranularity: 'x-goog-upload-chunk-granularity',
  controlUrl: 'x-goog-upload-control-url',
  sizeReceived: 'x-goog-upload-size-received',
} as const;

export const uploadCommands = ['start', 'upload', 'finalize', 'query', 'cancel'] as const;
export type UploadCommand = (typeof uploadCommands)[number];

/** Reads `X-Goog-Upload-Command` ("upload, finalize") into its words; throws on an unknown one. */
export function parseUploadCommand(header: string | undefined): Set<UploadCommand> {
  const words = (header ?? '')
    .split(',')
    .map((word) => word.trim().toLowerCase())
    .filter((word) => word !== '');
  if (words.length === 0) throw invalidArgument('Missing X-Goog-Upload-Command header.');
  const unknown = words.find((word) => !(uploadCommands as readonly string[]).includes(word));
  if (unknown !== undefined) {
    throw invalidArgument(
      `Invalid X-Goog-Upload-Command "${header}": unknown command "${unknown}". Allowed: ${uploadCommands.join(', ')}.`,
    );
  }
  return new Set(words as UploadCommand[]);
}

/** A file ID as the Files API allows it: up to 40 of [a-z0-9-], not starting or ending with a dash. */
export function isValidFileId(id: string): boolean {
  return /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/.test(id);
}

export class ResumableUploads {
  private readonly sessions = new Map<string, UploadSession>();
  private startedCount = 0;

  start(input: UploadSessionInput): UploadSession {
    this.startedCount += 1;
    const session: UploadSession = {
      ...input,
      uploadId: `emulator-upload-${this.startedCount}`,
      receivedBytes: 0,
      chunks: [],
    };
    this.sessions.set(session.uploadId, session);
    return session;
  }

  /** Applies one chunk call. `offset` is the `X-Goog-Upload-Offset` header, required with `upload`. */
  receive(
    uploadId: string,
    commands: Set<UploadCommand>,
    offset: number | undefined,
    bytes: Uint8Array,
  ): ChunkResult {
    const session = this.sessions.get(uploadId);
    if (!session)
      throw new EmulatorApiError(
        404,
        `Upload session ${uploadId} does not exist or has already been finalized.`,
      );
    if (commands.has('cancel')) {
      this.sessions.delete(uploadId);
      throw new EmulatorApiError(499, `Upload session ${uploadId} was cancelled.`);
    }
    if (commands.has('query') || commands.has('start'))
      return { status: 'active', receivedBytes: session.receivedBytes };
    if (commands.has('upload')) {
      if (offset === undefined || !Number.isInteger(offset) || offset < 0) {
        throw invalidArgument(`Invalid X-Goog-Upload-Offset "${offset}": expected a whole number of bytes.`);
      }
      if (offset !== session.receivedBytes) {
        throw invalidArgument(
          `Invalid X-Goog-Upload-Offset ${offset}: the server has received ${session.receivedBytes} bytes, so the next chunk must start there.`,
        );
      }
      session.chunks.push(bytes);
      session.receivedBytes += bytes.byteLength;
      if (session.declaredSizeBytes !== undefined && session.receivedBytes > session.declaredSizeBytes) {
        this.sessions.delete(uploadId);
        throw invalidArgument(
          `Upload exceeds the declared size: received ${session.receivedBytes} bytes, X-Goog-Upload-Header-Content-Length was ${session.declaredSizeBytes}.`,
        );
      }
    }
    if (!commands.has('finalize')) return { status: 'active', receivedBytes: session.receivedBytes };
    if (session.declaredSizeBytes !== undefined && session.receivedBytes !== session.declaredSizeBytes) {
      throw invalidArgument(
        `Upload finalized after ${session.receivedBytes} bytes, but ${session.declaredSizeBytes} were declared.`,
      );
    }
    this.sessions.delete(uploadId);
    return { status: 'final', session, bytes: Buffer.concat(session.chunks) };
  }
}
