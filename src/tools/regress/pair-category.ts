import type { PairRecord, SideRecord } from './pair-record.js';
import type { RegressThresholds } from './thresholds.js';

/** Where a pair lands in the summary. */
export type PairCategory =
  | 'indistinguishable'
  | 'different'
  | 'blocked_candidate_only'
  | 'blocked_baseline_only'
  | 'blocked_both'
  | 'failed';

export const pairCategories: readonly PairCategory[] = [
  'indistinguishable',
  'different',
  'blocked_candidate_only',
  'blocked_baseline_only',
  'blocked_both',
  'failed',
];

/** How a category reads in the terminal summary and the HTML report, in summary order. */
export const pairCategoryLabels: Record<PairCategory, string> = {
  indistinguishable: 'indistinguishable',
  different: 'different',
  blocked_candidate_only: 'blocked only on candidate',
  blocked_baseline_only: 'blocked only on baseline',
  blocked_both: 'blocked on both',
  failed: 'failed',
};

export interface PairJudgement {
  category: PairCategory;
  /** Why, in words: every threshold crossed, or each side's outcome. */
  reasons: string[];
}

const isBlocked = (side: SideRecord) =>
  side.outcome === 'blocked_prompt' || side.outcome === 'blocked_output';

/**
 * Judges a finished pair against the thresholds. Scores are kept in the state file, so changing a
 * threshold re-judges earlier pairs without calling any model again.
 */
export function judgePair(record: PairRecord, thresholds: RegressThresholds): PairJudgement {
  const { baseline, candidate, scores } = record;
  if (scores) {
    const reasons: string[] = [];
    if (thresholds.failOnDimensionMismatch && scores.dimensionMismatch) {
      reasons.push(
        `size ${scores.baselineSize.width}x${scores.baselineSize.height} vs ${scores.candidateSize.width}x${scores.candidateSize.height}`,
      );
    }
    for (const [side, label] of [
      [baseline, 'baseline'],
      [candidate, 'candidate'],
    ] as const) {
      if (side.outcome === 'wrong_output') reasons.push(`${label}: ${side.message ?? 'wrong output'}`);
    }
    if (scores.ssim < thresholds.minSsim)
      reasons.push(`SSIM ${scores.ssim.toFixed(3)} < ${thresholds.minSsim}`);
    if (scores.perceptualHashDistance > thresholds.maxPerceptualHashDistance)
      reasons.push(
        `pHash distance ${scores.perceptualHashDistance} > ${thresholds.maxPerceptualHashDistance}`,
      );
    if (scores.meanDeltaE > thresholds.maxMeanDeltaE)
      reasons.push(`mean ΔE ${scores.meanDeltaE.toFixed(2)} > ${thresholds.maxMeanDeltaE}`);
    return { category: reasons.length > 0 ? 'different' : 'indistinguishable', reasons };
  }
  const sideReasons = [
    ...(baseline.outcome === 'success' ? [] : [`baseline: ${describeSide(baseline)}`]),
    ...(candidate.outcome === 'success' ? [] : [`candidate: ${describeSide(candidate)}`]),
  ];
  const bothAnswered = (side: SideRecord) => isBlocked(side) || side.outcome === 'success';
  if (!bothAnswered(baseline) || !bothAnswered(candidate))
    return { category: 'failed', reasons: sideReasons };
  if (isBlocked(baseline) && isBlocked(candidate)) return { category: 'blocked_both', reasons: sideReasons };
  if (isBlocked(candidate)) return { category: 'blocked_candidate_only', reasons: sideReasons };
  if (isBlocked(baseline)) return { category: 'blocked_baseline_only', reasons: sideReasons };
  // Both succeeded but a side's image is missing from the record: treat as a failure to compare.
  return { category: 'failed', reasons: ['an image of a successful side was not kept'] };
}

function describeSide(side: SideRecord): string {
  const kind = side.outcome === 'error' ? side.outcomeKind : side.outcome;
  return side.message ? `${kind} (${side.message})` : kind;
}
