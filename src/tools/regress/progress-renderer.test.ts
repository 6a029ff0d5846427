import { describe, expect, it } from 'vitest';
import { judgePair } from './pair-category.js';
import { ProgressRenderer } from './progress-renderer.js';
import { blockedSide, pairRecord } from './test-support/test-records.js';
import { defaultThresholds } from './thresholds.js';

const same = { ...pairRecord(), ...judgePair(pairRecord(), defaultThresholds) };
const blockedRecord = pairRecord({ candidate: blockedSide(), scores: null });
const flagged = { ...blockedRecord, ...judgePair(blockedRecord, defaultThresholds) };

describe('ProgressRenderer', () => {
  it('prints a plain line every N pairs and at the end when not a terminal', () => {
    let output = '';
    const progress = new ProgressRenderer({
      write: (text) => (output += text),
      isInteractive: false,
      lineEveryPairs: 2,
    });
    progress.start({ total: 5, resumed: 1 });
    for (const [done, pair] of [
      [2, flagged],
      [3, same],
      [4, same],
      [5, same],
    ] as const) {
      progress.pairFinished({ done, total: 5, pair });
    }
    progress.finish();
    expect(output).toBe(
      'Comparing 5 prompts (1 already done, skipped)\n2/5 pairs, 1 flagged\n4/5 pairs, 1 flagged\n5/5 pairs, 1 flagged\n',
    );
  });

  it('redraws one bar in place on a terminal', () => {
    let output = '';
    const progress = new ProgressRenderer({
      write: (text) => (output += text),
      isInteractive: true,
      barWidth: 4,
    });
    progress.start({ total: 2, resumed: 0 });
    progress.pairFinished({ done: 1, total: 2, pair: flagged });
    progress.pairFinished({ done: 2, total: 2, pair: same });
    progress.finish();
    expect(output).toBe(
      'Comparing 2 prompts\n[----] 0/2 pairs · 0 flagged\r[##--] 1/2 pairs · 1 flagged\r[####] 2/2 pairs · 1 flagged\n',
    );
  });

  it('ends a bar cut short by an interrupt with a newline', () => {
    let output = '';
    const progress = new ProgressRenderer({
      write: (text) => (output += text),
      isInteractive: true,
      barWidth: 2,
    });
    progress.start({ total: 2, resumed: 0 });
    progress.pairFinished({ done: 1, total: 2, pair: same });
    progress.finish();
    expect(output.endsWith('1/2 pairs · 0 flagged\n')).toBe(true);
  });
});
