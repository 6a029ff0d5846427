import { judgePair, pairCategories, type PairCategory, type PairJudgement } from './pair-category.js';
import type { PairRecord, SideRecord } from './pair-record.js';
import type { RegressThresholds } from './thresholds.js';

export type JudgedPair = PairRecord & PairJudgement;

export interface SideSummary {
  /** Sides that kept an image. */
  images: number;
  /** Nearest-rank percentiles of every side's latency (failures included); null with no pairs. */
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  /** Known cost of the successful sides divided by their number; null when no price was known. */
  costPerImageUsd: number | null;
}

export interface RegressSummary {
  pairs: number;
  counts: Record<PairCategory, number>;
  baseline: SideSummary;
  candidate: SideSummary;
  /** `pass` when nothing got worse: no pair different, blocked only on the candidate, or failed. */
  verdict: 'pass' | 'review';
  /** The one-line verdict for people. */
  verdictLine: string;
}

export function judgePairs(records: PairRecord[], thresholds: RegressThresholds): JudgedPair[] {
  return records.map((record) => ({ ...record, ...judgePair(record, thresholds) }));
}

export function summarise(
  pairs: JudgedPair[],
  models: { baseline: string; candidate: string },
): RegressSummary {
  const counts = Object.fromEntries(pairCategories.map((category) => [category, 0])) as Record<
    PairCategory,
    number
  >;
  for (const pair of pairs) counts[pair.category]++;
  const verdict = counts.different + counts.blocked_candidate_only + counts.failed === 0 ? 'pass' : 'review';
  return {
    pairs: pairs.length,
    counts,
    baseline: sideSummary(pairs.map((pair) => pair.baseline)),
    candidate: sideSummary(pairs.map((pair) => pair.candidate)),
    verdict,
    verdictLine: verdictLine(verdict, counts, pairs.length, models),
  };
}

/** Nearest-rank percentile (p in 0-100) of unsorted values; null for none. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((first, second) => first - second);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

function sideSummary(sides: SideRecord[]): SideSummary {
  const latencies = sides.map((side) => side.latencyMs);
  const priced = sides.filter((side) => side.outcome === 'success' && side.costUsd !== null);
  const totalCostUsd = priced.reduce((sum, side) => sum + (side.costUsd ?? 0), 0);
  return {
    images: sides.filter((side) => side.image !== null).length,
    latencyP50Ms: percentile(latencies, 50),
    latencyP95Ms: percentile(latencies, 95),
    costPerImageUsd: priced.length > 0 ? totalCostUsd / priced.length : null,
  };
}

function verdictLine(
  verdict: 'pass' | 'review',
  counts: Record<PairCategory, number>,
  total: number,
  models: { baseline: string; candidate: string },
): string {
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  const notes = [
    counts.blocked_candidate_only > 0
      ? `${plural(counts.blocked_candidate_only, 'prompt')} blocked only on the candidate`
      : '',
    counts.different > 0 ? `${counts.different} different` : '',
    counts.failed > 0 ? `${counts.failed} failed` : '',
    counts.blocked_baseline_only > 0 ? `${counts.blocked_baseline_only} blocked only on the baseline` : '',
    counts.blocked_both > 0 ? `${counts.blocked_both} blocked on both` : '',
  ].filter(Boolean);
  if (verdict === 'pass') {
    const extra = notes.length > 0 ? ` (${notes.join(', ')})` : '';
    return `PASS: ${models.candidate} matches ${models.baseline} on ${counts.indistinguishable} of ${plural(total, 'prompt')}${extra}.`;
  }
  return `REVIEW before moving to ${models.candidate}: ${notes.join(', ')}; ${counts.indistinguishable} of ${total} indistinguishable.`;
}
