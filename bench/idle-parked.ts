/**
 * Idle cost behind an outage: 100,000 queued tasks parked until a trial an hour away (as the worker parks
 * a route whose circuits are all open), a `TaskWorker` with the default settings polling the SQLite store
 * (a file, `synchronous=FULL`) for 10 s of wall time. Reports the worker's CPU time as a share of one core,
 * the time of one claim query, and the process's resident memory. Named baseline, measured in the same
 * run: the same 10 s with the process idle (no worker).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { BlobStore } from '../src/blobs/index.js';
import { newTaskId, openSqliteDatabase, SqliteTaskStore, TaskWorker } from '../src/tasks/index.js';

const TASKS = Number(process.env.IDLE_BENCH_TASKS ?? 100_000);
const WINDOW_MS = 10_000;

function cpuShare(run: () => Promise<void>): Promise<number> {
  const before = process.cpuUsage();
  const started = performance.now();
  return run().then(() => {
    const used = process.cpuUsage(before);
    return (used.user + used.system) / 1000 / (performance.now() - started);
  });
}

export async function run(): Promise<void> {
  const directory = await mkdtemp(join(tmpdir(), 'imagegate-bench-idle-'));
  // Filling 100k rows one commit each at FULL would take minutes: fill at NORMAL, then reopen at FULL.
  const path = join(directory, 'tasks.sqlite');
  const filling = new SqliteTaskStore(openSqliteDatabase(path, { synchronous: 'normal' }));
  const nowMs = Date.now();
  for (let index = 0; index < TASKS; index += 1) {
    await filling.create({
      id: newTaskId(nowMs + index),
      request: {
        model: 'image_fast',
        prompt: `parked ${index}`,
        outputFormat: 'png',
        references: [],
        history: [],
        imageCount: 1,
      },
      metadata: {},
      createdAtMs: nowMs,
    });
  }
  const parked = await filling.parkQueued('image_fast', nowMs + 3_600_000, nowMs);
  await filling.close();

  const store = new SqliteTaskStore(openSqliteDatabase(path));
  const worker = new TaskWorker({
    store,
    blobs: new BlobStore({ directory: join(directory, 'blobs') }),
    run: () => Promise.reject(new Error('no task is due')),
    onError: () => {},
  });
  try {
    const idle = await cpuShare(() => sleep(WINDOW_MS));
    const polling = await cpuShare(async () => {
      worker.start();
      await sleep(WINDOW_MS);
      await worker.stop();
    });
    const claims: number[] = [];
    for (let index = 0; index < 50; index += 1) {
      const started = performance.now();
      if (await store.claim('bench', Date.now(), 30_000)) throw new Error('a parked task was claimed');
      claims.push(performance.now() - started);
    }
    claims.sort((a, b) => a - b);
    console.log(
      `${parked.toLocaleString('en')} queued tasks parked an hour ahead; ${WINDOW_MS / 1000} s windows`,
    );
    console.log('| process | CPU, share of one core | note |');
    console.log('| --- | ---: | --- |');
    console.log(`| baseline: idle | ${(100 * idle).toFixed(2)} % | – |`);
    console.log(
      `| TaskWorker polling (default 250 ms) | ${(100 * polling).toFixed(2)} % | claim query with nothing due: median ${claims[25]!.toFixed(3)} ms, max ${claims.at(-1)!.toFixed(3)} ms |`,
    );
    console.log(
      `goal CPU < 5 % of a core: ${polling < 0.05 ? 'met' : 'missed'} (${(100 * polling).toFixed(2)} %; ${(polling / Math.max(idle, 1e-6)).toFixed(1)}x the idle process); issue 12 when filed: ~85 failed runs/s on 95 % of a core`,
    );
    console.log(
      `load average ${loadavg()
        .map((value) => value.toFixed(2))
        .join(' ')}`,
    );
    console.log(`RSS after: ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB (the bench process)`);
  } finally {
    await store.close();
    await rm(directory, { recursive: true, force: true });
  }
}
