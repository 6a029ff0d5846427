import { describe, expect, it } from 'vitest';
import { builtInCatalog, findModel } from '../catalog/index.js';
import {
  defaultInputTokensPerImage,
  estimateTextTokens,
  outputImageTokens,
  promptTokens,
  videoImageEquivalents,
} from './token-estimate.js';

const pro = findModel(builtInCatalog(), 'gemini-3-pro-image-preview')!;
const flash = findModel(builtInCatalog(), 'gemini-2.5-flash-image')!;

describe('token estimates', () => {
  it('counts a token per four characters, rounded up', () => {
    expect(estimateTextTokens('')).toBe(0);
    expect(estimateTextTokens('abcd')).toBe(1);
    expect(estimateTextTokens('abcde')).toBe(2);
  });

  it('adds the catalog’s input tokens per image, or the default when unknown, and videos as ten images', () => {
    const contents = [
      {
        role: 'user' as const,
        parts: [
          { text: 'abcdefgh' },
          { inlineData: { mimeType: 'image/png', data: '' } },
          { fileData: { fileUri: 'files/v', mimeType: 'video/mp4' } },
        ],
      },
    ];
    expect(promptTokens(contents, { parts: [{ text: 'sys.' }] }, pro)).toEqual({
      total: 3 + 560 + 560 * videoImageEquivalents,
      details: [
        { modality: 'TEXT', tokenCount: 3 },
        { modality: 'IMAGE', tokenCount: 560 },
        { modality: 'VIDEO', tokenCount: 560 * videoImageEquivalents },
      ],
    });
    expect(promptTokens(contents, undefined, flash).details[1]).toEqual({
      modality: 'IMAGE',
      tokenCount: defaultInputTokensPerImage,
    });
  });

  it('reads output image tokens per size from the catalog', () => {
    expect(outputImageTokens(pro, '4K')).toBe(2000);
    expect(outputImageTokens(pro, '512')).toBe(0);
    expect(outputImageTokens(pro, undefined)).toBe(0);
  });
});
