import { describe, expect, it } from 'vitest';
import { promptOf } from './call-prompt.js';

describe('promptOf', () => {
  it('joins the text parts of every turn', () => {
    expect(
      promptOf({
        contents: [
          { role: 'user', parts: [{ text: 'a cat' }, { inlineData: { mimeType: 'image/png', data: '' } }] },
          { role: 'user', parts: [{ text: 'in a hat' }] },
        ],
      }),
    ).toBe('a cat\nin a hat');
  });

  it('is undefined for bodies without text', () => {
    expect(promptOf({})).toBeUndefined();
    expect(promptOf({ contents: [{ parts: [{ inlineData: {} }] }] })).toBeUndefined();
    expect(promptOf('nonsense')).toBeUndefined();
  });
});
