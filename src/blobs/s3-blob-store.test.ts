import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3BlobStore } from './s3-blob-store.js';
import { describeBlobStoreContract } from './test-support/blob-store-contract.js';
import { startTemporaryS3Server, type TemporaryS3Server } from './test-support/temporary-s3-server.js';

let server: TemporaryS3Server;
beforeAll(async () => {
  server = await startTemporaryS3Server();
});
afterAll(() => server.close());

let run = 0;
describeBlobStoreContract('S3 (s3rver)', async () => {
  // A prefix per test keeps each test's bucket view empty without recreating the bucket.
  run += 1;
  const store = new S3BlobStore({ ...server.options, prefix: `run-${run}/` });
  return { store, cleanup: async () => store.close() };
});

describe('S3BlobStore', () => {
  it('keeps blobs under <prefix><sha[0..2]>/<sha> and reads them from another instance', async () => {
    const writer = new S3BlobStore({ ...server.options, prefix: 'shared/' });
    const reader = new S3BlobStore({ ...server.options, prefix: 'shared/' });
    try {
      const stored = await writer.put(Buffer.from('across instances'), 'text/plain');
      expect((await reader.get(stored.sha256))?.bytes.toString()).toBe('across instances');
      const elsewhere = new S3BlobStore({ ...server.options, prefix: 'other/' });
      expect(await elsewhere.has(stored.sha256)).toBe(false);
      elsewhere.close();
      await writer.ping();
    } finally {
      writer.close();
      reader.close();
    }
  });

  it('refuses bad options, naming the field', () => {
    expect(() => new S3BlobStore({ bucket: 'b' })).toThrow(/bucket/);
    expect(() => new S3BlobStore({ bucket: 'bucket', endpoint: 'not a url' })).toThrow(/endpoint/);
    expect(() => new S3BlobStore({ bucket: 'bucket', prefix: '/abs' })).toThrow(/prefix/);
  });

  it('fails loudly when the bucket does not exist', async () => {
    const missing = new S3BlobStore({ ...server.options, bucket: 'no-such-bucket' });
    try {
      await expect(missing.put(Buffer.from('x'), 'text/plain')).rejects.toThrow();
      await expect(missing.ping()).rejects.toThrow();
    } finally {
      missing.close();
    }
  });
});
