import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileBlobStore } from './blob-store.js';
import { describeBlobStoreContract } from './test-support/blob-store-contract.js';

describeBlobStoreContract('local files', async () => {
  const directory = await mkdtemp(join(tmpdir(), 'imagegate-blobs-'));
  return {
    store: new FileBlobStore({ directory }),
    cleanup: () => rm(directory, { recursive: true, force: true }),
  };
});
