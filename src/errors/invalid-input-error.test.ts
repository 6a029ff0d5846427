import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InvalidInputError, parseInput } from './invalid-input-error.js';

describe('parseInput', () => {
  const schema = z.object({ aspectRatio: z.enum(['1:1', '16:9']), n: z.number().int().max(8) });

  it('returns the parsed value', () => {
    expect(parseInput(schema, { aspectRatio: '1:1', n: 2 }, 'request')).toEqual({ aspectRatio: '1:1', n: 2 });
  });

  it('names the field, the value and what is allowed', () => {
    const error = (() => {
      try {
        parseInput(schema, { aspectRatio: '7:3', n: 2 }, 'request');
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).field).toBe('aspectRatio');
    expect((error as Error).message).toContain('aspectRatio');
    expect((error as Error).message).toContain('"7:3"');
    expect((error as Error).message).toContain('"16:9"');
  });
});
