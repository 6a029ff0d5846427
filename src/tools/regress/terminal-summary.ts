import { formatDurationMs, formatUsd } from './format-numbers.js';
import { pairCategoryLabels, type PairCategory } from './pair-category.js';
import type { RegressResult } from './run-regress.js';

/** Prompt ids listed beside a count before it is cut to "…". */
const maxIdsPerRow = 8;

/** One screen for the terminal: counts with the prompts behind them, per-side figures, where the reports are, the verdict. */
export function formatTerminalSummary(
  result: RegressResult,
  reports: { htmlPath: string; jsonPath: string },
): string {
  const { summary } = result;
  const labelWidth = Math.max(...Object.values(pairCategoryLabels).map((label) => label.length));
  const lines = [
    `imagegate regress: ${result.models.baseline} (baseline) vs ${result.models.candidate} (candidate), ${summary.pairs} prompts${result.resumedPairs > 0 ? ` (${result.resumedPairs} from an earlier run)` : ''}${result.isPartial ? ', PARTIAL' : ''}`,
  ];
  for (const category of Object.keys(pairCategoryLabels) as PairCategory[]) {
    const ids =
      category === 'indistinguishable'
        ? []
        : result.pairs.filter((pair) => pair.category === category).map((pair) => pair.promptId);
    const shown = ids.length > maxIdsPerRow ? [...ids.slice(0, maxIdsPerRow), '…'] : ids;
    lines.push(
      `  ${pairCategoryLabels[category].padEnd(labelWidth)}  ${String(summary.counts[category]).padStart(4)}${shown.length > 0 ? `   ${shown.join(', ')}` : ''}`,
    );
  }
  const column = (text: string) => text.padStart(12);
  lines.push(
    `  ${''.padEnd(labelWidth)}  ${column('baseline')}${column('candidate')}`,
    `  ${'latency p50'.padEnd(labelWidth)}  ${column(formatDurationMs(summary.baseline.latencyP50Ms))}${column(formatDurationMs(summary.candidate.latencyP50Ms))}`,
    `  ${'latency p95'.padEnd(labelWidth)}  ${column(formatDurationMs(summary.baseline.latencyP95Ms))}${column(formatDurationMs(summary.candidate.latencyP95Ms))}`,
    `  ${'cost per image'.padEnd(labelWidth)}  ${column(formatUsd(summary.baseline.costPerImageUsd))}${column(formatUsd(summary.candidate.costPerImageUsd))}`,
    `Report: ${reports.htmlPath}`,
    `JSON:   ${reports.jsonPath}`,
    summary.verdictLine,
  );
  return `${lines.join('\n')}\n`;
}
