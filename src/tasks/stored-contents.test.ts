import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../client/index.js';
import { loadStoredMedia, storedMediaSha256, storeInlineMedia } from './stored-contents.js';

/** A blob store in a map, enough to show what goes in and what comes back. */
function memoryBlobs() {
  const blobs = new Map<string, Uint8Array>();
  return {
    blobs,
    put: async (bytes: Uint8Array) => {
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      blobs.set(sha256, bytes);
      return { sha256 };
    },
    get: async (sha256: string) => {
      const bytes = blobs.get(sha256);
      return bytes ? { bytes } : undefined;
    },
  };
}

const imageBytes = Buffer.alloc(300_000, 7);
const sha256 = createHash('sha256').update(imageBytes).digest('hex');

describe('stored contents', () => {
  it('moves inline bytes into the blob store and keeps the rest of the part (thought signatures)', async () => {
    const store = memoryBlobs();
    const stored = await storeInlineMedia(
      [
        {
          role: 'model',
          parts: [
            { text: 'here', thoughtSignature: 'sig-1' },
            {
              inlineData: { mimeType: 'image/png', data: imageBytes.toString('base64') },
              thoughtSignature: 'sig-2',
            },
          ],
        },
      ],
      store,
    );
    expect(stored).toEqual([
      {
        role: 'model',
        parts: [
          { text: 'here', thoughtSignature: 'sig-1' },
          { fileData: { mimeType: 'image/png', fileUri: `/v1/images/${sha256}` }, thoughtSignature: 'sig-2' },
        ],
      },
    ]);
    expect(JSON.stringify(stored).length).toBeLessThan(300);
    expect(store.blobs.has(sha256)).toBe(true);

    const loaded = await loadStoredMedia(stored, store, 'contents');
    expect(loaded[0]?.parts[1]).toEqual({
      inlineData: { mimeType: 'image/png', data: imageBytes.toString('base64') },
      thoughtSignature: 'sig-2',
    });
  });

  it("accepts another server's absolute image URL and normalises it; leaves Files API URIs alone", async () => {
    const store = memoryBlobs();
    const files = {
      fileData: {
        mimeType: 'video/mp4',
        fileUri: 'https://generativelanguage.googleapis.com/v1beta/files/abc',
      },
    };
    const [content] = await storeInlineMedia(
      [
        {
          role: 'user',
          parts: [
            { fileData: { mimeType: 'image/png', fileUri: `https://gate.example/v1/images/${sha256}` } },
            files,
          ],
        },
      ],
      store,
    );
    expect(content?.parts).toEqual([
      { fileData: { mimeType: 'image/png', fileUri: `/v1/images/${sha256}` } },
      files,
    ]);
    expect(storedMediaSha256(files)).toBeUndefined();
    expect(storedMediaSha256({ fileData: { fileUri: '/v1/images/../../etc/passwd' } })).toBeUndefined();
  });

  it('names the field of a reference to a blob that is not stored', async () => {
    const error = await loadStoredMedia(
      [
        {
          role: 'user',
          parts: [{ text: 'x' }, { fileData: { mimeType: 'image/png', fileUri: `/v1/images/${sha256}` } }],
        },
      ],
      memoryBlobs(),
      'contents',
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).field).toBe('contents[0].parts[1].fileData.fileUri');
  });
});
