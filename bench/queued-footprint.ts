/**
 * Issue 12, item 5's footprint goals, in one run:
 * - database per finished task: tasks run to success through a running server (`startServer`, SQLite with
 *   `synchronous=FULL`, zero-latency in-process emulator, `?wait`, 8 at a time), then the database file's
 *   growth after a WAL checkpoint, per task, blobs excluded. Baseline in the same run: the same server's
 *   empty database; the issue's figure (0.84 KB per task when filed) and goal (≤ 1 KB) are printed beside it.
 * - RSS of a server with 100,000 queued tasks: `imagegate serve` from the built package (`dist/`, run
 *   `npm run build` first), its data directory holding 100k queued tasks parked an hour ahead and its
 *   upstream refusing connections (an outage), after 15 s; peak (VmHWM) and current (VmRSS) from /proc.
 *   Baseline in the same run: the same command on an empty data directory. Goal ≤ 150 MB (227 MB peak when
 *   filed, for 100k submits).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { defaultConfig } from '../src/config/index.js';
import { startEmulator } from '../src/emulator/index.js';
import { startServer } from '../src/server/index.js';
import { newTaskId, openSqliteDatabase, SqliteTaskStore } from '../src/tasks/index.js';

const FINISHED = Number(process.env.FOOTPRINT_BENCH_FINISHED ?? 400);
const QUEUED = Number(process.env.FOOTPRINT_BENCH_QUEUED ?? 100_000);
const SETTLE_MS = 15_000;
const main = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));

async function databaseBytes(path: string): Promise<number> {
  const database = new Database(path);
  database.pragma('wal_checkpoint(TRUNCATE)');
  database.close();
  const sizes = await Promise.all(
    ['', '-wal'].map((suffix) =>
      stat(path + suffix).then(
        (file) => file.size,
        () => 0,
      ),
    ),
  );
  return sizes.reduce((sum, size) => sum + size, 0);
}

async function finishedTaskKilobytes(directory: string): Promise<{ empty: number; perTask: number }> {
  const emulator = await startEmulator();
  const dataDirectory = join(directory, 'finished');
  const server = await startServer({
    config: defaultConfig,
    port: 0,
    dataDirectory,
    env: { GEMINI_API_KEY: 'bench', GOOGLE_GEMINI_BASE_URL: emulator.url },
    onError: (error) => console.error(error),
  });
  const path = join(dataDirectory, 'tasks.sqlite');
  let empty: number;
  try {
    empty = await databaseBytes(path);
    let next = 0;
    const submitter = async () => {
      while (next < FINISHED) {
        const index = next++;
        const response = await fetch(`${server.url}/v1/images/generations?wait=60`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'image_fast', prompt: `footprint ${index}`, image_size: '1K' }),
        });
        const task = (await response.json()) as { status: string };
        if (task.status !== 'success') throw new Error(`task ${index} ended ${task.status}`);
      }
    };
    await Promise.all(Array.from({ length: 8 }, submitter));
  } finally {
    await server.close();
    await emulator.close();
  }
  const full = await databaseBytes(path);
  return { empty: empty / 1024, perTask: (full - empty) / 1024 / FINISHED };
}

async function fillQueued(dataDirectory: string): Promise<void> {
  const nowMs = Date.now();
  // One commit each at FULL would take minutes: fill at NORMAL (the server reopens it at FULL).
  const store = new SqliteTaskStore(
    openSqliteDatabase(join(dataDirectory, 'tasks.sqlite'), { synchronous: 'normal' }),
  );
  for (let index = 0; index < QUEUED; index += 1) {
    await store.create({
      id: newTaskId(nowMs + index),
      request: {
        model: 'image_fast',
        prompt: `queued ${index}`,
        outputFormat: 'png',
        references: [],
        history: [],
        imageCount: 1,
      },
      metadata: {},
      createdAtMs: nowMs,
    });
  }
  await store.parkQueued('image_fast', nowMs + 3_600_000, nowMs);
  await store.close();
}

/** `imagegate serve` on `dataDirectory` for SETTLE_MS, upstream refusing connections; RSS from /proc in MB. */
async function serveRss(directory: string, dataDirectory: string): Promise<{ peak: number; now: number }> {
  const child = spawn(process.execPath, [main, 'serve', '--port', '0', '--data-dir', dataDirectory], {
    cwd: directory,
    env: {
      PATH: process.env.PATH,
      GEMINI_API_KEY: 'bench',
      // Port 9 (discard) is closed here: every call fails to connect, as in an outage.
      GOOGLE_GEMINI_BASE_URL: 'http://127.0.0.1:9',
    },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  try {
    await sleep(SETTLE_MS);
    if (child.exitCode !== null) throw new Error(`imagegate serve exited ${child.exitCode}`);
    const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
    const kilobytes = (field: string) =>
      Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
    return { peak: kilobytes('VmHWM') / 1024, now: kilobytes('VmRSS') / 1024 };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

export async function run(): Promise<void> {
  const directory = await mkdtemp(join(tmpdir(), 'imagegate-bench-footprint-'));
  try {
    const load = () =>
      loadavg()
        .map((value) => value.toFixed(2))
        .join(' ');
    const finished = await finishedTaskKilobytes(directory);
    console.log(
      `database per finished task (${FINISHED} tasks through the server, 1K images; load average ${load()})`,
    );
    console.log('| database | KB | KB per finished task | ratio to goal (1 KB) |');
    console.log('| --- | ---: | ---: | ---: |');
    console.log(`| baseline: the empty database | ${finished.empty.toFixed(1)} | – | – |`);
    console.log(`| issue 12 when filed | – | 0.84 | 0.84x |`);
    console.log(
      `| after ${FINISHED} finished tasks (blobs excluded) | ${(finished.empty + finished.perTask * FINISHED).toFixed(1)} | ${finished.perTask.toFixed(2)} | ${finished.perTask.toFixed(2)}x (${finished.perTask <= 1 ? 'met' : 'missed'}) |`,
    );

    if (!existsSync(main)) {
      console.log('RSS with queued tasks: skipped, dist/cli/main.js is missing; run `npm run build` first');
      return;
    }
    const emptyData = join(directory, 'empty');
    const queuedData = join(directory, 'queued');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(emptyData, { recursive: true });
    await mkdir(queuedData, { recursive: true });
    await fillQueued(queuedData);
    const empty = await serveRss(directory, emptyData);
    const queued = await serveRss(directory, queuedData);
    console.log(
      `imagegate serve RSS after ${SETTLE_MS / 1000} s, upstream refusing connections (load average ${load()})`,
    );
    console.log('| server | peak RSS | RSS | peak ratio to empty | goal ≤ 150 MB |');
    console.log('| --- | ---: | ---: | ---: | --- |');
    console.log(
      `| baseline: empty data directory | ${empty.peak.toFixed(0)} MB | ${empty.now.toFixed(0)} MB | 1.00x | – |`,
    );
    console.log(
      `| ${QUEUED.toLocaleString('en')} queued tasks, parked | ${queued.peak.toFixed(0)} MB | ${queued.now.toFixed(0)} MB | ${(queued.peak / empty.peak).toFixed(2)}x | ${queued.peak <= 150 ? 'met' : `missed by ${(queued.peak - 150).toFixed(0)} MB`} |`,
    );
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
