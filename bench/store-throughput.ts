/**
 * Tasks per second through the durable task store: enqueue N tasks, then drain them with a worker
 * (concurrency 8) whose runner does nothing, so the figure is the store's and the worker's own cost.
 * PostgreSQL (IMAGEGATE_BENCH_POSTGRES_URL, default the local test database) in a schema of its own,
 * durable (`synchronous_commit=on`) and not, after timing one durable commit at a time on its disk.
 * Baseline in the same run: BullMQ (Queue + Worker, concurrency 8, a no-op processor) on the local Redis,
 * the queue the design names for multi-instance deployments. Skipped with a message when Redis is not
 * reachable.
 *
 * A second part (issue 12, item 4) repeats SQLite and BullMQ with a realistic reply: each task's runner
 * returns one distinct 1K PNG from the emulator's art (313 KB; the 542 KB was a reply's base64
 * JSON), which the worker writes to the blob store with its fsyncs; BullMQ's processor returns the same bytes
 * as base64, which Redis keeps as the job's result. Fewer tasks (`replyTaskCount`) so Redis holds them all in memory.
 *
 * A third part repeats the no-op rows for SQLite FULL and BullMQ with `submitterCount` concurrent submitters,
 * each waiting for its previous answer, as HTTP clients would: SQLite's group commit then takes several
 * creates per fsync. The one-by-one rows stay, as before.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { crc32 } from 'node:zlib';
import { createConnection } from 'node:net';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { BlobStore } from '../src/blobs/index.js';
import { renderImage } from '../src/emulator/art/index.js';
import type { GenerationResult } from '../src/client/index.js';
import {
  loadPostgresAdapter,
  newTaskId,
  openSqliteDatabase,
  SqliteTaskStore,
  TaskWorker,
  type SqliteDatabaseOptions,
  type TaskRequest,
  type TaskStore,
} from '../src/tasks/index.js';

const { migratePostgres, openPostgresPool, postgresConnectionConfig, PostgresTaskStore } =
  await loadPostgresAdapter();

const taskCount = 2_000;
const concurrency = 8;
/** Submitters at once in the concurrent rows, as HTTP clients would submit (the worker's concurrency too). */
const submitterCount = 8;
const replyTaskCount = 300;
// A 1K PNG from the emulator's art (about 542 KB, rendered once in run()); each reply is that PNG with a
// tEXt chunk holding a counter after its header, so every blob is distinct and still a valid PNG.
let replyTemplate: Buffer = Buffer.alloc(0);
let replySerial = 0;

function nextReply(): Buffer {
  const text = Buffer.from(`serial\0${++replySerial}`, 'latin1');
  const chunk = Buffer.alloc(12 + text.length);
  chunk.writeUInt32BE(text.length, 0);
  chunk.write('tEXt', 4, 'latin1');
  text.copy(chunk, 8);
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + text.length)), 8 + text.length);
  // Signature (8 bytes) and IHDR (25 bytes), then the new chunk, then the rest.
  return Buffer.concat([replyTemplate.subarray(0, 33), chunk, replyTemplate.subarray(33)]);
}

function replyResult(): GenerationResult {
  const bytes = nextReply();
  return {
    ...noOpResult,
    images: [
      {
        bytes,
        mimeType: 'image/png',
        width: 1024,
        height: 1024,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      },
    ],
  };
}
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

interface Workload {
  count: number;
  result: () => GenerationResult;
  /** How many submit at once; 1: one by one, each waiting for the previous one's answer. */
  submitters: number;
}
const noOpWorkload: Workload = { count: taskCount, result: () => noOpResult, submitters: 1 };
const concurrentNoOpWorkload: Workload = { ...noOpWorkload, submitters: submitterCount };
const replyWorkload: Workload = { count: replyTaskCount, result: replyResult, submitters: 1 };

/** Calls `submit` `count` times from `submitters` loops at once, each waiting for its previous answer. */
async function submitAll(count: number, submitters: number, submit: () => Promise<unknown>): Promise<void> {
  let submitted = 0;
  const submitter = async () => {
    while (submitted < count) {
      submitted += 1;
      await submit();
    }
  };
  await Promise.all(Array.from({ length: submitters }, submitter));
}

