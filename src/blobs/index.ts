export { BlobStore, FileBlobStore, type BlobStoreOptions } from './blob-store.js';
export type { BlobStorage, StoredBlob } from './blob-storage.js';
export type { S3BlobStore, S3BlobStoreOptions } from './s3-blob-store.js';
/**
 * The S3 blob store, imported when first asked for: the AWS SDK costs about 100 ms of start-up and a few
 * MB that a deployment on local files never uses.
 */
export const loadS3Adapter = () => import('./s3-blob-store.js');
export { blobProvenanceSchema, type BlobProvenance } from './blob-provenance.js';
export { MalformedImageError } from './malformed-image-error.js';
