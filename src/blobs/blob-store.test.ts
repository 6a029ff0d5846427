import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BlobProvenance } from './blob-provenance.js';
import { BlobStore } from './blob-store.js';

const provenance: BlobProvenance = {
  logicalModel: 'image_fast',
  servedModel: 'served-model',
  platform: 'gemini-api',
  promptSha256: createHash('sha256').update('a red fox').digest('hex'),
  taskId: 'task_img_01J00000000000000000000000',
};

let directory: string;
let store: BlobStore;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'imagegate-blobs-'));
  store = new BlobStore({ directory });
});
afterEach(() => rm(directory, { recursive: true, force: true }));

function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

describe('BlobStore', () => {
  it('stores bytes at <dir>/<sha[0..2]>/<sha> and reads them back with their type', async () => {
    const bytes = Buffer.from('hello blob');
    const stored = await store.put(bytes, 'text/plain');
    expect(stored).toEqual({ sha256: sha256Of(bytes), size: bytes.length });
    const onDisk = await readFile(join(directory, stored.sha256.slice(0, 2), stored.sha256));
    expect(onDisk.equals(bytes)).toBe(true);
    expect(await store.get(stored.sha256)).toEqual({ bytes, mimeType: 'text/plain' });
    expect(await store.has(stored.sha256)).toBe(true);
  });

  it('leaves no temporary files behind and stores the same bytes once', async () => {
    const bytes = Buffer.from('same bytes');
    const [first, second] = await Promise.all([
      store.put(bytes, 'text/plain'),
      store.put(bytes, 'text/plain'),
    ]);
    expect(second).toEqual(first);
    const files = await readdir(join(directory, first.sha256.slice(0, 2)));
    expect(files.sort()).toEqual([first.sha256, `${first.sha256}.type`]);
  });

  it('writes no sidecar for a type the bytes show, and sniffs it back', async () => {
    const png = await sharp({ create: { width: 2, height: 2, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    const stored = await store.put(png, 'image/png');
    expect(await readdir(join(directory, stored.sha256.slice(0, 2)))).toEqual([stored.sha256]);
    expect((await store.get(stored.sha256))?.mimeType).toBe('image/png');
  });

  it('keeps a sidecar when the declared type differs from what the bytes show', async () => {
    const png = await sharp({ create: { width: 3, height: 2, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    const stored = await store.put(png, 'application/octet-stream');
    expect((await store.get(stored.sha256))?.mimeType).toBe('application/octet-stream');
  });

  it('answers undefined / false for unknown and malformed addresses without touching other paths', async () => {
    expect(await store.get('0'.repeat(64))).toBeUndefined();
    expect(await store.has('0'.repeat(64))).toBe(false);
    expect(await store.get('../../etc/passwd')).toBeUndefined();
    expect(await store.has('../x')).toBe(false);
  });

  it.each(['png', 'jpeg'] as const)(
    'putImage embeds provenance in a %s that sharp still decodes; the address is of the final bytes',
    async (format) => {
      const blank = sharp({ create: { width: 12, height: 8, channels: 3, background: '#0a7' } });
      const original = await (format === 'png' ? blank.png() : blank.jpeg()).toBuffer();
      const mimeType = format === 'png' ? 'image/png' : 'image/jpeg';
      const stored = await store.putImage(original, mimeType, provenance);
      const read = await store.get(stored.sha256);
      expect(read?.mimeType).toBe(mimeType);
      expect(sha256Of(read!.bytes)).toBe(stored.sha256);
      expect(stored.sha256).not.toBe(sha256Of(original));
      expect(store.readProvenance(read!.bytes)).toEqual(provenance);
      const metadata = await sharp(read!.bytes).metadata();
      expect([metadata.format, metadata.width, metadata.height]).toEqual([format, 12, 8]);
    },
  );

  it('readProvenance finds nothing in untagged images or other bytes', async () => {
    const png = await sharp({ create: { width: 2, height: 2, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    expect(store.readProvenance(png)).toBeUndefined();
    expect(store.readProvenance(Buffer.from('plain text'))).toBeUndefined();
  });

  it('prunes blobs that no task refers to once they are old enough, with their sidecars and crash leftovers', async () => {
    const kept = await store.put(Buffer.from('kept'), 'text/plain');
    const old = await store.put(Buffer.from('old'), 'text/plain');
    const fresh = await store.put(Buffer.from('fresh'), 'text/plain');
    const orphanSidecar = join(directory, 'ab', `${'ab'.repeat(32)}.type`);
    const leftover = join(directory, old.sha256.slice(0, 2), '.tmp-0011223344556677');
    await mkdir(join(directory, 'ab'), { recursive: true });
    await writeFile(orphanSidecar, 'text/plain');
    await writeFile(leftover, 'half');
    const cutoffMs = Date.UTC(2026, 0, 31);
    const longAgo = new Date(Date.UTC(2026, 0, 1));
    for (const sha256 of [kept.sha256, old.sha256]) {
      const path = join(directory, sha256.slice(0, 2), sha256);
      await utimes(path, longAgo, longAgo);
      await utimes(`${path}.type`, longAgo, longAgo);
    }
    await utimes(orphanSidecar, longAgo, longAgo);
    await utimes(leftover, longAgo, longAgo);
    const freshPath = join(directory, fresh.sha256.slice(0, 2), fresh.sha256);
    await utimes(freshPath, new Date(cutoffMs), new Date(cutoffMs));

    expect(await store.pruneUnreferenced(new Set([kept.sha256]), cutoffMs)).toBe(1);
    expect(await store.has(kept.sha256)).toBe(true);
    expect(await store.get(kept.sha256)).toMatchObject({ mimeType: 'text/plain' });
    expect(await store.has(old.sha256)).toBe(false);
    expect(await store.has(fresh.sha256)).toBe(true);
    const left = (await readdir(directory, { recursive: true })).map(String);
    expect(left.filter((name) => name.includes(old.sha256) || name.includes('.tmp-'))).toEqual([]);
    expect(left.filter((name) => name.endsWith(`${'ab'.repeat(32)}.type`))).toEqual([]);
  });

  it('prunes nothing from a store never written to', async () => {
    const store = new BlobStore({ directory: join(directory, 'never-created') });
    expect(await store.pruneUnreferenced(new Set(), Date.UTC(2026, 0, 31))).toBe(0);
  });
});
