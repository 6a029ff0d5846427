import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  startTemporaryS3Server,
  type TemporaryS3Server,
} from '../../src/blobs/test-support/temporary-s3-server.js';
import { parseScenario, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import {
  postgresAvailable,
  temporaryPostgresSchema,
  testPostgresUrl,
} from '../../src/tasks/test-support/temporary-postgres.js';
import { startServerProcess, type ServerProcess } from '../server/server-process.js';
import { readJson, taskSchema } from '../support/read-json.js';
import { waitUntil } from '../support/wait-until.js';

const TASK_COUNT = 100;
const available = await postgresAvailable();

let emulator: RunningEmulator | undefined;
let s3: TemporaryS3Server | undefined;
let servers: ServerProcess[] = [];
let directory: string | undefined;
afterEach(async () => {
  for (const server of servers) if (server.child.exitCode === null) server.child.kill('SIGKILL');
  await Promise.all(servers.map((server) => server.exited));
  servers = [];
  await emulator?.close();
  await s3?.close();
  if (directory) await rm(directory, { recursive: true, force: true });
});

function totalCalls(running: RunningEmulator): number {
  return Object.values(running.stats.snapshot().models).reduce((sum, model) => sum + model.calls, 0);
}

describe.skipIf(!available)('crash recovery on PostgreSQL + S3, two serve processes', () => {
  const schema = temporaryPostgresSchema('imagegate_crash');

  it('SIGKILL one instance mid-flight: the other finishes every task exactly once, images readable', async () => {
    const temporary = await schema();
    directory = await mkdtemp(join(tmpdir(), 'imagegate-crash-multi-'));
    s3 = await startTemporaryS3Server();
    emulator = await startEmulator({
      scenario: parseScenario('latency: { default: { medianMs: 400, p95Ms: 700 } }\n', 'latency.yaml'),
    });
    const configPath = join(directory, 'imagegate.config.yaml');
    await writeFile(configPath, 'server:\n  leaseMs: 2000\n  workerConcurrency: 8\n  shutdownGraceMs: 0\n');
    const env = {
      GEMINI_API_KEY: 'crash-test',
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
      IMAGEGATE_WEBHOOK_SECRET: 'whsec_dGVzdC1zZWNyZXQtZm9yLWNyYXNoLXRlc3Rz',
    };
    const start = (name: string) =>
      startServerProcess({
        args: ['--config', configPath, '--data-dir', join(directory!, name)],
        env,
        cwd: directory!,
      });
    const doomed = await start('a');
    servers.push(doomed);
    const survivor = await start('b');
    servers.push(survivor);

    const ids = await Promise.all(
      Array.from({ length: TASK_COUNT }, async (_, index) => {
        const response = await fetch(`${doomed.url}/v1/images/generations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'image_fast', prompt: `crash test ${index}`, image_size: '512' }),
        });
        expect(response.status).toBe(202);
        return (await readJson(response, taskSchema)).id;
      }),
    );
    await waitUntil(() => totalCalls(emulator!) >= TASK_COUNT / 4, {
      what: `a quarter of the ${TASK_COUNT} upstream calls before the kill`,
      timeoutMs: 30_000,
    });
    doomed.child.kill('SIGKILL');
    expect(await doomed.exited).toBe('SIGKILL');

    const tasks = await Promise.all(ids.map((id) => waitUntilFinal(survivor.url, id)));
    expect(tasks.map((task) => task.status)).toEqual(ids.map(() => 'success'));
    for (const task of tasks) {
      const image = await fetch(`${survivor.url}${task.result?.images[0]?.url}`);
      expect(image.status).toBe(200);
      expect(image.headers.get('content-type')).toBe('image/png');
    }
    const successEvents = await Promise.all(
      ids.map(async (id) => {
        const text = await (await fetch(`${survivor.url}/v1/tasks/${id}/events`)).text();
        return [...text.matchAll(/^event: success$/gm)].length;
      }),
    );
    expect(successEvents).toEqual(ids.map(() => 1));
  }, 180_000);
});

async function waitUntilFinal(url: string, id: string) {
  return waitUntil(
    async () => {
      const task = await readJson(await fetch(`${url}/v1/tasks/${id}`), taskSchema);
      return ['success', 'failed', 'cancelled'].includes(task.status) && task;
    },
    { what: `${id} to finish`, timeoutMs: 150_000, intervalMs: 250 },
  );
}
