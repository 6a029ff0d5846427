export { BlobStore, type BlobStoreOptions, type StoredBlob } from './blob-store.js';
export { blobProvenanceSchema, type BlobProvenance } from './blob-provenance.js';
export { MalformedImageError } from './malformed-image-error.js';
