import { describe, expect, it } from 'vitest';
import type { EmulatorApiError } from '../api-errors.js';
import { ResumableUploads, isValidFileId, parseUploadCommand } from './resumable-upload.js';

const bytes = (...values: number[]) => new Uint8Array(values);
const start = (uploads: ResumableUploads, declaredSizeBytes?: number) =>
  uploads.start({
    mimeType: 'image/png',
    resourceBaseUrl: 'http://h/v1beta',
    ...(declaredSizeBytes !== undefined ? { declaredSizeBytes } : {}),
  });

describe('parseUploadCommand', () => {
  it('reads "upload, finalize" into two commands', () => {
    expect([...parseUploadCommand('upload, finalize')]).toEqual(['upload', 'finalize']);
  });

  it('refuses a missing or unknown command, naming it', () => {
    expect(() => parseUploadCommand(undefined)).toThrow(/Missing X-Goog-Upload-Command/);
    expect(() => parseUploadCommand('upload, explode')).toThrow(/unknown command "explode"/);
  });
});

describe('ResumableUploads', () => {
  it('assembles chunks sent at the right offsets and finalizes', () => {
    const uploads = new ResumableUploads();
    const session = start(uploads, 5);
    expect(uploads.receive(session.uploadId, new Set(['upload']), 0, bytes(1, 2, 3))).toEqual({
      status: 'active',
      receivedBytes: 3,
    });
    const final = uploads.receive(session.uploadId, new Set(['upload', 'finalize']), 3, bytes(4, 5));
    expect(final.status).toBe('final');
    expect(final.status === 'final' && [...final.bytes]).toEqual([1, 2, 3, 4, 5]);
  });

  it('refuses a chunk whose offset does not follow what was received', () => {
    const uploads = new ResumableUploads();
    const session = start(uploads);
    uploads.receive(session.uploadId, new Set(['upload']), 0, bytes(1, 2));
    expect(() => uploads.receive(session.uploadId, new Set(['upload']), 1, bytes(3))).toThrow(
      /Invalid X-Goog-Upload-Offset 1: the server has received 2 bytes/,
    );
    expect(() => uploads.receive(session.uploadId, new Set(['upload']), undefined, bytes(3))).toThrow(
      /Invalid X-Goog-Upload-Offset/,
    );
  });

  it('refuses to finalize short of the declared size', () => {
    const uploads = new ResumableUploads();
    const session = start(uploads, 4);
    expect(() => uploads.receive(session.uploadId, new Set(['upload', 'finalize']), 0, bytes(1))).toThrow(
      /finalized after 1 bytes, but 4 were declared/,
    );
  });

  it('answers a query with the bytes received so far', () => {
    const uploads = new ResumableUploads();
    const session = start(uploads);
    uploads.receive(session.uploadId, new Set(['upload']), 0, bytes(1, 2));
    expect(uploads.receive(session.uploadId, new Set(['query']), undefined, bytes())).toEqual({
      status: 'active',
      receivedBytes: 2,
    });
  });

  it('answers 404 for an unknown or finished session', () => {
    const uploads = new ResumableUploads();
    const session = start(uploads);
    uploads.receive(session.uploadId, new Set(['upload', 'finalize']), 0, bytes(1));
    try {
      uploads.receive(session.uploadId, new Set(['upload']), 1, bytes(2));
      expect.unreachable();
    } catch (error) {
      expect((error as EmulatorApiError).httpStatus).toBe(404);
    }
  });
});

describe('isValidFileId', () => {
  it.each([
    ['abc-123', true],
    ['a', true],
    ['-abc', false],
    ['abc-', false],
    ['ABC', false],
    ['a'.repeat(41), false],
  ])('%s → %s', (id, valid) => {
    expect(isValidFileId(id)).toBe(valid);
  });
});
