import { createHash } from 'node:crypto';
import type { Clock } from '../../clock/index.js';
import { EmulatorApiError } from '../api-errors.js';

/** Files are kept 48 hours, as on the real Files API. */
export const fileRetentionMs = 48 * 3_600_000;

export type FileSource = 'UPLOADED' | 'GENERATED';
export type FileState = 'PROCESSING' | 'ACTIVE';

export interface StoredFile {
  /** The ID after `files/`. */
  id: string;
  displayName: string | undefined;
  mimeType: string;
  bytes: Uint8Array;
  source: FileSource;
  createTimeMs: number;
  /** Until this instant the file is PROCESSING (videos); equal to `createTimeMs` for other files. */
  activeFromMs: number;
  expirationTimeMs: number;
  /** `{origin}{prefix}/{version}` the file was created under; its `uri` hangs off it. */
  resourceBaseUrl: string;
}

export interface FileStoreOptions {
  /** Emulated time a video stays PROCESSING after upload (default 2 000 ms). */
  videoProcessingMs?: number;
}

/**
 * The in-memory Files API store. Expiry and the PROCESSING → ACTIVE step are read from the clock at
 * each access rather than scheduled, so moving the emulated clock moves them too.
 */
export class FileStore {
  private readonly files = new Map<string, StoredFile>();
  private createdCount = 0;
  private readonly videoProcessingMs: number;

  constructor(
    private readonly clock: Clock,
    options: FileStoreOptions = {},
  ) {
    this.videoProcessingMs = options.videoProcessingMs ?? 2_000;
  }

  /** Adds a file; `id` is generated when not given. Throws 409 ALREADY_EXISTS for a taken ID. */
  add(input: {
    id?: string;
    displayName?: string;
    mimeType: string;
    bytes: Uint8Array;
    source: FileSource;
    resourceBaseUrl: string;
  }): StoredFile {
    this.createdCount += 1;
    const id = input.id ?? generatedFileId(this.createdCount);
    if (this.get(id)) throw new EmulatorApiError(409, `File files/${id} already exists.`);
    const nowMs = this.clock.nowMs();
    const file: StoredFile = {
      id,
      displayName: input.displayName,
      mimeType: input.mimeType,
      bytes: input.bytes,
      source: input.source,
      createTimeMs: nowMs,
      activeFromMs: input.mimeType.startsWith('video/') ? nowMs + this.videoProcessingMs : nowMs,
      expirationTimeMs: nowMs + fileRetentionMs,
      resourceBaseUrl: input.resourceBaseUrl,
    };
    this.files.set(id, file);
    return file;
  }

  /** The file, or `undefined` when it never existed, was deleted or has expired. */
  get(id: string): StoredFile | undefined {
    const file = this.files.get(id);
    if (file && this.clock.nowMs() >= file.expirationTimeMs) {
      this.files.delete(id);
      return undefined;
    }
    return file;
  }

  delete(id: string): boolean {
    return this.get(id) !== undefined && this.files.delete(id);
  }

  /** Every live file, newest first (the order the real list returns). */
  list(): StoredFile[] {
    return [...this.files.keys()]
      .map((id) => this.get(id))
      .filter((file): file is StoredFile => file !== undefined)
      .sort((a, b) => b.createTimeMs - a.createTimeMs);
  }

  stateOf(file: StoredFile): FileState {
    return this.clock.nowMs() >= file.activeFromMs ? 'ACTIVE' : 'PROCESSING';
  }
}

/** IDs look like real ones (12 lowercase letters and digits) and are reproducible from the counter. */
export function generatedFileId(sequence: number): string {
  const digest = createHash('sha256').update(`file-${sequence}`).digest();
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(digest.subarray(0, 12), (byte) => alphabet[byte % alphabet.length]).join('');
}

/** The file ID a `fileUri` or `files/<id>` name points at, as the SDK's `tFileName` reads it. */
export function fileIdFromUri(uri: string): string | undefined {
  return /(?:^|\/)files\/([a-z0-9-]+)/.exec(uri)?.[1];
}

/** The File resource JSON (reference 1.7): int64 `sizeBytes` as a string, RFC 3339 times. */
export function fileResource(file: StoredFile, state: FileState): Record<string, unknown> {
  const updateTimeMs = state === 'ACTIVE' ? file.activeFromMs : file.createTimeMs;
  return {
    name: `files/${file.id}`,
    ...(file.displayName !== undefined ? { displayName: file.displayName } : {}),
    mimeType: file.mimeType,
    sizeBytes: String(file.bytes.byteLength),
    createTime: new Date(file.createTimeMs).toISOString(),
    updateTime: new Date(updateTimeMs).toISOString(),
    expirationTime: new Date(file.expirationTimeMs).toISOString(),
    sha256Hash: Buffer.from(createHash('sha256').update(file.bytes).digest('hex')).toString('base64'),
    uri: `${file.resourceBaseUrl}/files/${file.id}`,
    ...(file.source === 'GENERATED'
      ? { downloadUri: `${file.resourceBaseUrl}/files/${file.id}:download?alt=media` }
      : {}),
    state,
    source: file.source,
  };
}
