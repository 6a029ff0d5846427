import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock/index.js';
import { EmulatorApiError } from '../api-errors.js';
import { FileStore, fileIdFromUri, fileResource, fileRetentionMs, generatedFileId } from './file-store.js';

const base = 'http://127.0.0.1:1/p/v1beta';
const bytes = new Uint8Array([1, 2, 3]);

describe('FileStore', () => {
  it('keeps a video PROCESSING for the configured emulated time, then ACTIVE', () => {
    const clock = new ManualClock(0);
    const store = new FileStore(clock, { videoProcessingMs: 5_000 });
    const video = store.add({ mimeType: 'video/mp4', bytes, source: 'UPLOADED', resourceBaseUrl: base });
    const image = store.add({ mimeType: 'image/png', bytes, source: 'UPLOADED', resourceBaseUrl: base });
    expect(store.stateOf(video)).toBe('PROCESSING');
    expect(store.stateOf(image)).toBe('ACTIVE');
    clock.advance(5_000);
    expect(store.stateOf(video)).toBe('ACTIVE');
  });

  it('forgets a file after 48 hours', () => {
    const clock = new ManualClock(0);
    const store = new FileStore(clock);
    const file = store.add({ mimeType: 'image/png', bytes, source: 'UPLOADED', resourceBaseUrl: base });
    clock.advance(fileRetentionMs - 1);
    expect(store.get(file.id)).toBeDefined();
    clock.advance(1);
    expect(store.get(file.id)).toBeUndefined();
    expect(store.list()).toEqual([]);
  });

  it('refuses a name that is taken with 409', () => {
    const store = new FileStore(new ManualClock(0));
    store.add({ id: 'mine', mimeType: 'image/png', bytes, source: 'UPLOADED', resourceBaseUrl: base });
    expect(() =>
      store.add({ id: 'mine', mimeType: 'image/png', bytes, source: 'UPLOADED', resourceBaseUrl: base }),
    ).toThrow(EmulatorApiError);
  });

  it('lists newest first and deletes', () => {
    const clock = new ManualClock(0);
    const store = new FileStore(clock);
    const first = store.add({ mimeType: 'image/png', bytes, source: 'UPLOADED', resourceBaseUrl: base });
    clock.advance(1);
    const second = store.add({ mimeType: 'image/png', bytes, source: 'UPLOADED', resourceBaseUrl: base });
    expect(store.list().map((file) => file.id)).toEqual([second.id, first.id]);
    expect(store.delete(first.id)).toBe(true);
    expect(store.delete(first.id)).toBe(false);
  });
});

describe('file helpers', () => {
  it('generates distinct real-looking IDs', () => {
    expect(generatedFileId(1)).toMatch(/^[a-z0-9]{12}$/);
    expect(generatedFileId(1)).not.toBe(generatedFileId(2));
  });

  it.each([
    ['https://generativelanguage.googleapis.com/v1beta/files/abc123', 'abc123'],
    ['files/abc-1', 'abc-1'],
    ['http://127.0.0.1:9/prefix/v1beta/files/xyz', 'xyz'],
    ['gs://bucket/object.png', undefined],
  ])('reads the file ID of %s', (uri, id) => {
    expect(fileIdFromUri(uri)).toBe(id);
  });

  it('renders the File resource with sizeBytes as a string and a uri under the base', () => {
    const store = new FileStore(new ManualClock(Date.UTC(2026, 0, 1)));
    const file = store.add({
      id: 'f1',
      displayName: 'd',
      mimeType: 'image/png',
      bytes,
      source: 'UPLOADED',
      resourceBaseUrl: base,
    });
    expect(fileResource(file, 'ACTIVE')).toMatchObject({
      name: 'files/f1',
      displayName: 'd',
      sizeBytes: '3',
      uri: `${base}/files/f1`,
      state: 'ACTIVE',
      source: 'UPLOADED',
      createTime: '2026-01-01T00:00:00.000Z',
      expirationTime: '2026-01-03T00:00:00.000Z',
    });
    expect(fileResource(file, 'ACTIVE')).not.toHaveProperty('downloadUri');
  });
});
