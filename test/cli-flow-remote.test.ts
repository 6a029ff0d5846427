import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runCli } from '../src/cli/run-cli.js';
import { flowApiSchemas, startServer, type RunningServer } from '../src/server/index.js';
import { captureIo } from './support/capture-io.js';

/** `imagegate flow … --server URL` against an in-process `imagegate serve` that requires an API key. */
let directory: string;
let server: RunningServer;
let apiKey: string;

async function cli(args: string[], env: NodeJS.ProcessEnv = { IMAGEGATE_API_KEY: apiKey }) {
  const io = captureIo({ cwd: directory, env });
  const code = await runCli(args, io);
  return { code, out: io.out(), err: io.err() };
}

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'imagegate-cli-flow-remote-'));
  await copyFile(
    new URL('../docs/examples/flows/brand-assets.yaml', import.meta.url),
    join(directory, 'brand-assets.yaml'),
  );
  const created = await cli(['keys', 'create', '--name', 'remote cli', '--data-dir', 'data'], {});
  expect(created.code).toBe(0);
  apiKey = /igk_[0-9A-Za-z]{32}/.exec(created.out)![0];
  server = await startServer({
    port: 0,
    dataDirectory: join(directory, 'data'),
    env: { GEMINI_API_KEY: '' },
    onNotice: () => undefined,
  });
});

afterAll(async () => {
  await server?.close();
  await rm(directory, { recursive: true, force: true });
});

describe('imagegate flow --server', () => {
  it('pushes, publishes, runs with progress and -o, lists, diffs, rolls back and promotes on the server', async () => {
    const remote = ['--server', server.url];
    const pushed = await cli(['flow', 'push', 'brand-assets.yaml', '--publish', '-m', 'first', ...remote]);
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
      ...remote,
    ]);
    expect(run.code, run.err).toBe(0);
    expect(run.err).toMatch(/^ {2}variants {9}succeeded$/m);
    expect(run.out).toMatch(/^run flowrun_\w+: succeeded \(brand-assets v1\)$/m);
    expect((await readdir(join(directory, 'out'))).sort()).toEqual([
      'direction.txt',
      'variants-0.png',
      'variants-1.png',
    ]);
    expect((await readFile(join(directory, 'out', 'variants-0.png'))).subarray(1, 4).toString()).toBe('PNG');
    const runId = /^run (flowrun_\w+)/m.exec(run.out)![1]!;

    // Without --wait: the server drives the run; --json prints its view as the server gave it.
    const detached = await cli([
      'flow',
      'run',
      'brand-assets',
      '--input',
      'brief=a kite festival',
      '--input',
      'count=2',
      '--json',
      ...remote,
    ]);
    expect(detached.code).toBe(0);
    expect(flowApiSchemas.run.parse(JSON.parse(detached.out)).flow).toBe('brand-assets');

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
      ...remote,
    ]);
    expect(promoted.code, promoted.err).toBe(0);
    const report = z.object({ run: flowApiSchemas.run }).parse(JSON.parse(promoted.out));
    expect(report.run).toMatchObject({ status: 'succeeded', lineage: { parentRunId: runId, variant: 1 } });
    expect(report.run.nodes.find((node) => node.node === 'direction')?.cached).toBe(true);

    const original = await readFile(join(directory, 'brand-assets.yaml'), 'utf8');
    await writeFile(join(directory, 'v2.yaml'), original.replace('imageSize: 1K', 'imageSize: 2K'));
    expect((await cli(['flow', 'push', 'v2.yaml', '--publish', '-m', '2K', ...remote])).code).toBe(0);
    expect((await cli(['flow', 'diff', 'brand-assets', '1', '2', ...remote])).out).toBe(
      '~ nodes.variants.imageSize: "1K" → "2K"\n',
    );
    expect((await cli(['flow', 'rollback', 'brand-assets', '--to', '1', ...remote])).out).toBe(
      'published brand-assets v3 = v1\n',
    );
    expect(
      (await cli(['flow', 'versions', 'brand-assets', ...remote])).out
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split(' ')[0]),
    ).toEqual(['v3', 'v2', 'v1']);
    // The server kept the pushed file's text: a pull gives back that file, comments and quoting included.
    expect((await cli(['flow', 'pull', 'brand-assets', '--version', '2', ...remote])).out).toBe(
      original.replace('imageSize: 1K', 'imageSize: 2K'),
    );
    const runs = await cli(['flow', 'runs', 'brand-assets', ...remote]);
    expect(runs.out.split('\n').filter(Boolean)).toHaveLength(3);
  });

  it('says what to do next: no key, a wrong flow, a bad input, no server, a key without a server', async () => {
    const remote = ['--server', server.url];
    const noKey = await cli(['flow', 'versions', 'brand-assets', ...remote], {});
    expect(noKey.code).toBe(3);
    expect(noKey.err).toMatch(
      /Pass --api-key, or set IMAGEGATE_API_KEY, to a key of http:\/\/127\.0\.0\.1:\d+/,
    );

    const unknown = await cli(['flow', 'versions', 'no-such-flow', ...remote]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/No flow "no-such-flow".*push it with --server/);

    await cli(['flow', 'push', 'brand-assets.yaml', '--publish', '-m', 'for inputs', ...remote]);
    const badInput = await cli([
      'flow',
      'run',
      'brand-assets',
      '--input',
      'brief=ok brief',
      '--input',
      'count=99',
      ...remote,
    ]);
    expect(badInput.code).toBe(2);
    expect(badInput.err).toMatch(/inputs\.count: .*99/);

    const fileRun = await cli(['flow', 'run', '--file', 'brand-assets.yaml', ...remote]);
    expect(fileRun.code).toBe(2);
    expect(fileRun.err).toMatch(/with --server push it first/);

    const closed = await startServer({
      port: 0,
      dataDirectory: join(directory, 'closed'),
      env: { GEMINI_API_KEY: '' },
      onNotice: () => undefined,
    });
    const closedUrl = closed.url;
    await closed.close();
    const unreachable = await cli(['flow', 'versions', 'brand-assets', '--server', closedUrl]);
    expect(unreachable.code).toBe(4);
    expect(unreachable.err).toMatch(
      /Cannot reach the imagegate server at .*start it with `imagegate serve`, or fix --server/,
    );

    const keyOnly = await cli([
      'flow',
      'versions',
      'brand-assets',
      '--api-key',
      'igk_x',
      '--data-dir',
      'data',
    ]);
    expect(keyOnly.code).toBe(2);
    expect(keyOnly.err).toMatch(/--api-key needs --server URL/);
  });
});
