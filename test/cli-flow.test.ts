import { copyFile, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/run-cli.js';
import { captureIo } from './support/capture-io.js';

const examples = new URL('../docs/examples/flows/', import.meta.url);

async function workspace() {
  const directory = await mkdtemp(join(tmpdir(), 'imagegate-cli-flow-'));
  await copyFile(new URL('brand-assets.yaml', examples), join(directory, 'brand-assets.yaml'));
  await copyFile(new URL('ab-image-models.yaml', examples), join(directory, 'ab-image-models.yaml'));
  return directory;
}

/** The CLI on the embedded store, with the built-in emulator (no key). */
describe('imagegate flow', () => {
  it('validates, naming file, line, node and field; exit 2 on errors', async () => {
    const directory = await workspace();
    await writeFile(
      join(directory, 'bad.yaml'),
      'name: bad\nnodes:\n  hero:\n    type: image\n    model: image_fsat\n    prompt: hi\n    variants: 9\n',
    );
    const io = captureIo({ cwd: directory });
    expect(await runCli(['flow', 'validate', 'brand-assets.yaml', 'bad.yaml'], io)).toBe(2);
    expect(io.out()).toContain('brand-assets.yaml: ok (3 nodes)');
    expect(io.out()).toContain(
      'bad.yaml:7: node "hero", nodes.hero.variants: 9 is out of range; allowed 1–8',
    );
    expect(io.out()).toContain(
      'bad.yaml:5: node "hero", nodes.hero.model: unknown model or logical name "image_fsat". Did you mean "image_fast"?',
    );
  });

  it('pushes, publishes, runs with progress per node, promotes, diffs and rolls back', async () => {
    const directory = await workspace();
    const env = {};
    const cli = async (args: string[]) => {
      const io = captureIo({ cwd: directory, env });
      const code = await runCli([...args, '--data-dir', 'data'], io);
      return { code, out: io.out(), err: io.err() };
    };
    const pushed = await cli(['flow', 'push', 'brand-assets.yaml', '--publish', '-m', 'first']);
    expect(pushed).toMatchObject({ code: 0 });
    expect(pushed.out).toMatch(/^published brand-assets v1 \(sha256 [0-9a-f]{12}\): first$/m);

    const run = await cli([
      'flow',
      'run',
      'brand-assets',
      '--input',
      'brief=a kite festival',
      '--input',
      'count=2',
      '--wait',
      '-o',
      'out',
    ]);
    expect(run.code).toBe(0);
    expect(run.err).toMatch(/^ {2}direction {8}running/m);
    expect(run.err).toMatch(/^ {2}variants {9}succeeded$/m);
    expect(run.out).toMatch(/^run flowrun_\w+: succeeded \(brand-assets v1\)$/m);
    expect((await readdir(join(directory, 'out'))).sort()).toEqual([
      'direction.txt',
      'variants-0.png',
      'variants-1.png',
    ]);
    const runId = /^run (flowrun_\w+)/m.exec(run.out)![1]!;

    const promoted = await cli([
      'flow',
      'promote',
      runId,
      '--node',
      'variants',
      '--variant',
      '1',
      '--model',
      'image_quality',
      '--json',
    ]);
    expect(promoted.code).toBe(0);
    const report = JSON.parse(promoted.out) as {
      run: { status: string; lineage: unknown };
      nodes: Array<{ nodeId: string; cached: boolean }>;
    };
    expect(report.run).toMatchObject({ status: 'succeeded', lineage: { parentRunId: runId, variant: 1 } });
    expect(report.nodes.find((node) => node.nodeId === 'direction')?.cached).toBe(true);

    const original = await readFile(join(directory, 'brand-assets.yaml'), 'utf8');
    await writeFile(join(directory, 'v2.yaml'), original.replace('imageSize: 1K', 'imageSize: 2K'));
    expect((await cli(['flow', 'push', 'v2.yaml', '--publish', '-m', '2K'])).code).toBe(0);
    expect((await cli(['flow', 'diff', 'brand-assets', '1', '2'])).out).toBe(
      '~ nodes.variants.imageSize: "1K" → "2K"\n',
    );
    expect((await cli(['flow', 'rollback', 'brand-assets', '--to', '1'])).out).toBe(
      'published brand-assets v3 = v1\n',
    );
    expect(
      (await cli(['flow', 'versions', 'brand-assets'])).out
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split(' ')[0]),
    ).toEqual(['v3', 'v2', 'v1']);
    expect((await cli(['flow', 'runs', 'brand-assets'])).out.split('\n').filter(Boolean)).toHaveLength(2);

    const badInput = await cli(['flow', 'run', 'brand-assets', '--input', 'count=3']);
    expect(badInput).toMatchObject({ code: 2 });
    expect(badInput.err).toMatch(/inputs\.brief: required/);
  });

  it('runs a file in-process without pushing it', async () => {
    const directory = await workspace();
    const io = captureIo({ cwd: directory });
    const code = await runCli(
      [
        'flow',
        'run',
        '--file',
        'ab-image-models.yaml',
        '--input',
        'prompt=a red kite',
        '--data-dir',
        'data',
        '--json',
      ],
      io,
    );
    expect(code).toBe(0);
    const report = JSON.parse(io.out()) as { variants: Array<{ node: string; servedModels: string[] }> };
    expect(report.variants.map((group) => [group.node, group.servedModels])).toEqual([
      ['flash', ['gemini-3.1-flash-image']],
      ['pro', ['gemini-3-pro-image']],
    ]);
  });

  it('says so when the configured store is PostgreSQL: without --server it works on the local data directory', async () => {
    const directory = await workspace();
    const io = captureIo({
      cwd: directory,
      env: {
        IMAGEGATE_STORE: 'postgres',
        IMAGEGATE_POSTGRES_URL: 'postgres://imagegate@db.invalid:5432/imagegate',
      },
    });
    expect(await runCli(['flow', 'push', 'brand-assets.yaml', '--data-dir', 'data'], io)).toBe(0);
    expect(io.err()).toMatch(
      /^note: the configured store is postgres.*without --server this works on the local data directory/,
    );
    expect(io.out()).toBe('saved the draft of brand-assets\n');
  });
});
