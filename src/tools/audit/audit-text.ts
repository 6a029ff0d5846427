import type { AuditReport } from './run-audit.js';

/** Text output: findings grouped by file, each with line:column, then a one-line summary. */
export function renderAuditText(report: AuditReport): string {
  const lines: string[] = [];
  let currentPath: string | undefined;
  for (const finding of report.findings) {
    if (finding.path !== currentPath) {
      if (currentPath !== undefined) lines.push('');
      lines.push(finding.path);
      currentPath = finding.path;
    }
    const label = finding.allowed ? 'allowed' : finding.level;
    lines.push(`  ${finding.line}:${finding.column}  ${label.padEnd(7)}  ${finding.message}`);
  }
  if (report.problems.length > 0) {
    if (lines.length > 0) lines.push('');
    lines.push('Not scanned');
    for (const problem of report.problems) lines.push(`  ${problem.path}: ${problem.reason}`);
  }
  const { counts, statistics } = report;
  if (lines.length > 0) lines.push('');
  lines.push(
    `${counts.retired} retired, ${counts.preview} preview, ${counts.ga} GA, ${counts['stage-unknown']} unconfirmed, ${counts.unknown} unknown` +
      ` in ${statistics.filesRead} files scanned (${statistics.skippedIgnored} ignored, ${statistics.skippedBinary} binary, ${statistics.skippedVendoredFolders} vendored folders skipped)`,
  );
  return `${lines.join('\n')}\n`;
}
