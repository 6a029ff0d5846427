import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type AjvDraft04 from 'ajv-draft-04';
import type AjvFormats from 'ajv-formats';
import { afterEach, describe, expect, it } from 'vitest';
import { builtInCatalog } from '../../src/catalog/index.js';
import { parseConfig } from '../../src/config/index.js';
import {
  applyReplacements,
  auditSarif,
  planFixes,
  reverseReplacements,
  runAudit,
  type AuditOptions,
} from '../../src/tools/audit/index.js';

// Both are CommonJS; require keeps their default exports typed under NodeNext resolution.
const require = createRequire(import.meta.url);
const Ajv = require('ajv-draft-04') as typeof AjvDraft04.default;
const addFormats = require('ajv-formats') as typeof AjvFormats.default;

const fixtureTree = new URL('../fixtures/audit-tree/', import.meta.url).pathname;
const catalog = builtInCatalog();
const atMs = Date.parse('2026-05-01T09:00:00Z');
const { config } = parseConfig(await readFile(join(fixtureTree, 'imagegate.config.yaml'), 'utf8'), {
  fileName: 'imagegate.config.yaml',
  catalog,
  clock: { nowMs: () => atMs, sleep: async () => {} },
});
const auditOptions = (cwd: string): AuditOptions => ({
  cwd,
  catalog,
  config,
  configFile: 'imagegate.config.yaml',
  atMs,
});

/** Every hit the fixture tree must produce at 2026-05-01: path:line:column id kind (allowed). */
const expectedHits = [
  '.env:1:13 gemini-3.1-flash-image-preview preview',
  '.env.production:1:13 gemini-3-pro-image-preview preview',
  '.github/workflows/images.yml:7:20 gemini-3-pro-image-preview preview',
  'Dockerfile:2:17 gemini-2.5-flash-image-preview retired',
  'config/app.yaml:2:10 gemini-3-pro-image-preview preview',
  'config/pipeline.yml:2:12 gemini-3.1-flash-image-preview preview',
  'config/settings.json:2:18 gemini-2.5-flash-image-preview retired',
  'config/settings.json:3:16 gemini-3-pro-image ga',
  'cs/Program.cs:1:39 gemini-3-pro-image-preview preview',
  'docs/usage.md:6:16 gemini-3-pro-image-preview preview',
  'go/main.go:3:16 gemini-3.1-flash-image-preview preview',
  'imagegate.config.yaml:1:13 gemini-3-pro-image-preview preview allowed',
  'imagegate.config.yaml:6:16 gemini-3.1-flash-image ga allowed',
  'java/Main.java:2:32 gemini-2.0-flash-exp-image-generation preview',
  'kotlin/App.kt:1:20 gemini-4-flash-image unknown',
  'lib/common.cjs:1:18 gemini-3.1-flash-image ga',
  'lib/esm.mjs:1:23 nano-banana-pro-preview preview',
  'lib/util.js:1:28 gemini-2.0-flash-preview-image-generation retired',
  'notebooks/demo.ipynb:25:16 gemini-3-pro-image-preview preview',
  'php/index.php:2:11 gemini-2.5-flash-image ga',
  'py/generate.py:4:50 gemini-2.5-flash-image-preview retired',
  'pyproject.toml:2:10 gemini-2.5-flash-image-preview retired',
  'ruby/app.rb:1:10 gemini-3.1-flash-lite-image stage-unknown',
  'rust/main.rs:1:22 gemini-3.1-flash-image-preview preview',
  'src/app.ts:2:30 gemini-2.5-flash-image-preview retired',
  'src/app.ts:3:37 gemini-3-pro-image-preview preview',
  'src/keep.local.ts:1:22 gemini-3.1-flash-image-preview preview',
  'src/view.tsx:1:33 gemini-3-pro-image ga',
];

const temporaryFolders: string[] = [];
afterEach(async () => {
  for (const folder of temporaryFolders.splice(0)) await rm(folder, { recursive: true, force: true });
});

async function copyOfFixture(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'imagegate-audit-'));
  temporaryFolders.push(folder);
  await cp(fixtureTree, folder, { recursive: true });
  return folder;
}

async function allFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .sort();
}

