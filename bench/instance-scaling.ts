/**
 * Images per second with one, two and three `imagegate serve` processes on one PostgreSQL store and one
 * Redis (coordination), against the built-in emulator with a latency of about a second per call, so the
 * figure is how well instances add up, not how fast one machine draws. Each process runs 4 workers.
 * Baseline in the same run: BullMQ on the same Redis, with one, two and three Workers of concurrency 4
 * (in this process) whose processor makes the same `generateContent` call through `@google/genai`, and
 * nothing else (no durable record, no image check, no blob write).
 *
 * Needs PostgreSQL (IMAGEGATE_BENCH_POSTGRES_URL, default the local test database) and Redis on
 * 127.0.0.1:6379; each configuration gets a schema and a key prefix of its own, dropped after.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { GoogleGenAI } from '@google/genai';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { parseScenario, startEmulator, type RunningEmulator } from '../src/emulator/index.js';
import { startServerProcess, type ServerProcess } from '../test/server/server-process.js';

const taskCount = 240;
const workersPerInstance = 4;
const modelId = 'gemini-3.1-flash-image';
const postgresUrl = process.env.IMAGEGATE_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const redisUrl = 'redis://127.0.0.1:6379';

async function measureInstances(emulator: RunningEmulator, instances: number): Promise<number> {
  const schema = `imagegate_bench_${randomBytes(6).toString('hex')}`;
  const keyPrefix = `imagegate-bench-${randomBytes(6).toString('hex')}:`;
  const directory = await mkdtemp(join(tmpdir(), 'imagegate-scaling-'));
  const configPath = join(directory, 'imagegate.config.yaml');
  await writeFile(configPath, `server:\n  workerConcurrency: ${workersPerInstance}\n  shutdownGraceMs: 0\n`);
  const env = {
    GEMINI_API_KEY: 'scaling-bench',
    GOOGLE_GEMINI_BASE_URL: emulator.url,
    IMAGEGATE_STORE: 'postgres',
    IMAGEGATE_POSTGRES_URL: postgresUrl,
    IMAGEGATE_POSTGRES_SCHEMA: schema,
    IMAGEGATE_POSTGRES_MIGRATE: 'true',
    IMAGEGATE_COORDINATION: 'redis',
    IMAGEGATE_REDIS_URL: redisUrl,
    IMAGEGATE_REDIS_KEY_PREFIX: keyPrefix,
    IMAGEGATE_WEBHOOK_SECRET: 'whsec_YmVuY2gtc2VjcmV0LWZvci1zY2FsaW5nLWJlbmNo',
  };
  const servers: ServerProcess[] = [];
  try {
    // One at a time: the first migrates the schema.
    for (let index = 0; index < instances; index++) {
      servers.push(
        await startServerProcess({
          args: ['--config', configPath, '--data-dir', join(directory, String(index))],
          env,
          cwd: directory,
        }),
      );
    }
    const startedMs = performance.now();
    for (let start = 0; start < taskCount; start += 20) {
      await Promise.all(
        Array.from({ length: Math.min(20, taskCount - start) }, async (_, offset) => {
          const index = start + offset;
          const response = await fetch(`${servers[index % instances]!.url}/v1/images/generations`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ model: 'image_fast', prompt: `scaling ${index}`, image_size: '512' }),
          });
          if (response.status !== 202) throw new Error(`submit answered ${response.status}`);
        }),
      );
    }
    const deadlineMs = performance.now() + 600_000;
    for (;;) {
      const succeeded = await countSucceeded(servers[0]!.url);
      if (succeeded >= taskCount) break;
      if (performance.now() > deadlineMs)
        throw new Error(`only ${succeeded} of ${taskCount} tasks succeeded`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return taskCount / ((performance.now() - startedMs) / 1000);
  } finally {
    for (const server of servers) server.child.kill('SIGTERM');
    await Promise.all(servers.map((server) => server.exited));
    await rm(directory, { recursive: true, force: true });
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
    const redis = new Redis(redisUrl);
    const keys = await redis.keys(`${keyPrefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  }
}

async function countSucceeded(url: string): Promise<number> {
  let total = 0;
  let cursor: string | null = null;
  do {
    const query: string = `status=success&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = (await (await fetch(`${url}/v1/tasks?${query}`)).json()) as {
      data: unknown[];
      next_cursor: string | null;
    };
    total += page.data.length;
    cursor = page.next_cursor;
  } while (cursor);
  return total;
}

async function measureBullmq(emulator: RunningEmulator, workers: number): Promise<number> {
  const queueName = `imagegate-bench-${randomBytes(6).toString('hex')}`;
  // Under native ESM, BullMQ takes ready-made clients rather than connection options.
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const client = new GoogleGenAI({
    apiKey: 'scaling-bench',
    httpOptions: { apiVersion: 'v1beta', baseUrl: emulator.url },
  });
  const queue = new Queue(queueName, { connection });
  let done = 0;
  let allDone = () => {};
  const finished = new Promise<void>((resolve) => (allDone = resolve));
  const running = Array.from({ length: workers }, () =>
    new Worker(
      queueName,
      async (job) => {
        await client.models.generateContent({
          model: modelId,
          contents: String((job.data as { prompt: string }).prompt),
          config: { responseModalities: ['IMAGE'], imageConfig: { imageSize: '512' } },
        });
      },
      { connection: new Redis(redisUrl, { maxRetriesPerRequest: null }), concurrency: workersPerInstance },
    ).on('completed', () => {
      done += 1;
      if (done === taskCount) allDone();
    }),
  );
  const startedMs = performance.now();
  await queue.addBulk(
    Array.from({ length: taskCount }, (_, index) => ({
      name: 'image',
      data: { prompt: `scaling ${index}` },
    })),
  );
  await finished;
  const perSecond = taskCount / ((performance.now() - startedMs) / 1000);
  await Promise.all(running.map((worker) => worker.close()));
  await queue.obliterate({ force: true });
  await queue.close();
  connection.disconnect();
  return perSecond;
}

export async function run(): Promise<void> {
  const emulator = await startEmulator({
    scenario: parseScenario('latency: { default: { medianMs: 1000, p95Ms: 1400 } }\n', 'latency.yaml'),
  });
  try {
    console.log(
      `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ` +
        `${Math.round(totalmem() / 2 ** 30)} GiB RAM, load average ${loadavg()[0]?.toFixed(1)}; ${taskCount} tasks, ` +
        `${workersPerInstance} workers per instance, emulator latency median 1000 ms`,
    );
    const rows: Array<{ instances: number; imagegate: number; bullmq: number }> = [];
    for (const instances of [1, 2, 3]) {
      const imagegate = await measureInstances(emulator, instances);
      const bullmq = await measureBullmq(emulator, instances);
      rows.push({ instances, imagegate, bullmq });
    }
    console.log(
      '| instances | imagegate serve, images/s | scaling | BullMQ workers, images/s | imagegate / BullMQ |',
    );
    console.log('| ---: | ---: | ---: | ---: | ---: |');
    for (const row of rows) {
      console.log(
        `| ${row.instances} | ${row.imagegate.toFixed(2)} | ${(row.imagegate / rows[0]!.imagegate).toFixed(2)}x | ` +
          `${row.bullmq.toFixed(2)} | ${(row.imagegate / row.bullmq).toFixed(2)}x |`,
      );
    }
  } finally {
    await emulator.close();
  }
}
