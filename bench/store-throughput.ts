/**
 * Tasks per second through the durable task store: enqueue N tasks, then drain them with a worker
 * (concurrency 8) whose runner does nothing, so the figure is the store's and the worker's own cost.
 * PostgreSQL (IMAGEGATE_BENCH_POSTGRES_URL, default the local test database) in a schema of its own.
 * Baseline in the same run: BullMQ (Queue + Worker, concurrency 8, a no-op processor) on the local Redis,
 * the queue the design names for multi-instance deployments. Skipped with a message when Redis is not
 * reachable.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createConnection } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { BlobStore } from '../src/blobs/index.js';
import type { GenerationResult } from '../src/client/index.js';
import {
  migratePostgres,
  newTaskId,
  openPostgresPool,
  openSqliteDatabase,
  PostgresTaskStore,
  SqliteTaskStore,
  TaskWorker,
  type SqliteDatabaseOptions,
  type TaskRequest,
  type TaskStore,
} from '../src/tasks/index.js';

const taskCount = 2_000;
const concurrency = 8;
const redis = { host: '127.0.0.1', port: 6379 };

const request: TaskRequest = {
  model: 'image_fast',
  prompt: 'benchmark',
  outputFormat: 'png',
  references: [],
  history: [],
  imageCount: 1,
};

interface Measurement {
  name: string;
  enqueueMs: number;
  drainMs: number;
}

const noOpResult: GenerationResult = {
  images: [],
  usage: { promptTokens: 0, outputTextTokens: 0, outputImageTokens: 0, thoughtsTokens: 0, totalTokens: 0 },
  attempts: [],
  servedBy: { modelId: 'no-op', platform: 'gemini-api' },
  warnings: [],
  modelContents: [],
  requestedModel: 'image_fast',
};

async function measureSqlite(name: string, databaseOptions: SqliteDatabaseOptions): Promise<Measurement> {
  const folder = await mkdtemp(join(tmpdir(), 'imagegate-bench-store-'));
  const store = new SqliteTaskStore(openSqliteDatabase(join(folder, 'tasks.db'), databaseOptions));
  try {
    return await measureStore(name, store, folder);
  } finally {
    await store.close();
    await rm(folder, { recursive: true, force: true });
  }
}

/** PostgreSQL with its default durability (synchronous_commit on), in a schema of its own, dropped after. */
async function measurePostgres(url: string): Promise<Measurement> {
  const schema = `imagegate_bench_${randomBytes(4).toString('hex')}`;
  const pool = openPostgresPool(url, { schema, max: concurrency + 2 });
  const folder = await mkdtemp(join(tmpdir(), 'imagegate-bench-store-'));
  try {
    await migratePostgres(pool, { schema });
    const version = (await pool.query<{ server_version: string }>('SHOW server_version')).rows[0]
      ?.server_version;
    return await measureStore(
      `PostgreSQL ${version ?? ''} task store (synchronous_commit=on)`,
      new PostgresTaskStore(pool, { closePool: false }),
      folder,
    );
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pool.end();
    await rm(folder, { recursive: true, force: true });
  }
}

async function postgresAnswers(url: string): Promise<boolean> {
  const pool = openPostgresPool(url, { max: 1, connectionTimeoutMs: 1_000 });
  try {
    await pool.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await pool.end();
  }
}

async function measureStore(name: string, store: TaskStore, folder: string): Promise<Measurement> {
  {
    const enqueueStarted = performance.now();
    for (let index = 0; index < taskCount; index++) {
      const createdAtMs = Date.now();
      await store.create({ id: newTaskId(createdAtMs), request, metadata: {}, createdAtMs });
    }
    const enqueueMs = performance.now() - enqueueStarted;

    let finished = 0;
    let allDone: () => void = () => {};
    const drained = new Promise<void>((resolve) => (allDone = resolve));
    const worker = new TaskWorker({
      store,
      blobs: new BlobStore({ directory: join(folder, 'blobs') }),
      run: async () => noOpResult,
      concurrency,
      pollIntervalMs: 5,
      onTaskFinished: () => {
        finished += 1;
        if (finished === taskCount) allDone();
      },
    });
    const drainStarted = performance.now();
    worker.start();
    await drained;
    const drainMs = performance.now() - drainStarted;
    await worker.stop();
    const left = (await store.list({ status: 'success', limit: 1 })).tasks.length;
    if (left !== 1) throw new Error('the drain finished without successful tasks');
    return { name, enqueueMs, drainMs };
  }
}

