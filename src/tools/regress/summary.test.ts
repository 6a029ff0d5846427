import { describe, expect, it } from 'vitest';
import { judgePairs, percentile, summarise } from './summary.js';
import { blockedSide, matchingScores, pairRecord, sideRecord } from './test-support/test-records.js';
import { defaultThresholds } from './thresholds.js';

const models = { baseline: 'model-a', candidate: 'model-b' };

describe('percentile', () => {
  it('uses the nearest rank', () => {
    const values = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(values, 50)).toBe(5);
    expect(percentile(values, 95)).toBe(10);
    expect(percentile([42], 95)).toBe(42);
    expect(percentile([], 50)).toBeNull();
  });
});

describe('summarise', () => {
  it('passes when every pair is indistinguishable', () => {
    const pairs = judgePairs([pairRecord(), pairRecord({ key: '1123456789abcdef' })], defaultThresholds);
    const summary = summarise(pairs, models);
    expect(summary.verdict).toBe('pass');
    expect(summary.verdictLine).toBe('PASS: model-b matches model-a on 2 of 2 prompts.');
  });

  it('counts categories, side latencies and cost per image, and asks for review on regressions', () => {
    const records = [
      pairRecord({
        baseline: sideRecord({ latencyMs: 100 }),
        candidate: sideRecord({ latencyMs: 300, costUsd: 0.1 }),
      }),
      pairRecord({
        baseline: sideRecord({ latencyMs: 200 }),
        candidate: blockedSide({ latencyMs: 400 }),
        scores: null,
      }),
      pairRecord({ scores: { ...matchingScores, ssim: 0.1 }, baseline: sideRecord({ latencyMs: 900 }) }),
    ];
    const summary = summarise(judgePairs(records, defaultThresholds), models);
    expect(summary.counts).toEqual({
      indistinguishable: 1,
      different: 1,
      blocked_candidate_only: 1,
      blocked_baseline_only: 0,
      blocked_both: 0,
      failed: 0,
    });
    expect(summary.baseline).toEqual({
      images: 3,
      latencyP50Ms: 200,
      latencyP95Ms: 900,
      costPerImageUsd: 0.04,
    });
    expect(summary.candidate.images).toBe(2);
    expect(summary.candidate.costPerImageUsd).toBeCloseTo(0.07, 10);
    expect(summary.verdict).toBe('review');
    expect(summary.verdictLine).toBe(
      'REVIEW before moving to model-b: 1 prompt blocked only on the candidate, 1 different; 1 of 3 indistinguishable.',
    );
  });

  it('does not count a block only on the baseline as a regression, but says so', () => {
    const records = [pairRecord({ baseline: blockedSide(), scores: null })];
    const summary = summarise(judgePairs(records, defaultThresholds), models);
    expect(summary.verdict).toBe('pass');
    expect(summary.verdictLine).toBe(
      'PASS: model-b matches model-a on 0 of 1 prompt (1 blocked only on the baseline).',
    );
  });
});
