export {
  runRegress,
  defaultRegressConcurrency,
  type RegressRunOptions,
  type RegressResult,
} from './run-regress.js';
export { loadPromptSet, parsePromptSet, PromptSetError, type RegressPrompt } from './prompt-set.js';
export {
  defaultThresholds,
  regressThresholdsSchema,
  resolveThresholds,
  parseThresholdsDocument,
  parseInlineThresholds,
  ThresholdsError,
  type RegressThresholds,
} from './thresholds.js';
export { scoreImagePair, type ImagePairScores, type ScorePairOptions } from './score-pair.js';
export { judgePair, pairCategories, type PairCategory, type PairJudgement } from './pair-category.js';
export { summarise, percentile, type JudgedPair, type RegressSummary, type SideSummary } from './summary.js';
export type { PairRecord, SideRecord, SideOutcome, PairParams } from './pair-record.js';
export { stateFileName, StateFileError } from './state-file.js';
export {
  writeReports,
  htmlReportFileName,
  jsonReportFileName,
  type WrittenReports,
} from './write-reports.js';
export { reportJson, reportFormatVersion, type RegressReportJson } from './report-json.js';
export { formatTerminalSummary } from './terminal-summary.js';
export { ProgressRenderer, type ProgressRendererOptions } from './progress-renderer.js';