describe('audit on the fixture tree', () => {
  it('finds exactly the planted IDs, and nothing in binary, ignored, vendored, prose or look-alike text', async () => {
    const { report } = await runAudit(auditOptions(fixtureTree));
    const hits = report.findings.map(
      (finding) =>
        `${finding.path}:${finding.line}:${finding.column} ${finding.id} ${finding.kind}${finding.allowed ? ' allowed' : ''}`,
    );
    expect(hits).toEqual(expectedHits);
    expect(report.statistics).toMatchObject({
      skippedBinary: 1,
      skippedIgnored: 3,
      skippedVendoredFolders: 3,
    });
    expect(report.problems).toEqual([]);
    expect(report.exitCode).toBe(1);
  });

  it('passes once only allowed, GA and unknown hits are left', async () => {
    const { report } = await runAudit({
      ...auditOptions(fixtureTree),
      paths: ['kotlin', 'lib/common.cjs', 'imagegate.config.yaml'],
    });
    expect(report.findings.map((finding) => `${finding.kind}${finding.allowed ? ' allowed' : ''}`)).toEqual([
      'preview allowed',
      'ga allowed',
      'unknown',
      'ga',
    ]);
    expect(report.exitCode).toBe(0);
  });

  it('writes SARIF that the SARIF 2.1.0 JSON schema accepts', async () => {
    const { report } = await runAudit(auditOptions(fixtureTree));
    const sarif = auditSarif(report, '0.1.0');
    const schema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json') as object;
    const ajv = new Ajv({ strict: false, unicodeRegExp: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    expect(validate(JSON.parse(JSON.stringify(sarif))), JSON.stringify(validate.errors, null, 2)).toBe(true);
    const results = sarif.runs[0]!.results!;
    expect(results).toHaveLength(expectedHits.length);
    expect(results.filter((result) => result.suppressions)).toHaveLength(2);
    // The schema must be able to fail: a result without a message is refused.
    const broken = JSON.parse(JSON.stringify(sarif));
    delete broken.runs[0].results[0].message;
    expect(validate(broken)).toBe(false);
  });

  it('--fix changes only the IDs: reversing the replacements gives back every original byte', async () => {
    const folder = await copyOfFixture();
    const { report, files } = await runAudit(auditOptions(folder));
    const patches = planFixes(report.findings, files);
    for (const patch of patches) await writeFile(patch.absolutePath, patch.after);

    const fixable = report.findings.filter(
      (finding) => !finding.allowed && (finding.kind === 'retired' || finding.kind === 'preview'),
    );
    expect(patches.flatMap((patch) => patch.replacements)).toHaveLength(fixable.length);
    const patchedPaths = new Set(patches.map((patch) => patch.path));
    for (const path of await allFiles(fixtureTree)) {
      const original = await readFile(join(fixtureTree, path));
      const current = await readFile(join(folder, path));
      const patch = patches.find((candidate) => candidate.path === path);
      if (!patch) {
        expect(current.equals(original), path).toBe(true);
        continue;
      }
      expect(current.equals(original), path).toBe(false);
      const restored = applyReplacements(current.toString('utf8'), reverseReplacements(patch.replacements));
      expect(Buffer.from(restored, 'utf8').equals(original), path).toBe(true);
    }
    expect(patchedPaths.has('imagegate.config.yaml')).toBe(false);

    const after = await runAudit(auditOptions(folder));
    expect(after.report.exitCode).toBe(0);
    expect(
      after.report.findings.filter((finding) => !finding.allowed).map((finding) => finding.kind),
    ).not.toContain('retired');
  });

  it('--fix keeps quotes and writes a model ID inside a models/ resource path', async () => {
    const folder = await copyOfFixture();
    const { report, files } = await runAudit({ ...auditOptions(folder), paths: ['src/app.ts'] });
    const [patch] = planFixes(report.findings, files);
    expect(patch?.after).toContain("export const primaryModel = 'image_fast';");
    expect(patch?.after).toContain('export const resourceName = `models/gemini-3-pro-image`;');
    const [modelOnly] = planFixes(report.findings, files, { target: 'model' });
    expect(modelOnly?.after).toContain("export const primaryModel = 'gemini-3.1-flash-image';");
  });
});
