import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inputLimitRows, jsonDepthExceeds, MAX_QUOTED_VALUE_CHARS, quoteValue } from './input-limits.js';

describe('inputLimitRows', () => {
  it('is the limits table of docs/server.md, row for row', () => {
    const doc = readFileSync(new URL('../../docs/server.md', import.meta.url), 'utf8');
    const start = doc.indexOf('## Limits');
    const section = doc.slice(start, doc.indexOf('\n## ', start + 1));
    const rows = section
      .split('\n')
      .filter((line) => line.startsWith('| ') && !line.startsWith('| what ') && !line.startsWith('| ---'))
      .map((line) => line.split('|').map((cell) => cell.trim()));
    expect(rows.map((cells) => [cells[1], cells[2], cells[3]])).toEqual(
      inputLimitRows.map((row) => [row.what, `${row.limit} ${row.unit}`, row.past]),
    );
  });
});

describe('quoteValue', () => {
  it('quotes short strings whole and long ones as a prefix with their length', () => {
    expect(quoteValue('7:3')).toBe('"7:3"');
    const long = quoteValue('a'.repeat(10_000_000));
    expect(long.length).toBeLessThan(MAX_QUOTED_VALUE_CHARS + 40);
    expect(long).toContain('(10000000 characters)');
  });

  it('never walks into nested values', () => {
    let deep: unknown = [];
    for (let index = 0; index < 100_000; index += 1) deep = [deep];
    expect(quoteValue(deep)).toBe('(an array of 1)');
    expect(quoteValue({ a: 1 })).toBe('(an object)');
    expect(quoteValue(3)).toBe('3');
  });
});

describe('jsonDepthExceeds', () => {
  it('counts brackets outside strings only', () => {
    expect(jsonDepthExceeds('{"a":[[1]]}', 3)).toBe(false);
    expect(jsonDepthExceeds('{"a":[[[1]]]}', 3)).toBe(true);
    expect(jsonDepthExceeds(`{"a":"${'['.repeat(100)}"}`, 3)).toBe(false);
    expect(jsonDepthExceeds(`{"a":"\\"${'['.repeat(100)}"}`, 3)).toBe(false);
    expect(jsonDepthExceeds('['.repeat(1_000_000), 32)).toBe(true);
  });
});
