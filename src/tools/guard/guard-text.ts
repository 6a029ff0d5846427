import type { GuardFinding, GuardLevel, GuardReport } from './guard-report.js';

const headings: Record<GuardLevel, string> = { error: 'Errors', warning: 'Warnings', ok: 'OK' };

/** Text output: findings grouped by level, worst first, with the regress command under each warning. */
export function renderGuardText(report: GuardReport): string {
  const lines = [`Model lifecycle at ${report.at.slice(0, 10)}`];
  for (const level of ['error', 'warning', 'ok'] as const) {
    const findings = report.findings.filter((finding) => finding.level === level);
    if (findings.length === 0) continue;
    lines.push('', headings[level]);
    for (const finding of findings) {
      lines.push(`  ${finding.model} on ${finding.platform}: ${finding.message}`);
      lines.push(`    used by ${finding.usedBy.join(', ')}; ${visibility(finding)}`);
      if (finding.regressCommand) lines.push(`    compare before moving: ${finding.regressCommand}`);
    }
  }
  const count = (level: GuardLevel) => report.findings.filter((finding) => finding.level === level).length;
  lines.push(
    '',
    `${count('error')} errors, ${count('warning')} warnings, ${count('ok')} ok (exit ${report.exitCode})`,
  );
  return `${lines.join('\n')}\n`;
}

function visibility(finding: GuardFinding): string {
  if (finding.visible === null) return 'visibility not checked';
  return finding.visible ? 'visible to this key' : 'NOT visible to this key';
}