function redisAnswersPing(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(redis);
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

async function measureBullmq(): Promise<Measurement> {
  const queueName = `imagegate-bench-${randomBytes(4).toString('hex')}`;
  // Under native ESM, BullMQ takes ready-made clients rather than connection options.
  const queueConnection = new Redis({ ...redis, maxRetriesPerRequest: null });
  const workerConnection = new Redis({ ...redis, maxRetriesPerRequest: null });
  const queue = new Queue(queueName, { connection: queueConnection });
  let worker: Worker | undefined;
  try {
    const enqueueStarted = performance.now();
    for (let index = 0; index < taskCount; index++) await queue.add('task', request);
    const enqueueMs = performance.now() - enqueueStarted;

    let finished = 0;
    let allDone: () => void = () => {};
    const drained = new Promise<void>((resolve) => (allDone = resolve));
    const drainStarted = performance.now();
    worker = new Worker(queueName, async () => undefined, {
      connection: workerConnection,
      concurrency,
    });
    worker.on('completed', () => {
      finished += 1;
      if (finished === taskCount) allDone();
    });
    await drained;
    const drainMs = performance.now() - drainStarted;
    return { name: `BullMQ ${bullmqVersion()} on Redis (baseline)`, enqueueMs, drainMs };
  } finally {
    await worker?.close();
    await queue.obliterate({ force: true });
    await queue.close();
    queueConnection.disconnect();
    workerConnection.disconnect();
  }
}

function bullmqVersion(): string {
  return (createRequire(import.meta.url)('bullmq/package.json') as { version: string }).version;
}

function perSecond(count: number, durationMs: number): number {
  return Math.round((count / durationMs) * 1000);
}

export async function run(): Promise<void> {
  console.log(
    `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ` +
      `${Math.round(totalmem() / 2 ** 30)} GiB RAM; ${taskCount} tasks, worker concurrency ${concurrency}, no-op runner`,
  );
  const results: Measurement[] = [];
  results.push(await measureSqlite('SQLite task store, synchronous=FULL (default)', { synchronous: 'full' }));
  results.push(await measureSqlite('SQLite task store, synchronous=NORMAL', { synchronous: 'normal' }));
  const postgresUrl = process.env.IMAGEGATE_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  if (await postgresAnswers(postgresUrl)) results.push(await measurePostgres(postgresUrl));
  else console.log(`PostgreSQL row skipped: nothing answers at ${postgresUrl}.`);
  const redisUp = await redisAnswersPing();
  if (redisUp) results.push(await measureBullmq());
  else console.log(`BullMQ baseline skipped: Redis is not reachable at ${redis.host}:${redis.port}.`);

  console.log('| setup | enqueue tasks/s | drain tasks/s | end to end tasks/s |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const result of results) {
    console.log(
      `| ${result.name} | ${perSecond(taskCount, result.enqueueMs)} | ${perSecond(taskCount, result.drainMs)} | ` +
        `${perSecond(taskCount, result.enqueueMs + result.drainMs)} |`,
    );
  }
  const baseline = results.find((result) => result.name.startsWith('BullMQ'));
  if (!baseline) return;
  const baselineTotalMs = baseline.enqueueMs + baseline.drainMs;
  for (const result of results.filter((each) => each !== baseline)) {
    const ratio = baselineTotalMs / (result.enqueueMs + result.drainMs);
    console.log(`${result.name}: ${ratio.toFixed(2)}× BullMQ's end-to-end throughput`);
  }
}
