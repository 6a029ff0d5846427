import { describe, expect, it } from 'vitest';
import { judgePair } from './pair-category.js';
import { blockedSide, matchingScores, pairRecord, sideRecord } from './test-support/test-records.js';
import { defaultThresholds } from './thresholds.js';

describe('judgePair', () => {
  it('calls a pair within every threshold indistinguishable', () => {
    expect(judgePair(pairRecord(), defaultThresholds)).toEqual({
      category: 'indistinguishable',
      reasons: [],
    });
  });

  it('lists every threshold crossed', () => {
    const record = pairRecord({
      scores: {
        ...matchingScores,
        ssim: 0.5,
        perceptualHashDistance: 30,
        meanDeltaE: 20,
        dimensionMismatch: true,
        candidateSize: { width: 256, height: 256 },
      },
    });
    expect(judgePair(record, defaultThresholds)).toEqual({
      category: 'different',
      reasons: ['size 512x512 vs 256x256', 'SSIM 0.500 < 0.9', 'pHash distance 30 > 10', 'mean ΔE 20.00 > 8'],
    });
  });

  it('ignores a size mismatch when told to', () => {
    const record = pairRecord({ scores: { ...matchingScores, dimensionMismatch: true } });
    expect(judgePair(record, { ...defaultThresholds, failOnDimensionMismatch: false }).category).toBe(
      'indistinguishable',
    );
  });

  it('sorts blocks by side', () => {
    const judge = (baseline = sideRecord(), candidate = sideRecord()) =>
      judgePair(pairRecord({ baseline, candidate, scores: null }), defaultThresholds).category;
    expect(judge(sideRecord(), blockedSide())).toBe('blocked_candidate_only');
    expect(judge(blockedSide({ outcome: 'blocked_prompt' }), sideRecord())).toBe('blocked_baseline_only');
    expect(judge(blockedSide(), blockedSide())).toBe('blocked_both');
  });

  it('calls a pair failed when a side ended in an error or without an image', () => {
    const error = sideRecord({ outcome: 'error', outcomeKind: 'unavailable', message: '503', image: null });
    const judgement = judgePair(pairRecord({ candidate: error, scores: null }), defaultThresholds);
    expect(judgement).toEqual({ category: 'failed', reasons: ['candidate: unavailable (503)'] });
    const noImage = sideRecord({ outcome: 'no_image', outcomeKind: 'no_image', image: null });
    expect(
      judgePair(pairRecord({ baseline: noImage, candidate: blockedSide(), scores: null }), defaultThresholds)
        .category,
    ).toBe('failed');
  });
});
