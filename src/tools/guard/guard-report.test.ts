import { describe, expect, it } from 'vitest';
import { builtInCatalog } from '../../catalog/index.js';
import { defaultConfig, type ImagegateConfig } from '../../config/index.js';
import { buildGuardReport } from './guard-report.js';
import { renderGuardText } from './guard-text.js';

const catalog = builtInCatalog();
/** gemini-3.1-flash-image-preview shuts down on the Gemini API on 2026-06-25 (catalog). */
const config: ImagegateConfig = {
  ...defaultConfig,
  routes: {
    drafts: { candidates: [{ model: 'gemini-3.1-flash-image-preview', platform: 'gemini-api' }] },
    quality: { candidates: [{ model: 'gemini-3-pro-image', platform: 'gemini-api' }] },
  },
};
const at = (date: string) => Date.parse(`${date}T10:00:00Z`);
const previewFinding = (date: string, extra: Partial<Parameters<typeof buildGuardReport>[0]> = {}) => {
  const report = buildGuardReport({ config, catalog, atMs: at(date), ...extra });
  return {
    report,
    finding: report.findings.find((finding) => finding.model === 'gemini-3.1-flash-image-preview')!,
  };
};

describe('buildGuardReport across the warning windows', () => {
  it.each([
    ['2026-03-01', 'ok', undefined, 116, 0],
    ['2026-03-27', 'warning', 90, 90, 1],
    ['2026-05-25', 'warning', 90, 31, 1],
    ['2026-05-26', 'warning', 30, 30, 1],
    ['2026-06-17', 'warning', 30, 8, 1],
    ['2026-06-18', 'warning', 7, 7, 1],
    ['2026-06-24', 'warning', 7, 1, 1],
    ['2026-06-25', 'error', undefined, 0, 2],
    ['2026-08-01', 'error', undefined, -37, 2],
  ] as const)(
    'on %s the preview is %s (window %s, %s days left)',
    (date, level, window, daysLeft, exitCode) => {
      const { report, finding } = previewFinding(date);
      expect(finding).toMatchObject({ level, daysLeft, platform: 'gemini-api', shutdownDate: '2026-06-25' });
      expect(finding.window).toBe(window);
      expect(report.exitCode).toBe(exitCode);
      expect(report.worst).toBe(level);
      expect(finding.stage).toBe(level === 'error' ? 'retired' : 'preview');
    },
  );

  it('prints the regress command against the successor inside a window only', () => {
    expect(previewFinding('2026-05-26').finding.regressCommand).toBe(
      'imagegate regress --prompts prompts.txt --baseline gemini-3.1-flash-image-preview --candidate gemini-3.1-flash-image',
    );
    expect(previewFinding('2026-03-01').finding.regressCommand).toBeUndefined();
    expect(previewFinding('2026-07-01').finding.regressCommand).toBeUndefined();
  });

  it('uses custom windows, and the config windows by default', () => {
    expect(previewFinding('2026-05-26', { warnDays: [14] }).finding.level).toBe('ok');
    const configured = { ...config, lifecycle: { warnDays: [200] } };
    expect(
      buildGuardReport({ config: configured, catalog, atMs: at('2026-01-01') }).findings[0],
    ).toMatchObject({
      level: 'warning',
      window: 200,
    });
  });
});

describe('buildGuardReport visibility and audit input', () => {
  it('errors when a configured model is missing from models.list, but only warns for an audited one', () => {
    const report = buildGuardReport({
      config,
      catalog,
      atMs: at('2026-03-01'),
      visibleModelIds: { 'gemini-api': new Set(['gemini-3.1-flash-image-preview']) },
      auditedIds: [{ id: 'gemini-3.1-flash-image', location: 'src/app.ts:3:7' }],
    });
    const byModel = Object.fromEntries(
      report.findings.map((finding) => [`${finding.model} ${finding.platform}`, finding]),
    );
    expect(byModel['gemini-3-pro-image gemini-api']).toMatchObject({
      level: 'error',
      visible: false,
      usedBy: ['quality'],
    });
    expect(byModel['gemini-3.1-flash-image-preview gemini-api']).toMatchObject({
      level: 'ok',
      visible: true,
    });
    expect(byModel['gemini-3.1-flash-image gemini-api']).toMatchObject({
      level: 'warning',
      visible: false,
      usedBy: ['src/app.ts:3:7'],
    });
    // Vertex AI was not listed, so nothing is said about visibility there.
    expect(byModel['gemini-3.1-flash-image vertex-ai']).toMatchObject({ level: 'ok', visible: null });
    expect(report.exitCode).toBe(2);
  });

  it('merges config and audit usage of one model, resolves aliases and warns on IDs the catalog lacks', () => {
    const report = buildGuardReport({
      config,
      catalog,
      atMs: at('2026-03-01'),
      auditedIds: [
        { id: 'gemini-3-pro-image', location: 'a.py:1:1' },
        { id: 'nano-banana-pro-preview', location: 'b.ts:2:2' },
        { id: 'gemini-9-image', location: 'c.go:3:3' },
      ],
    });
    const pro = report.findings.find(
      (finding) => finding.model === 'gemini-3-pro-image' && finding.platform === 'gemini-api',
    );
    expect(pro?.usedBy).toEqual(['quality', 'a.py:1:1']);
    expect(report.findings.find((finding) => finding.model === 'gemini-3-pro-image-preview')?.usedBy).toEqual(
      ['b.ts:2:2'],
    );
    expect(report.findings.find((finding) => finding.model === 'gemini-9-image')).toMatchObject({
      level: 'warning',
      stage: 'unknown',
    });
  });

  it('renders errors first and says the exit code', () => {
    const text = renderGuardText(previewFinding('2026-06-20').report);
    expect(text).toContain('Warnings\n  gemini-3.1-flash-image-preview on gemini-api:');
    expect(text).toContain('compare before moving: imagegate regress --prompts prompts.txt');
    expect(text.trimEnd().endsWith('0 errors, 1 warnings, 1 ok (exit 1)')).toBe(true);
  });
});
