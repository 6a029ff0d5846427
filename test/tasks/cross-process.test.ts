import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { temporaryDatabasePaths } from '../../src/tasks/test-support/temporary-database-paths.js';
import { newTaskId, openSqliteDatabase, SqliteTaskStore, type TaskStore } from '../../src/tasks/index.js';

const startMs = Date.UTC(2026, 3, 1);
const claimerScript = join(import.meta.dirname, 'claimer-process.ts');

interface Claimer {
  ready: Promise<void>;
  go(): void;
  firstLine: Promise<string[]>;
  exited: Promise<number | null>;
  kill(): void;
}

function startClaimer(databasePath: string, workerId: string, nowMs: number, mode: string): Claimer {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', claimerScript, databasePath, workerId, String(nowMs), mode],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  let output = '';
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const firstLine = new Promise<string[]>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.startsWith('ready\n')) {
        output = output.slice('ready\n'.length);
        markReady();
      }
      const newline = output.indexOf('\n');
      if (newline >= 0) resolve(JSON.parse(output.slice(0, newline)) as string[]);
    });
    child.once('exit', (code) =>
      reject(new Error(`claimer ${workerId} exited with ${code} before reporting`)),
    );
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    ready,
    go: () => child.stdin.end('go\n'),
    firstLine,
    exited,
    kill: () => child.kill('SIGKILL'),
  };
}

async function seed(store: TaskStore, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const createdAtMs = startMs + index;
    const { task } = await store.create({
      id: newTaskId(createdAtMs),
      request: {
        model: 'image_fast',
        prompt: `task ${index}`,
        outputFormat: 'png',
        references: [],
        history: [],
        imageCount: 1,
      },
      metadata: {},
      createdAtMs,
    });
    ids.push(task.id);
  }
  return ids;
}

describe('task store across OS processes', () => {
  const databasePath = temporaryDatabasePaths('imagegate-cross-process-');

  it('three processes draining one file never claim a task twice', async () => {
    const path = await databasePath();
    const store = new SqliteTaskStore(openSqliteDatabase(path));
    const ids = await seed(store, 200);
    await store.close();

    const claimers = ['a', 'b', 'c'].map((name) =>
      startClaimer(path, `worker-${name}`, startMs + 1_000, 'drain'),
    );
    await Promise.all(claimers.map((claimer) => claimer.ready));
    for (const claimer of claimers) claimer.go();
    const claimedByProcess = await Promise.all(claimers.map((claimer) => claimer.firstLine));
    const claimed = claimedByProcess.flat();
    expect(await Promise.all(claimers.map((claimer) => claimer.exited))).toEqual([0, 0, 0]);

    expect(claimed).toHaveLength(ids.length);
    expect(new Set(claimed)).toEqual(new Set(ids));
  });

  it("a killed process's task runs again once its lease has expired", async () => {
    const path = await databasePath();
    const store = new SqliteTaskStore(openSqliteDatabase(path));
    const [id] = await seed(store, 1);

    const doomed = startClaimer(path, 'worker-doomed', startMs, 'claim-one-and-wait');
    expect(await doomed.firstLine).toEqual([id]);
    doomed.kill();
    await doomed.exited;

    expect(await store.get(id!)).toMatchObject({ status: 'processing', leaseOwner: 'worker-doomed' });
    expect(await store.claim('worker-survivor', startMs + 29_999, 30_000)).toBeUndefined();
    const reclaimed = await store.claim('worker-survivor', startMs + 30_000, 30_000);
    expect(reclaimed?.lease).toEqual({ taskId: id, workerId: 'worker-survivor', fencingToken: 2 });
    await store.close();
  });
});
