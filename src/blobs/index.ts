export { BlobStore, FileBlobStore, type BlobStoreOptions } from './blob-store.js';
export type { BlobStorage, StoredBlob } from './blob-storage.js';
export { S3BlobStore, s3BlobStoreOptionsSchema, type S3BlobStoreOptions } from './s3-blob-store.js';
export { blobProvenanceSchema, type BlobProvenance } from './blob-provenance.js';
export { MalformedImageError } from './malformed-image-error.js';
