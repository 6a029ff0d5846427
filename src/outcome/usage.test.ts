import { describe, expect, it } from 'vitest';
import { addUsage, usageFromMetadata, zeroUsage } from './usage.js';

describe('usageFromMetadata', () => {
  it('splits image tokens from text tokens by modality', () => {
    const usage = usageFromMetadata(
      {
        promptTokenCount: 15,
        candidatesTokenCount: 1318,
        thoughtsTokenCount: 200,
        totalTokenCount: 1533,
        candidatesTokensDetails: [
          { modality: 'IMAGE', tokenCount: 1290 },
          { modality: 'TEXT', tokenCount: 28 },
        ],
      },
      { hasImage: true },
    );
    expect(usage).toEqual({
      promptTokens: 15,
      outputTextTokens: 28,
      outputImageTokens: 1290,
      thoughtsTokens: 200,
      totalTokens: 1533,
    });
  });

  it('counts undetailed output as image tokens only when an image came back', () => {
    const metadata = { promptTokenCount: 10, candidatesTokenCount: 1120 };
    expect(usageFromMetadata(metadata, { hasImage: true }).outputImageTokens).toBe(1120);
    expect(usageFromMetadata(metadata, { hasImage: false })).toMatchObject({
      outputImageTokens: 0,
      outputTextTokens: 1120,
      totalTokens: 1130,
    });
  });
});

describe('addUsage', () => {
  it('adds field by field', () => {
    const one = {
      promptTokens: 1,
      outputTextTokens: 2,
      outputImageTokens: 3,
      thoughtsTokens: 4,
      totalTokens: 10,
    };
    expect(addUsage(addUsage(zeroUsage, one), one)).toEqual({
      promptTokens: 2,
      outputTextTokens: 4,
      outputImageTokens: 6,
      thoughtsTokens: 8,
      totalTokens: 20,
    });
  });
});