async function measureSqlite(
  name: string,
  databaseOptions: SqliteDatabaseOptions,
  workload: Workload = noOpWorkload,
): Promise<Measurement> {
  const folder = await mkdtemp(join(tmpdir(), 'imagegate-bench-store-'));
  const store = new SqliteTaskStore(openSqliteDatabase(join(folder, 'tasks.db'), databaseOptions));
  try {
    return await measureStore(name, store, folder, workload);
  } finally {
    await store.close();
    await rm(folder, { recursive: true, force: true });
  }
}

/**
 * PostgreSQL in a schema of its own, dropped after: with its default durability (`synchronous_commit=on`,
 * every commit flushed to disk before it answers), or without (`off`: a crash may lose the last commits),
 * to show what the flushes cost, as the two SQLite rows do.
 */
async function measurePostgres(url: string, synchronousCommit: 'on' | 'off'): Promise<Measurement> {
  const schema = `imagegate_bench_${randomBytes(4).toString('hex')}`;
  const connection = postgresConnectionConfig(url, { schema });
  // Set on every connection at its start, as a server setting would be.
  const pool = new pg.Pool({
    ...connection,
    options: `${connection.options ?? ''} -c synchronous_commit=${synchronousCommit}`,
    max: concurrency + 2,
  });
  const folder = await mkdtemp(join(tmpdir(), 'imagegate-bench-store-'));
  try {
    await migratePostgres(pool, { schema });
    const version = (await pool.query<{ server_version: string }>('SHOW server_version')).rows[0]
      ?.server_version;
    if (synchronousCommit === 'on') await printCommitFloor(pool);
    return await measureStore(
      `PostgreSQL ${version ?? ''} task store (synchronous_commit=${synchronousCommit})`,
      new PostgresTaskStore(pool, { closePool: false }),
      folder,
    );
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pool.end();
    await rm(folder, { recursive: true, force: true });
  }
}

/**
 * How long one durable commit of one small row takes when commits come one at a time, as the enqueue's
 * creates and the worker's claims do: no store can make those two loops faster than this.
 */
