/**
 * What to profile the flow runner with: the brand-asset flow run 30 times in-process (runner → durable
 * tasks in SQLite at synchronous=FULL → worker → engine → SDK → one in-process zero-latency emulator),
 * without the node cache, then the cost of one commit at FULL and at NORMAL on the same disk. Run under
 * the profiler: `node --cpu-prof --cpu-prof-dir=prof --import tsx bench/run.ts flow-profile`.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BlobStore } from '../src/blobs/index.js';
import { Imagegate } from '../src/client/index.js';
import { defaultConfig } from '../src/config/index.js';
import { startEmulator } from '../src/emulator/index.js';
import { FlowRunner, parseFlowInputs, SqliteFlowStore, validateFlowDocument } from '../src/flows/index.js';
import { GeminiProvider } from '../src/provider/gemini-provider.js';
import {
  imagegateTaskRunner,
  openSqliteDatabase,
  SqliteTaskStore,
  TaskEventHub,
  TaskWorker,
} from '../src/tasks/index.js';

const RUNS = 30;
const COMMITS = 100;

export async function run(): Promise<void> {
  const directory = await mkdtemp(join(tmpdir(), 'imagegate-bench-flow-profile-'));
  const emulator = await startEmulator();
  const imagegate = await Imagegate.create({
    provider: new GeminiProvider({ geminiApi: { apiKey: 'bench', baseUrl: emulator.url } }),
    config: defaultConfig,
  });
  const database = openSqliteDatabase(join(directory, 'tasks.sqlite'));
  const tasks = new SqliteTaskStore(database, { closeDatabase: false });
  const events = new TaskEventHub();
  const worker = new TaskWorker({
    store: tasks,
    blobs: new BlobStore({ directory: join(directory, 'blobs') }),
    events,
    run: imagegateTaskRunner(imagegate),
    concurrency: 8,
  });
  const runner = new FlowRunner({
    store: new SqliteFlowStore(database),
    tasks,
    taskEvents: events,
    onTaskCreated: () => worker.wake(),
  });
  worker.start();
  try {
    const text = readFileSync(new URL('../docs/examples/flows/brand-assets.yaml', import.meta.url), 'utf8');
    const validation = validateFlowDocument(text, { file: 'brand-assets.yaml' });
    if (!validation.ok) throw new Error('the example flow is invalid');
    const inputs = parseFlowInputs(validation.document, { brief: 'a coffee brand for night owls' });
    const runMs: number[] = [];
    for (let index = 0; index < RUNS; index += 1) {
      const started = performance.now();
      const begun = await runner.start({ document: validation.document, inputs, access: {}, noCache: true });
      const finished = await runner.waitForFinal(begun.id);
      if (finished.status !== 'succeeded') throw new Error(`run ended ${finished.status}`);
      runMs.push(performance.now() - started);
    }
    runMs.sort((a, b) => a - b);
    console.log(
      `${RUNS} flow runs, synchronous=FULL, no cache: p50 ${runMs[Math.floor(RUNS / 2)]!.toFixed(1)} ms`,
    );

    // One commit (an update in a transaction) at each setting, on the same disk as the task store.
    const probe = openSqliteDatabase(join(directory, 'commits.sqlite'));
    probe.exec("CREATE TABLE probe (id TEXT PRIMARY KEY, value TEXT); INSERT INTO probe VALUES ('a', '')");
    const update = probe.prepare("UPDATE probe SET value = ? WHERE id = 'a'");
    const commit = probe.transaction((value: string) => update.run(value));
    for (const synchronous of ['FULL', 'NORMAL'] as const) {
      probe.pragma(`synchronous = ${synchronous}`);
      const started = performance.now();
      for (let index = 0; index < COMMITS; index += 1) commit(`${synchronous}${index}`);
      console.log(
        `one commit at ${synchronous}: ${((performance.now() - started) / COMMITS).toFixed(3)} ms (mean of ${COMMITS})`,
      );
    }
    probe.close();
  } finally {
    await runner.detach();
    await worker.stop({ graceMs: 0 });
    database.close();
    await imagegate.close();
    await emulator.close();
    await rm(directory, { recursive: true, force: true });
  }
}
