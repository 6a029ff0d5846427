import { describe, expect, it } from 'vitest';
import { compilePattern, patternProblem } from './regex-pattern.js';

describe('compilePattern', () => {
  it('turns a leading (?i) into a case-insensitive RegExp', () => {
    const pattern = compilePattern('(?i)weapon');
    expect(pattern.test('A WEAPON on the table')).toBe(true);
    expect(pattern.flags).toBe('i');
  });

  it('keeps a pattern without inline flags case-sensitive', () => {
    const pattern = compilePattern('weapon');
    expect(pattern.test('WEAPON')).toBe(false);
    expect(pattern.test('weapon')).toBe(true);
  });

  it('accepts combined inline flags', () => {
    expect(compilePattern('(?is)a.b').flags).toBe('is');
  });

  it('names the pattern and what is allowed when it does not compile', () => {
    expect(() => compilePattern('(?i)[weapon')).toThrow(
      /pattern "\(\?i\)\[weapon" is not a valid regular expression/,
    );
    expect(patternProblem('(unclosed')).toMatch(/optionally starting with \(\?i\)/);
    expect(patternProblem('fine')).toBeUndefined();
  });
});
