import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InvalidInputError } from '../errors/index.js';
import { flagName, parseFlags } from './parse-flags.js';

describe('parseFlags', () => {
  const schema = z.object({ topP: z.coerce.number().max(1).optional(), format: z.enum(['png', 'jpeg']) });

  it('names the flag as typed, the value and what is allowed', () => {
    const attempt = () => parseFlags(schema, { topP: '7', format: 'png' });
    expect(attempt).toThrow(InvalidInputError);
    expect(attempt).toThrow(/^--top-p "7": Too big: expected number to be <=1$/);
  });

  it('shortens a long value', () => {
    expect(() => parseFlags(schema, { format: 'x'.repeat(500) })).toThrow(
      /^--format "x{50,}\.\.\.: Invalid option/,
    );
  });

  it('returns the parsed flags', () => {
    expect(parseFlags(schema, { topP: '0.5', format: 'jpeg' })).toEqual({ topP: 0.5, format: 'jpeg' });
  });

  it('turns commander keys back into flags', () => {
    expect(flagName('dataDir')).toBe('--data-dir');
    expect(flagName('n')).toBe('--n');
  });
});
