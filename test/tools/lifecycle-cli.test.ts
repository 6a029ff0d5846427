import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { dataDirectoryLayout, openSqliteDatabase, SqliteTaskStore } from '../../src/tasks/index.js';
import { captureIo } from '../support/capture-io.js';

const fixtureTree = new URL('../fixtures/audit-tree/', import.meta.url).pathname;
let folder: string;
let server: Server | undefined;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'imagegate-lifecycle-cli-'));
});
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
  await rm(folder, { recursive: true, force: true });
});

async function run(args: string[]) {
  const io = captureIo({ cwd: folder });
  const code = await runCli(args, io);
  return { code, out: io.out(), err: io.err() };
}

const previewConfig = [
  'routes:',
  '  drafts:',
  '    candidates:',
  '      - model: gemini-3.1-flash-image-preview',
  '      - model: gemini-3.1-flash-image',
  '',
].join('\n');

describe('imagegate guard', () => {
  it('answers "what breaks on that date" with exit 1 inside a window and 2 after shutdown', async () => {
    await writeFile(join(folder, 'imagegate.config.yaml'), previewConfig);
    const inWindow = await run(['guard', '--at', '2026-06-20', '--no-visibility', '--json']);
    expect(inWindow.code).toBe(1);
    const report = JSON.parse(inWindow.out);
    expect(report.findings[0]).toMatchObject({
      model: 'gemini-3.1-flash-image-preview',
      level: 'warning',
      window: 7,
      daysLeft: 5,
      usedBy: ['drafts'],
      regressCommand:
        'imagegate regress --prompts prompts.txt --baseline gemini-3.1-flash-image-preview --candidate gemini-3.1-flash-image',
    });
    const after = await run(['guard', '--at', '2026-06-25', '--no-visibility']);
    expect(after.code).toBe(2);
    expect(after.out).toContain('Errors\n  gemini-3.1-flash-image-preview on gemini-api:');
  });

  it('checks visibility through models.list (the built-in emulator without a key) and posts to a webhook', async () => {
    const bodies: string[] = [];
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        bodies.push(body);
        response.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const result = await run(['guard', '--json', '--webhook', url, '--allow-private-network']);
    expect(result.code, result.err).toBe(0);
    const report = JSON.parse(result.out);
    expect(report.findings.length).toBeGreaterThan(0);
    expect(report.findings.every((finding: { visible: boolean }) => finding.visible === true)).toBe(true);
    expect(JSON.parse(bodies[0]!).text).toMatch(/^imagegate guard \d{4}-\d{2}-\d{2}: all \d+ models OK/);
  });

  it('adds the IDs an audit finds and refuses a bad date', async () => {
    await cp(fixtureTree, folder, { recursive: true });
    const result = await run(['guard', '--at', '2026-05-01', '--no-visibility', '--audit', 'lib', '--json']);
    const report = JSON.parse(result.out);
    expect(
      report.findings.find((finding: { model: string }) => finding.model === 'gemini-3-pro-image-preview'),
    ).toMatchObject({
      usedBy: ['lib/esm.mjs:1:23'],
      level: 'warning',
      window: 90,
    });
    expect((await run(['guard', '--at', '20-06-2026'])).code).toBe(2);
  });
});

describe('imagegate audit', () => {
  beforeEach(async () => {
    await cp(fixtureTree, folder, { recursive: true });
  });

  it('prints text grouped by file and SARIF, exiting 1 on retired and dated-preview hits', async () => {
    const text = await run(['audit', '--at', '2026-05-01']);
    expect(text.code).toBe(1);
    expect(text.out).toContain('src/app.ts\n  2:30  error    gemini-2.5-flash-image-preview is retired');
    const sarif = await run(['audit', '--at', '2026-05-01', '--format', 'sarif', 'kotlin']);
    expect(sarif.code).toBe(0);
    expect(JSON.parse(sarif.out).runs[0].results[0].ruleId).toBe('imagegate/unknown-model');
  });

  it('--fix shows the diff and writes nothing without --yes when nobody can confirm', async () => {
    const before = await readFile(join(folder, 'src/app.ts'), 'utf8');
    const result = await run(['audit', '--at', '2026-05-01', '--fix', 'src']);
    expect(result.code).toBe(1);
    expect(result.out).toContain('--- a/src/app.ts\n+++ b/src/app.ts\n@@ -1,5 +1,5 @@');
    expect(result.out).toContain("+export const primaryModel = 'image_fast';");
    expect(result.err).toContain('run again with --yes');
    expect(await readFile(join(folder, 'src/app.ts'), 'utf8')).toBe(before);

    const applied = await run(['audit', '--at', '2026-05-01', '--fix', '--yes', 'src']);
    expect(applied.code).toBe(0);
    expect(await readFile(join(folder, 'src/app.ts'), 'utf8')).toContain("'image_fast'");
    expect((await run(['audit', '--at', '2026-05-01', 'src'])).code).toBe(0);
  });

  it('exits 2 for a path that does not exist', async () => {
    const result = await run(['audit', 'no-such-folder']);
    expect(result.code).toBe(2);
    expect(result.err).toContain('no-such-folder');
  });
});

