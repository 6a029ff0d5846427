import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BlobProvenance } from '../blob-provenance.js';
import type { BlobStorage } from '../blob-storage.js';

const provenance: BlobProvenance = {
  logicalModel: 'image_fast',
  servedModel: 'served-model',
  platform: 'gemini-api',
  promptSha256: createHash('sha256').update('a red fox').digest('hex'),
  taskId: 'task_img_01J00000000000000000000000',
};

function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * The behaviour every `BlobStorage` must show, as one vitest suite. An adapter's test file calls this with
 * a factory that returns a fresh, empty store and a cleanup.
 */
export function describeBlobStoreContract(
  adapterName: string,
  createStore: () => Promise<{ store: BlobStorage; cleanup(): Promise<void> }>,
): void {
  describe(`BlobStorage contract: ${adapterName}`, () => {
    let store: BlobStorage;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, cleanup } = await createStore());
    });
    afterEach(async () => {
      await cleanup();
    });

    it('addresses bytes by their SHA-256 and reads them back with their type', async () => {
      const bytes = Buffer.from('hello blob');
      const stored = await store.put(bytes, 'text/plain');
      expect(stored).toEqual({ sha256: sha256Of(bytes), size: bytes.length });
      expect(await store.get(stored.sha256)).toEqual({ bytes, mimeType: 'text/plain' });
      expect(await store.has(stored.sha256)).toBe(true);
    });

    it('stores the same bytes once, even written concurrently', async () => {
      const bytes = Buffer.from('same bytes');
      const results = await Promise.all([1, 2, 3].map(() => store.put(bytes, 'text/plain')));
      expect(new Set(results.map((result) => result.sha256)).size).toBe(1);
      expect((await store.get(results[0]!.sha256))?.bytes.equals(bytes)).toBe(true);
    });

    it('answers unknown and malformed addresses with nothing', async () => {
      expect(await store.get('0'.repeat(64))).toBeUndefined();
      expect(await store.has('0'.repeat(64))).toBe(false);
      expect(await store.get('../../etc/passwd')).toBeUndefined();
      expect(await store.has('ABC')).toBe(false);
    });

    it('embeds provenance in a PNG without re-encoding it; the address is of the tagged bytes', async () => {
      const png = await sharp({ create: { width: 4, height: 3, channels: 3, background: '#c33' } })
        .png()
        .toBuffer();
      const stored = await store.putImage(png, 'image/png', provenance);
      const read = await store.get(stored.sha256);
      expect(read?.mimeType).toBe('image/png');
      expect(sha256Of(read!.bytes)).toBe(stored.sha256);
      expect(store.readProvenance(read!.bytes)).toEqual(provenance);
      const pixels = await sharp(read!.bytes).raw().toBuffer();
      expect(pixels.equals(await sharp(png).raw().toBuffer())).toBe(true);
    });

    it('embeds provenance in a JPEG', async () => {
      const jpeg = await sharp({ create: { width: 4, height: 3, channels: 3, background: '#3c3' } })
        .jpeg()
        .toBuffer();
      const stored = await store.putImage(jpeg, 'image/jpeg', provenance);
      const read = await store.get(stored.sha256);
      expect(read?.mimeType).toBe('image/jpeg');
      expect(store.readProvenance(read!.bytes)).toEqual(provenance);
      expect(store.readProvenance(Buffer.from('not an image'))).toBeUndefined();
    });
  });
}