async function printCommitFloor(pool: pg.Pool): Promise<void> {
  const commits = 300;
  await pool.query('CREATE TABLE commit_floor (n integer)');
  const started = performance.now();
  for (let index = 0; index < commits; index++) {
    await pool.query('INSERT INTO commit_floor VALUES ($1)', [index]);
  }
  const commitMs = (performance.now() - started) / commits;
  await pool.query('DROP TABLE commit_floor');
  console.log(
    `PostgreSQL: one durable single-row commit at a time takes ${commitMs.toFixed(2)} ms ` +
      `(at most ${Math.round(1000 / commitMs)} serial commits/s on this disk now)`,
  );
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

async function measureStore(
  name: string,
  store: TaskStore,
  folder: string,
  workload: Workload = noOpWorkload,
): Promise<Measurement> {
  {
    const taskCount = workload.count;
    const enqueueStarted = performance.now();
    await submitAll(taskCount, workload.submitters, async () => {
      const createdAtMs = Date.now();
      await store.create({ id: newTaskId(createdAtMs), request, metadata: {}, createdAtMs });
    });
    const enqueueMs = performance.now() - enqueueStarted;

    let finished = 0;
    let allDone: () => void = () => {};
    const drained = new Promise<void>((resolve) => (allDone = resolve));
    const worker = new TaskWorker({
      store,
      blobs: new BlobStore({ directory: join(folder, 'blobs') }),
      run: async () => workload.result(),
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
    if (left !== 1) {
      const failed = (await store.list({ status: 'failed', limit: 1 })).tasks[0];
      throw new Error(`the drain finished without successful tasks: ${JSON.stringify(failed?.error)}`);
    }
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

async function measureBullmq(workload: Workload = noOpWorkload): Promise<Measurement> {
  const taskCount = workload.count;
  const withReply = workload === replyWorkload;
  const queueName = `imagegate-bench-${randomBytes(4).toString('hex')}`;
  // Under native ESM, BullMQ takes ready-made clients rather than connection options.
  const queueConnection = new Redis({ ...redis, maxRetriesPerRequest: null });
  const workerConnection = new Redis({ ...redis, maxRetriesPerRequest: null });
  const queue = new Queue(queueName, { connection: queueConnection });
  let worker: Worker | undefined;
  try {
    const enqueueStarted = performance.now();
    await submitAll(taskCount, workload.submitters, () => queue.add('task', request));
    const enqueueMs = performance.now() - enqueueStarted;

    let finished = 0;
    let allDone: () => void = () => {};
    const drained = new Promise<void>((resolve) => (allDone = resolve));
    const drainStarted = performance.now();
    worker = new Worker(queueName, async () => (withReply ? nextReply().toString('base64') : undefined), {
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

function printTable(results: Measurement[], count: number): void {
  console.log('| setup | enqueue tasks/s | drain tasks/s | end to end tasks/s | ratio to BullMQ |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  const baseline = results.find((result) => result.name.startsWith('BullMQ'));
  for (const result of results) {
    const ratio = baseline
      ? `${((baseline.enqueueMs + baseline.drainMs) / (result.enqueueMs + result.drainMs)).toFixed(2)}x`
      : '–';
    console.log(
      `| ${result.name} | ${perSecond(count, result.enqueueMs)} | ${perSecond(count, result.drainMs)} | ` +
        `${perSecond(count, result.enqueueMs + result.drainMs)} | ${ratio} |`,
    );
  }
  console.log(
    `load average ${loadavg()
      .map((value) => value.toFixed(2))
      .join(' ')}`,
  );
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
  if (await postgresAnswers(postgresUrl)) {
    results.push(await measurePostgres(postgresUrl, 'on'));
    results.push(await measurePostgres(postgresUrl, 'off'));
  } else console.log(`PostgreSQL row skipped: nothing answers at ${postgresUrl}.`);
  const redisUp = await redisAnswersPing();
  if (redisUp) results.push(await measureBullmq());
  else console.log(`BullMQ baseline skipped: Redis is not reachable at ${redis.host}:${redis.port}.`);

  printTable(results, taskCount);
  printGoal('FULL ≥ 0.8x BullMQ (no-op, submitted one by one)', 0.8, results);
  printGoal('PostgreSQL (synchronous_commit=on) ≥ 0.5x BullMQ', 0.5, results, 'synchronous_commit=on');

  console.log(`\nthe same, submitted by ${submitterCount} concurrent submitters (as HTTP clients would)`);
  const concurrent: Measurement[] = [];
  concurrent.push(
    await measureSqlite(
      'SQLite task store, synchronous=FULL (default)',
      { synchronous: 'full' },
      concurrentNoOpWorkload,
    ),
  );
  if (redisUp) concurrent.push(await measureBullmq(concurrentNoOpWorkload));
  printTable(concurrent, taskCount);
  printGoal(`FULL ≥ 0.8x BullMQ (no-op, ${submitterCount} submitters)`, 0.8, concurrent);

  replyTemplate = await renderImage({
    family: 'gemini-3.1-flash-image',
    modelId: 'gemini-3.1-flash-image',
    prompt: 'A lighthouse at dawn',
    seed: 1,
    width: 1024,
    height: 1024,
    mimeType: 'image/png',
    referenceImages: [],
  });
  console.log(
    `\nrealistic reply: ${replyTaskCount} tasks, each returning a distinct ${Math.round(replyTemplate.length / 1024)} KB PNG (blob store with fsync; BullMQ keeps it as base64)`,
  );
  const replies: Measurement[] = [];
  replies.push(
    await measureSqlite(
      'SQLite task store, synchronous=FULL (default)',
      { synchronous: 'full' },
      replyWorkload,
    ),
  );
  replies.push(
    await measureSqlite('SQLite task store, synchronous=NORMAL', { synchronous: 'normal' }, replyWorkload),
  );
  if (redisUp) replies.push(await measureBullmq(replyWorkload));
  printTable(replies, replyTaskCount);
  printGoal('FULL ≥ 1.0x BullMQ (realistic reply)', 1, replies);
}

/** The goal's verdict: SQLite FULL end to end against the BullMQ row of the same table. */
/** Prints whether the row named by `subject` (FULL SQLite by default) reaches `minimumRatio` of BullMQ's rate. */
function printGoal(goal: string, minimumRatio: number, results: Measurement[], subject = 'FULL'): void {
  const measured = results.find((result) => result.name.includes(subject));
  const baseline = results.find((result) => result.name.startsWith('BullMQ'));
  if (!measured || !baseline) return;
  const ratio = (baseline.enqueueMs + baseline.drainMs) / (measured.enqueueMs + measured.drainMs);
  console.log(`goal ${goal}: ${ratio >= minimumRatio ? 'met' : 'missed'} (${ratio.toFixed(2)}x)`);
}
