import { createHash } from 'node:crypto';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { z } from 'zod';
import { sniffMediaType } from '../media/index.js';
import type { BlobProvenance } from './blob-provenance.js';
import type { BlobStorage, StoredBlob } from './blob-storage.js';
import { readImageProvenance, tagImageWithProvenance } from './image-provenance.js';

/** What the S3 store needs; every field is checked, and errors name it. */
export const s3BlobStoreOptionsSchema = z.strictObject({
  bucket: z.string().min(3, 'a bucket name (3 to 63 characters)').max(63, 'at most 63 characters'),
  /** Leave out for AWS; set for MinIO, Ceph, R2, s3rver… */
  endpoint: z.url('an http:// or https:// URL').optional(),
  region: z.string().min(1).default('us-east-1'),
  /** `http://endpoint/bucket/key` instead of `http://bucket.endpoint/key`: MinIO and most others need it. */
  forcePathStyle: z.boolean().default(false),
  /** Put before every key, e.g. `imagegate/`; default none. */
  prefix: z
    .string()
    .regex(/^([A-Za-z0-9._-]+\/)*$/, 'folder names ending in /, e.g. imagegate/')
    .default(''),
  /** Default: the SDK's chain (environment, profile, instance role). */
  credentials: z
    .strictObject({ accessKeyId: z.string().min(1), secretAccessKey: z.string().min(1) })
    .optional(),
});
export type S3BlobStoreOptions = z.input<typeof s3BlobStoreOptionsSchema>;

const SHA256_PATTERN = /^[0-9a-f]{64}$/;
const FALLBACK_MIME_TYPE = 'application/octet-stream';

/**
 * Content-addressed blobs in an S3-compatible bucket: key `<prefix><sha[0..2]>/<sha>`, the MIME type as
 * the object's Content-Type, provenance embedded in the image bytes exactly as on local files. An S3 PUT
 * is atomic (a reader sees the whole object or none), and `put` returns only after it succeeded, so the
 * worker's "images stored, then task committed" order holds across instances.
 *
 * Correctness never depends on conditional writes (`If-None-Match`, which s3rver and older S3-compatible
 * servers ignore): two writers of one key write the same bytes, so whichever lands last changes nothing.
 * The HEAD before a PUT only saves the upload.
 */
export class S3BlobStore implements BlobStorage {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;

  constructor(options: S3BlobStoreOptions) {
    const parsed = s3BlobStoreOptionsSchema.parse(options);
    this.bucket = parsed.bucket;
    this.prefix = parsed.prefix;
    this.client = new S3Client({
      region: parsed.region,
      forcePathStyle: parsed.forcePathStyle,
      ...(parsed.endpoint ? { endpoint: parsed.endpoint } : {}),
      ...(parsed.credentials ? { credentials: parsed.credentials } : {}),
      // Extra checksum headers (the SDK's default since 3.729) are refused or mangled by many
      // S3-compatible servers; the content address is the end-to-end check that matters here.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async put(bytes: Uint8Array, mimeType: string): Promise<StoredBlob> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (!(await this.has(sha256))) {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: this.keyOf(sha256),
          Body: bytes,
          ContentType: mimeType,
          ContentLength: bytes.byteLength,
          // The server refuses a body that arrived damaged.
          ContentMD5: createHash('md5').update(bytes).digest('base64'),
        }),
      );
    }
    return { sha256, size: bytes.byteLength };
  }

  async putImage(
    bytes: Uint8Array,
    mimeType: 'image/png' | 'image/jpeg',
    provenance: BlobProvenance,
  ): Promise<StoredBlob> {
    return this.put(tagImageWithProvenance(bytes, mimeType, provenance), mimeType);
  }

  async get(sha256: string): Promise<{ bytes: Buffer; mimeType: string } | undefined> {
    if (!SHA256_PATTERN.test(sha256)) return undefined;
    try {
      const object = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.keyOf(sha256) }),
      );
      if (!object.Body) return undefined;
      const bytes = Buffer.from(await object.Body.transformToByteArray());
      const mimeType = object.ContentType?.trim() || sniffMediaType(bytes) || FALLBACK_MIME_TYPE;
      return { bytes, mimeType };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async has(sha256: string): Promise<boolean> {
    if (!SHA256_PATTERN.test(sha256)) return false;
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.keyOf(sha256) }));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  readProvenance(bytes: Uint8Array): BlobProvenance | undefined {
    return readImageProvenance(bytes);
  }

  /**
   * Deletes blobs under the prefix that no task refers to and were written before `writtenBeforeMs` (the
   * age spares blobs written for a task that is not committed yet). Returns how many went.
   */
  async pruneUnreferenced(keep: ReadonlySet<string>, writtenBeforeMs: number): Promise<number> {
    let removed = 0;
    let continuationToken: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: this.prefix,
          ...(continuationToken ? { ContinuationToken: continuationToken } : {}),
        }),
      );
      for (const object of page.Contents ?? []) {
        const sha256 = object.Key?.slice(object.Key.lastIndexOf('/') + 1) ?? '';
        if (!SHA256_PATTERN.test(sha256) || keep.has(sha256)) continue;
        if (!object.LastModified || object.LastModified.getTime() >= writtenBeforeMs) continue;
        await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: object.Key }));
        removed += 1;
      }
      continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (continuationToken);
    return removed;
  }

  /** Throws unless the bucket answers (for `/healthz`). */
  async ping(): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
  }

  close(): void {
    this.client.destroy();
  }

  private keyOf(sha256: string): string {
    return `${this.prefix}${sha256.slice(0, 2)}/${sha256}`;
  }
}

function isNotFound(error: unknown): boolean {
  return (
    error instanceof S3ServiceException &&
    (error.$metadata.httpStatusCode === 404 || error.name === 'NoSuchKey' || error.name === 'NotFound')
  );
}