describe('imagegate cost', () => {
  it('projects a plan and fails closed on an unknown price', async () => {
    await writeFile(
      join(folder, 'plan.yaml'),
      'usage:\n  image_fast: { imagesPerDay: 30 }\n  image_quality: { imagesPerDay: 3 }\n',
    );
    const plan = await run(['cost', 'plan', 'plan.yaml', '--json']);
    expect(plan.code, plan.err).toBe(0);
    // 30 x $0.067 x 30 + 3 x $0.134 x 30 = 60.30 + 12.06
    expect(JSON.parse(plan.out).totalMonthlyUsd).toBeCloseTo(72.36, 10);
    await writeFile(
      join(folder, 'lite.yaml'),
      'usage:\n  gemini-3.1-flash-lite-image: { imagesPerDay: 1 }\n',
    );
    const lite = await run(['cost', 'plan', 'lite.yaml']);
    expect(lite.code).not.toBe(0);
    expect(lite.err).toContain('pricing.perImageUsd of gemini-3.1-flash-lite-image');
    await writeFile(join(folder, 'bad.yaml'), 'usage:\n  image_fast: { imagesPerDay: many }\n');
    const bad = await run(['cost', 'plan', 'bad.yaml']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('imagesPerDay');
  });

  it('reports spend from the task store by key, estimate against actual', async () => {
    await mkdir(join(folder, 'data'));
    const store = new SqliteTaskStore(openSqliteDatabase(join(folder, 'data', dataDirectoryLayout.database)));
    const request = {
      model: 'image_fast',
      prompt: 'p',
      outputFormat: 'png' as const,
      references: [],
      history: [],
      imageCount: 1,
    };
    const createdAtMs = Date.UTC(2026, 5, 1, 12);
    await store.create(
      {
        id: 'task_img_01jx0000000000000000000001',
        request,
        metadata: {},
        apiKeyId: 'key_a',
        estimatedCostUsd: 0.067,
        createdAtMs,
      },
      undefined,
      createdAtMs,
    );
    await store.create(
      {
        id: 'task_img_01jx0000000000000000000002',
        request,
        metadata: {},
        apiKeyId: 'key_b',
        estimatedCostUsd: 0.067,
        createdAtMs: createdAtMs + 1,
      },
      undefined,
      createdAtMs + 1,
    );
    const claimed = (await store.claim('worker', createdAtMs + 10, 60_000))!;
    await store.complete(
      claimed.lease,
      {
        status: 'success',
        result: { images: [], nextTurnContents: [] },
        attempts: [],
        warnings: [],
        actualCostUsd: 0.07,
        servedBy: { modelId: 'gemini-3.1-flash-image', platform: 'gemini-api' },
      },
      createdAtMs + 20,
    );
    await store.close();
    const result = await run([
      'cost',
      'report',
      '--by',
      'key',
      '--data-dir',
      'data',
      '--from',
      '2026-06-01',
      '--to',
      '2026-06-01',
      '--json',
    ]);
    expect(result.code, result.err).toBe(0);
    const report = JSON.parse(result.out);
    expect(report.groups.map((group: { key: string }) => group.key)).toEqual(['key_a', 'key_b']);
    expect(report.total.actualUsd).toBeCloseTo(0.07, 10);
    expect(report.total.estimatedUsd).toBeCloseTo(0.134, 10);
    expect((await run(['cost', 'report', '--data-dir', 'missing'])).code).toBe(2);
  });
});
