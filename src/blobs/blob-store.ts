import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { sniffMediaType } from '../media/index.js';
import type { BlobProvenance } from './blob-provenance.js';
import type { BlobStorage, StoredBlob } from './blob-storage.js';
import { readImageProvenance, tagImageWithProvenance } from './image-provenance.js';

export interface BlobStoreOptions {
  /** Root folder; created on first write. No default: the caller decides where images live. */
  directory: string;
}

const SHA256_PATTERN = /^[0-9a-f]{64}$/;
const FALLBACK_MIME_TYPE = 'application/octet-stream';

/**
 * Content-addressed files on local disk: `<directory>/<sha[0..2]>/<sha>`, with the MIME type in a
 * `<sha>.type` sidecar when the bytes do not show it. A write goes to a temporary file that is fsynced and renamed into place, so a
 * reader (or a crash) never sees half a blob; the same bytes written twice are stored once.
 */
export class FileBlobStore implements BlobStorage {
  private readonly directory: string;

  constructor(options: BlobStoreOptions) {
    this.directory = options.directory;
  }

  async put(bytes: Uint8Array, mimeType: string): Promise<StoredBlob> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const folder = join(this.directory, sha256.slice(0, 2));
    const path = this.pathOf(sha256);
    if (!(await exists(path))) {
      await mkdir(folder, { recursive: true });
      // A type the bytes themselves show (PNG, JPEG, WebP, the video containers) needs no sidecar: `get`
      // sniffs it, and each sidecar costs two more fsyncs per write. Otherwise the sidecar lands first so
      // a visible blob always has its type.
      if (sniffMediaType(bytes) !== mimeType) {
        await writeAtomically(folder, `${path}.type`, Buffer.from(mimeType, 'utf8'));
      }
      await writeAtomically(folder, path, bytes);
    }
    return { sha256, size: bytes.byteLength };
  }

  /**
   * Embeds provenance (PNG: an iTXt chunk before IEND; JPEG: a COM segment after the APPn segments), then
   * stores. Pixels are never re-encoded; the sha256 is of the final bytes.
   */
  async putImage(
    bytes: Uint8Array,
    mimeType: 'image/png' | 'image/jpeg',
    provenance: BlobProvenance,
  ): Promise<StoredBlob> {
    return this.put(tagImageWithProvenance(bytes, mimeType, provenance), mimeType);
  }

  async get(sha256: string): Promise<{ bytes: Buffer; mimeType: string } | undefined> {
    if (!SHA256_PATTERN.test(sha256)) return undefined;
    const path = this.pathOf(sha256);
    const bytes = await readFile(path).catch(ignoreMissing);
    if (!bytes) return undefined;
    const sidecar = await readFile(`${path}.type`, 'utf8').catch(ignoreMissing);
    const mimeType = sidecar?.trim() || sniffMediaType(bytes) || FALLBACK_MIME_TYPE;
    return { bytes, mimeType };
  }

  async has(sha256: string): Promise<boolean> {
    return SHA256_PATTERN.test(sha256) && exists(this.pathOf(sha256));
  }

  /**
   * Deletes blobs not in `keep` whose file was last written before `writtenBeforeMs` (and temporary files
   * a crash left behind, by the same age). The age spares blobs written for a task that is not committed
   * yet. Returns how many blobs went.
   */
  async pruneUnreferenced(keep: ReadonlySet<string>, writtenBeforeMs: number): Promise<number> {
    let removed = 0;
    const folders = await readdir(this.directory).catch(ignoreMissing);
    for (const folder of folders ?? []) {
      if (!/^[0-9a-f]{2}$/.test(folder)) continue;
      const folderPath = join(this.directory, folder);
      for (const name of await readdir(folderPath)) {
        const isBlob = SHA256_PATTERN.test(name);
        const path = join(folderPath, name);
        const sidecarOf = name.endsWith('.type') ? name.slice(0, -'.type'.length) : undefined;
        // A sidecar whose blob never landed (a crash between the two writes) goes too.
        const orphanSidecar =
          sidecarOf !== undefined &&
          SHA256_PATTERN.test(sidecarOf) &&
          !keep.has(sidecarOf) &&
          !(await exists(join(folderPath, sidecarOf)));
        if (!(isBlob && !keep.has(name)) && !name.startsWith('.tmp-') && !orphanSidecar) continue;
        const written = await stat(path).catch(ignoreMissing);
        if (!written || written.mtimeMs >= writtenBeforeMs) continue;
        // The blob first, then its sidecar: a crash in between leaves only a harmless orphan sidecar.
        await rm(path, { force: true });
        if (isBlob) {
          await rm(`${path}.type`, { force: true });
          removed += 1;
        }
      }
    }
    return removed;
  }

  /** Provenance embedded by `putImage`, or undefined for other bytes. */
  readProvenance(bytes: Uint8Array): BlobProvenance | undefined {
    return readImageProvenance(bytes);
  }

  private pathOf(sha256: string): string {
    return join(this.directory, sha256.slice(0, 2), sha256);
  }
}

/**
 * Where blobs live, as a type: the file store or the S3 store (`BlobStorage`). The name stays the
 * type every consumer imports, and `new BlobStore(...)` still builds the file store, so single-instance
 * code reads as before.
 */
export type BlobStore = BlobStorage;
export const BlobStore = FileBlobStore;

async function writeAtomically(folder: string, path: string, bytes: Uint8Array): Promise<void> {
  const temporaryPath = join(folder, `.tmp-${randomBytes(8).toString('hex')}`);
  try {
    const file = await open(temporaryPath, 'wx');
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporaryPath, path);
  } catch (error) {
    await rm(temporaryPath, { force: true });
    throw error;
  }
  await syncFolder(folder);
}

/** Makes the rename itself durable; some platforms cannot open a folder for syncing, which is fine. */
async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r').catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync().catch(() => undefined);
  } finally {
    await handle.close();
  }
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(ignoreMissing)) !== undefined;
}

function ignoreMissing(error: unknown): undefined {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
  throw error;
}
