import { describe, expect, it } from 'vitest';
import { newTaskId, taskIdPattern } from './task-id.js';

describe('newTaskId', () => {
  it('is task_img_ plus 26 Crockford base32 characters', () => {
    const id = newTaskId(Date.UTC(2026, 5, 1));
    expect(id).toMatch(taskIdPattern);
    expect(id).toHaveLength('task_img_'.length + 26);
  });

  it('sorts by creation time', () => {
    const times = [0, 1, 31, 32, 1_000, Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 1) + 1, 2 ** 48 - 1];
    const ids = times.map((time) => newTaskId(time));
    expect([...ids].sort()).toEqual(ids);
  });

  it('encodes the time in the first ten characters', () => {
    expect(newTaskId(0).slice(9, 19)).toBe('0000000000');
    expect(newTaskId(33).slice(9, 19)).toBe('0000000011');
  });

  it('differs between two calls in the same millisecond', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newTaskId(5)));
    expect(ids.size).toBe(1000);
  });

  it('refuses times it cannot encode', () => {
    expect(() => newTaskId(-1)).toThrow(/nowMs must be an integer from 0/);
    expect(() => newTaskId(1.5)).toThrow(/got 1.5/);
  });
});
