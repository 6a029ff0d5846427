import { describe, expect, it } from 'vitest';
import { decodeTaskCursor, encodeTaskCursor, InvalidCursorError } from './task-cursor.js';

describe('task cursor', () => {
  it('round-trips and is URL-safe', () => {
    const cursor = { createdAtMs: 1_767_225_600_000, id: 'task_img_01KDW0000000000000000000' };
    const text = encodeTaskCursor(cursor);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeTaskCursor(text)).toEqual(cursor);
  });

  it.each([
    '',
    'not base64 at all!',
    Buffer.from('{"a":1}').toString('base64url'),
    Buffer.from('[-1,"x"]').toString('base64url'),
  ])('refuses %j naming the field', (text) => {
    expect(() => decodeTaskCursor(text)).toThrow(InvalidCursorError);
    expect(() => decodeTaskCursor(text)).toThrow(/^cursor: /);
  });
});
