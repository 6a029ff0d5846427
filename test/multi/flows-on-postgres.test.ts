import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  startTemporaryS3Server,
  type TemporaryS3Server,
} from '../../src/blobs/test-support/temporary-s3-server.js';
import { parseScenario, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { flowApiSchemas } from '../../src/server/routes/flows.js';
import { storedMediaUri } from '../../src/tasks/index.js';
import {
  postgresAvailable,
  temporaryPostgresSchema,
  testPostgresUrl,
} from '../../src/tasks/test-support/temporary-postgres.js';
import { readJson } from '../support/read-json.js';
import { waitUntil } from '../support/wait-until.js';
import { runCliProcess, startServerProcess, type ServerProcess } from '../server/server-process.js';

const available = await postgresAvailable();
const examplePath = new URL('../../docs/examples/flows/brand-assets.yaml', import.meta.url).pathname;

/*
 * Two `imagegate serve` processes on one PostgreSQL schema (and one S3 bucket, so either can serve the
 * other's images): flows live in the shared store, so what one instance stores, the other lists and runs.
 */
describe.skipIf(!available)('flows on two imagegate serve processes sharing one PostgreSQL', () => {
  const schema = temporaryPostgresSchema('imagegate_flows_multi');
  let emulator: RunningEmulator;
  let s3: TemporaryS3Server;
  let directory: string;
  let a: ServerProcess;
  let b: ServerProcess;

  beforeAll(async () => {
    const temporary = await schema();
    directory = await mkdtemp(join(tmpdir(), 'imagegate-flows-multi-'));
    s3 = await startTemporaryS3Server();
    // Some latency, so a run is still running when the other instance first reads it.
    emulator = await startEmulator({
      scenario: parseScenario('latency: { default: { medianMs: 300, p95Ms: 400 } }\n', 'latency.yaml'),
    });
    const env = {
      GEMINI_API_KEY: 'flows-multi',
      GOOGLE_GEMINI_BASE_URL: emulator.url,
      IMAGEGATE_STORE: 'postgres',
      IMAGEGATE_POSTGRES_URL: testPostgresUrl,
      IMAGEGATE_POSTGRES_SCHEMA: temporary.name,
      IMAGEGATE_POSTGRES_MIGRATE: 'true',
      IMAGEGATE_BLOBS: 's3',
      IMAGEGATE_S3_BUCKET: s3.bucket,
      IMAGEGATE_S3_ENDPOINT: s3.endpoint,
      IMAGEGATE_S3_FORCE_PATH_STYLE: 'true',
      AWS_ACCESS_KEY_ID: s3.options.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: s3.options.credentials.secretAccessKey,
      IMAGEGATE_WEBHOOK_SECRET: 'whsec_dGVzdC1zZWNyZXQtZm9yLWZsb3ctdGVzdHM=',
    };
    // Short leases: the takeover test waits for the killed instance's tasks to be claimable again.
    const configPath = join(directory, 'imagegate.config.yaml');
    await writeFile(configPath, 'server:\n  leaseMs: 2000\n  shutdownGraceMs: 0\n');
    const start = (name: string) =>
      startServerProcess({
        args: ['--config', configPath, '--data-dir', join(directory, name)],
        env,
        cwd: directory,
      });
    [a, b] = await Promise.all([start('a'), start('b')]);
  }, 60_000);

  afterAll(async () => {
    for (const server of [a, b]) if (server?.child.exitCode === null) server.child.kill('SIGTERM');
    await Promise.all([a, b].map((server) => server?.exited));
    await emulator?.close();
    await s3?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('a flow pushed and published on A is listed and run on B; the run reads the same from both', async () => {
    // `imagegate flow push --server` is the remote mode, unchanged: it only talks HTTP to A.
    const pushed = await runCliProcess(
      ['flow', 'push', examplePath, '--publish', '-m', 'first', '--server', a.url],
      { env: {}, cwd: directory },
    );
    expect(pushed.stderr).toBe('');
    expect(pushed.code).toBe(0);

    const listed = await readJson(
      await fetch(`${b.url}/v1/flows`),
      z.object({ data: z.array(flowApiSchemas.flow) }),
    );
    expect(listed.data.map((flow) => [flow.name, flow.latest_version])).toEqual([['brand-assets', 1]]);
    const versionsOnB = await readJson(
      await fetch(`${b.url}/v1/flows/brand-assets/versions`),
      flowApiSchemas.versions,
    );
    expect(versionsOnB.data).toMatchObject([{ version: 1, message: 'first' }]);

    const started = await readJson(
      await fetch(`${b.url}/v1/flows/brand-assets/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ inputs: { brief: 'a lighthouse cafe', count: 2 } }),
      }),
      flowApiSchemas.run,
    );
    expect(started).toMatchObject({ status: 'running', version: 1 });
    // A reads B's run while B drives it.
    const whileRunning = await readJson(
      await fetch(`${a.url}/v1/flow-runs/${started.id}`),
      flowApiSchemas.run,
    );
    expect(whileRunning).toMatchObject({ id: started.id, flow: 'brand-assets', version: 1 });

    // SSE on A follows the run B drives (A reads the shared store), ending with the final run.
    const stream = await (await fetch(`${a.url}/v1/flow-runs/${started.id}/events`)).text();
    const finalFrame = /event: run\ndata: (.*)\n/.exec(stream)?.[1];
    expect(finalFrame, stream).toBeDefined();
    expect(JSON.parse(finalFrame!)).toMatchObject({ id: started.id, status: 'succeeded' });
    expect(stream).toMatch(/event: node\ndata: \{"node":"variants","type":"image","status":"succeeded"/);

    const readRun = async (server: ServerProcess) =>
      readJson(await fetch(`${server.url}/v1/flow-runs/${started.id}`), flowApiSchemas.run);
    const fromA = await readRun(a);
    const fromB = await readRun(b);
    expect(fromA).toEqual(fromB);
    expect(fromA.status).toBe('succeeded');
    expect(fromA.nodes.map((node) => [node.node, node.status])).toEqual([
      ['direction', 'succeeded'],
      ['variants', 'succeeded'],
      ['review', 'succeeded'],
    ]);
    // Each model call happened once: one instance drove the run.
    expect(totalCalls(emulator)).toBe(3);
    const images = (fromA.result?.variants ?? []) as Array<{ sha256: string }>;
    expect(images).toHaveLength(2);
    for (const image of images) {
      expect((await fetch(`${a.url}${storedMediaUri(image.sha256)}`)).status).toBe(200);
    }
    const runsOnA = await readJson(await fetch(`${a.url}/v1/flows/brand-assets/runs`), flowApiSchemas.runs);
    expect(runsOnA.data.map((run) => run.id)).toEqual([started.id]);
  }, 120_000);

  it('a run whose instance is SIGKILLed mid-run is taken over and finished by the other', async () => {
    const started = await readJson(
      await fetch(`${a.url}/v1/flows/brand-assets/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ inputs: { brief: 'a harbour at night', count: 4 } }),
      }),
      flowApiSchemas.run,
    );
    // Killed once its text node is done and its image tasks exist: A held the run when it died.
    await waitUntil(
      async () => {
        const run = await readJson(await fetch(`${b.url}/v1/flow-runs/${started.id}`), flowApiSchemas.run);
        return run.nodes.find((node) => node.node === 'variants')?.status === 'running';
      },
      { what: `run ${started.id} to reach its image node`, timeoutMs: 30_000, intervalMs: 50 },
    );
    a.child.kill('SIGKILL');
    expect(await a.exited).toBe('SIGKILL');

    // B looks for runs nobody drives every sharedFlowResumeIntervalMs (10 s).
    const finished = await waitUntil(
      async () => {
        const run = await readJson(await fetch(`${b.url}/v1/flow-runs/${started.id}`), flowApiSchemas.run);
        return run.status !== 'running' && run;
      },
      { what: `run ${started.id} to be finished by b`, timeoutMs: 60_000, intervalMs: 250 },
    );
    expect(finished.status).toBe('succeeded');
    expect(finished.result?.variants).toHaveLength(4);
    // The image tasks A made were found again by their idempotency keys, not made anew.
    const variants = finished.nodes.find((node) => node.node === 'variants');
    expect(variants?.task_ids).toHaveLength(4);
  }, 120_000);
});

function totalCalls(running: RunningEmulator): number {
  return Object.values(running.stats.snapshot().models).reduce((sum, model) => sum + model.calls, 0);
}
