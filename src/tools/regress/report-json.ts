import type { RegressResult } from './run-regress.js';

/** Version of the report.json layout; raised when a field changes meaning or goes away. */
export const reportFormatVersion = 1;

/** The JSON report for scripts: everything the HTML shows, image paths relative to the out directory. */
export function reportJson(result: RegressResult, generatedAt: string) {
  return {
    formatVersion: reportFormatVersion,
    generatedAt,
    models: result.models,
    params: result.params,
    thresholds: result.thresholds,
    summary: result.summary,
    resumedPairs: result.resumedPairs,
    isPartial: result.isPartial,
    pairs: result.pairs.map((pair) => ({
      key: pair.key,
      promptId: pair.promptId,
      prompt: pair.prompt,
      params: pair.params,
      category: pair.category,
      reasons: pair.reasons,
      scores: pair.scores,
      baseline: pair.baseline,
      candidate: pair.candidate,
    })),
  };
}
export type RegressReportJson = ReturnType<typeof reportJson>;
