import { describe, expect, it } from 'vitest';
import { applyReplacements, reverseReplacements, unifiedDiff } from './fix-model-ids.js';

const replacement = (offset: number, from: string, to: string) => ({
  offset,
  from,
  to,
  line: 1,
  column: offset + 1,
});

describe('applyReplacements', () => {
  it('replaces at the offsets and can be reversed exactly', () => {
    const text = 'a = \'old-one\'; b = "old-two"';
    const replacements = [replacement(20, 'old-two', 'x'), replacement(5, 'old-one', 'much-longer-one')];
    const after = applyReplacements(text, replacements);
    expect(after).toBe('a = \'much-longer-one\'; b = "x"');
    expect(applyReplacements(after, reverseReplacements(replacements))).toBe(text);
  });

  it('refuses when the text at an offset is not the expected ID', () => {
    expect(() => applyReplacements('abc', [replacement(0, 'xyz', 'q')])).toThrow(/expected "xyz" at line 1/);
  });
});

describe('unifiedDiff', () => {
  it('prints hunks with three lines of context and merges close changes', () => {
    const before = ['1', '2', '3', '4', 'old', '6', '7', '8', '9', '10', '11', '12', '13', '14', 'old'].join(
      '\n',
    );
    const after = before.replaceAll('old', 'new');
    expect(unifiedDiff({ path: 'f.ts', before, after })).toBe(
      [
        '--- a/f.ts',
        '+++ b/f.ts',
        '@@ -2,7 +2,7 @@',
        ' 2',
        ' 3',
        ' 4',
        '-old',
        '+new',
        ' 6',
        ' 7',
        ' 8',
        '@@ -12,4 +12,4 @@',
        ' 12',
        ' 13',
        ' 14',
        '-old',
        '+new',
        '',
      ].join('\n'),
    );
    expect(unifiedDiff({ path: 'f.ts', before, after: before })).toBe('');
  });
});
