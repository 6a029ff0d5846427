import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

export interface TemporaryS3Server {
  endpoint: string;
  bucket: string;
  /** Options for `S3BlobStore` against this server. */
  options: {
    bucket: string;
    endpoint: string;
    region: string;
    forcePathStyle: true;
    credentials: { accessKeyId: string; secretAccessKey: string };
  };
  close(): Promise<void>;
}

/**
 * An S3-compatible server (s3rver) on a free local port with one empty bucket, its files in a temporary
 * folder removed on close. s3rver ignores conditional writes; nothing here relies on them.
 */
export async function startTemporaryS3Server(bucket = 'imagegate-test'): Promise<TemporaryS3Server> {
  const directory = await mkdtemp(join(tmpdir(), 'imagegate-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const address = await server.run();
  const endpoint = `http://127.0.0.1:${address.port}`;
  return {
    endpoint,
    bucket,
    options: {
      bucket,
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      // s3rver's fixed development credentials.
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    },
    close: async () => {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
