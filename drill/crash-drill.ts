/**
 * Crash drill: tasks against an emulator with latency and faults, `imagegate serve` SIGKILLed at a random
 * point, restarted on the same data directory, repeated. Counts what a crash must never cause: a task
 * lost (its id unknown after the restart), finished twice (more than one final event), or stuck (not
 * final long after the queue should have drained).
 */
import { randomInt } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScenario, startEmulator, type RunningEmulator } from '../src/emulator/index.js';
import { startServerProcess, type ServerProcess } from '../test/server/server-process.js';

export interface CrashDrillOptions {
  repetitions: number;
  tasksPerRepetition: number;
  /** How long after the restart a task may take to become final before it counts as stuck. */
  drainDeadlineMs: number;
  onProgress: (line: string) => void;
}

export interface CrashRepetition {
  repetition: number;
  tasks: number;
  /** Upstream calls answered before the kill, out of `tasks`: where the kill landed. */
  callsBeforeKill: number;
  lost: number;
  duplicated: number;
  stuck: number;
  failed: number;
  drainMs: number;
}

const finalStatuses = new Set(['success', 'failed', 'cancelled']);
// The random 429s stand for short overload, not a real limit: without a quotaValue the emulator's 429
// names Gemini's default of 10 requests per minute, which the quota pacer learns (as it should from a real
// 429), so one such answer slowed the rest of a run to 10 calls a minute.
const scenario = `
latency: { default: { medianMs: 150, p95Ms: 400 } }
errors:
  - { status: 503, rate: 0.05 }
  - { status: 429, rate: 0.02, retryDelay: 1s, quotaValue: 100000 }
`;
const serverConfig =
  'server:\n  leaseMs: 3000\n  workerConcurrency: 16\n  shutdownGraceMs: 0\n' +
  // Short waits between runs of a failed task: the drill measures crashes, not backoff.
  'defaults:\n  retry: { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000, maxTotalWaitMs: 20000 }\n';

export async function crashDrill(options: CrashDrillOptions): Promise<CrashRepetition[]> {
  const results: CrashRepetition[] = [];
  for (let repetition = 1; repetition <= options.repetitions; repetition += 1) {
    const result = await oneRepetition(repetition, options);
    options.onProgress(
      `run ${repetition}/${options.repetitions}: killed after ${result.callsBeforeKill} calls; ` +
        `lost ${result.lost}, duplicated ${result.duplicated}, stuck ${result.stuck}, failed ${result.failed}, ` +
        `drained in ${(result.drainMs / 1000).toFixed(1)} s`,
    );
    results.push(result);
  }
  return results;
}

async function oneRepetition(repetition: number, options: CrashDrillOptions): Promise<CrashRepetition> {
  const directory = await mkdtemp(join(tmpdir(), 'imagegate-crash-drill-'));
  const emulator = await startEmulator({ scenario: parseScenario(scenario, 'crash-drill.yaml') });
  const servers: ServerProcess[] = [];
  try {
    const configPath = join(directory, 'imagegate.config.yaml');
    await writeFile(configPath, serverConfig);
    const env = { GEMINI_API_KEY: 'crash-drill', GOOGLE_GEMINI_BASE_URL: emulator.url };
    const args = ['--config', configPath, '--data-dir', join(directory, 'data')];
    const first = await startServerProcess({ args, env, cwd: directory });
    servers.push(first);
    const ids = await submitAll(first.url, options.tasksPerRepetition);
    // Anywhere from a tenth to nine tenths of the way through.
    const killAfterCalls = randomInt(
      Math.ceil(options.tasksPerRepetition / 10),
      Math.ceil((options.tasksPerRepetition * 9) / 10),
    );
    while (answeredCalls(emulator) < killAfterCalls) await pause(10);
    first.child.kill('SIGKILL');
    await first.exited;
    const callsBeforeKill = answeredCalls(emulator);

    const restartedAtMs = Date.now();
    const second = await startServerProcess({ args, env, cwd: directory });
    servers.push(second);
    const views = await waitForAll(second.url, ids, restartedAtMs + options.drainDeadlineMs);
    const drainMs = Date.now() - restartedAtMs;
    let lost = 0;
    let stuck = 0;
    let failed = 0;
    for (const view of views) {
      if (view === 'missing') lost += 1;
      else if (!finalStatuses.has(view.status)) stuck += 1;
      else if (view.status !== 'success') failed += 1;
    }
    const finalEvents = await mapLimit(ids, 32, async (id) => {
      const text = await (await fetch(`${second.url}/v1/tasks/${id}/events`)).text();
      return [...text.matchAll(/^event: (success|failed|cancelled)$/gm)].length;
    });
    const duplicated = finalEvents.filter((count) => count > 1).length;
    return {
      repetition,
      tasks: ids.length,
      callsBeforeKill,
      lost,
      duplicated,
      stuck,
      failed,
      drainMs,
    };
  } finally {
    for (const server of servers) if (server.child.exitCode === null) server.child.kill('SIGKILL');
    await Promise.all(servers.map((server) => server.exited));
    await emulator.close();
    await rm(directory, { recursive: true, force: true });
  }
}

async function submitAll(url: string, count: number): Promise<string[]> {
  return mapLimit(
    Array.from({ length: count }, (_, index) => index),
    64,
    async (index) => {
      const response = await fetch(`${url}/v1/images/generations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'image_fast', prompt: `crash drill ${index}`, image_size: '512' }),
      });
      if (response.status !== 202) throw new Error(`submit ${index}: HTTP ${response.status}`);
      return ((await response.json()) as { id: string }).id;
    },
  );
}

type TaskState = { status: string } | 'missing';

async function waitForAll(url: string, ids: string[], deadlineMs: number): Promise<TaskState[]> {
  const states = new Map<string, TaskState>();
  let pending = ids;
  while (pending.length > 0 && Date.now() < deadlineMs) {
    const read = await mapLimit(pending, 32, async (id) => {
      const response = await fetch(`${url}/v1/tasks/${id}`);
      const state: TaskState =
        response.status === 404
          ? 'missing'
          : { status: ((await response.json()) as { status: string }).status };
      return [id, state] as const;
    });
    for (const [id, state] of read) states.set(id, state);
    pending = pending.filter((id) => {
      const state = states.get(id);
      return state !== 'missing' && state !== undefined && !finalStatuses.has(state.status);
    });
    if (pending.length > 0) await pause(250);
  }
  return ids.map((id) => states.get(id) ?? 'missing');
}

function answeredCalls(emulator: RunningEmulator): number {
  return Object.values(emulator.stats.snapshot().models).reduce((sum, model) => sum + model.calls, 0);
}

async function mapLimit<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next;
        next += 1;
        results[index] = await work(items[index]!);
      }
    }),
  );
  return results;
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
