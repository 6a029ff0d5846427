import type { BlobProvenance } from './blob-provenance.js';

export interface StoredBlob {
  /** Hex SHA-256 of the stored bytes: the blob's address. */
  sha256: string;
  size: number;
}

/**
 * Content-addressed blob storage: the address of a blob is the SHA-256 of its bytes, so the same bytes
 * written twice (by two instances, or by a stale worker and its successor) are one blob, and a blob never
 * changes once visible. Implemented on local files (`FileBlobStore`) and on S3 (`S3BlobStore`), both held
 * to `describeBlobStoreContract`.
 */
export interface BlobStorage {
  /** Stores the bytes (whole or not at all) before returning. */
  put(bytes: Uint8Array, mimeType: string): Promise<StoredBlob>;
  /**
   * Embeds provenance (PNG: an iTXt chunk before IEND; JPEG: a COM segment after the APPn segments), then
   * stores. Pixels are never re-encoded; the sha256 is of the final bytes.
   */
  putImage(
    bytes: Uint8Array,
    mimeType: 'image/png' | 'image/jpeg',
    provenance: BlobProvenance,
  ): Promise<StoredBlob>;
  /** Undefined for an unknown or malformed address. */
  get(sha256: string): Promise<{ bytes: Buffer; mimeType: string } | undefined>;
  has(sha256: string): Promise<boolean>;
  /** Provenance embedded by `putImage`, or undefined for other bytes. */
  readProvenance(bytes: Uint8Array): BlobProvenance | undefined;
  /**
   * Deletes blobs that are not in `keep` and were written before `writtenBeforeMs` (retention). Returns
   * how many went.
   */
  pruneUnreferenced(keep: ReadonlySet<string>, writtenBeforeMs: number): Promise<number>;
}
