/**
 * Retire drill: a pipeline whose routes start on models with announced shutdown dates keeps running
 * while the calendar crosses those dates. The server and the emulator share one calendar that the drill
 * moves a week at a time; each week submits tasks on every route and reads the guard report. It counts
 * failed tasks (the goal is none: retired models fall back to their GA successors) and how many days
 * before each shutdown the guard first warned.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock, type Clock } from '../src/clock/index.js';
import { configSchema } from '../src/config/index.js';
import { startEmulator } from '../src/emulator/index.js';
import { startServer } from '../src/server/index.js';

export interface RetireDrillOptions {
  /** First and last simulated day (ISO dates), stepped a week at a time. */
  fromDate: string;
  toDate: string;
  tasksPerRoutePerWeek: number;
  onProgress: (line: string) => void;
}

export interface RetireDrillResult {
  weeks: number;
  tasks: number;
  failed: number;
  /** Per served model: how many tasks it answered. */
  servedBy: Record<string, number>;
  /** Per dated model: its shutdown date and the first simulated day the guard warned about it. */
  warnings: Array<{
    model: string;
    shutdownDate: string;
    firstWarnedOn: string | null;
    daysAhead: number | null;
  }>;
}

const dayMs = 86_400_000;

/** Routes a team set up before the retirements, each starting on a model with a shutdown date. */
const routes = {
  legacy_thumbnails: {
    candidates: [
      { model: 'gemini-2.5-flash-image-preview' },
      { model: 'gemini-2.5-flash-image' },
      { model: 'gemini-3.1-flash-image' },
    ],
  },
  pro_posters: { candidates: [{ model: 'gemini-3-pro-image-preview' }, { model: 'gemini-3-pro-image' }] },
  flash_drafts: {
    candidates: [{ model: 'gemini-3.1-flash-image-preview' }, { model: 'gemini-3.1-flash-image' }],
  },
};

/** The system clock moved to a chosen day, still ticking, so waits and leases keep real durations. */
function movableClock(): Clock & { moveTo(atMs: number): void } {
  let offsetMs = 0;
  return {
    nowMs: () => systemClock.nowMs() + offsetMs,
    sleep: (durationMs, signal) => systemClock.sleep(durationMs, signal),
    moveTo: (atMs) => {
      offsetMs = atMs - systemClock.nowMs();
    },
  };
}

export async function retireDrill(options: RetireDrillOptions): Promise<RetireDrillResult> {
  const directory = await mkdtemp(join(tmpdir(), 'imagegate-retire-drill-'));
  const clock = movableClock();
  const startMs = Date.parse(`${options.fromDate}T12:00:00Z`);
  const endMs = Date.parse(`${options.toDate}T12:00:00Z`);
  clock.moveTo(startMs);
  const emulator = await startEmulator({ clock });
  const server = await startServer({
    config: configSchema.parse({ routes, server: { workerConcurrency: 8 } }),
    port: 0,
    dataDirectory: join(directory, 'data'),
    env: { GEMINI_API_KEY: 'retire-drill', GOOGLE_GEMINI_BASE_URL: emulator.url },
    clock,
  });
  const servedBy: Record<string, number> = {};
  const firstWarned = new Map<string, { shutdownDate: string; day: string | null }>();
  let tasks = 0;
  let failed = 0;
  let weeks = 0;
  try {
    for (let atMs = startMs; atMs <= endMs; atMs += 7 * dayMs) {
      clock.moveTo(atMs);
      const day = new Date(atMs).toISOString().slice(0, 10);
      weeks += 1;
      const statuses = await Promise.all(
        Object.keys(routes).flatMap((route) =>
          Array.from({ length: options.tasksPerRoutePerWeek }, async (_, index) => {
            const response = await fetch(`${server.url}/v1/images/generations?wait=60`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ model: route, prompt: `${route} ${day} ${index}`, image_size: '512' }),
            });
            return (await response.json()) as { status: string; served_by: { model: string } | null };
          }),
        ),
      );
      tasks += statuses.length;
      const failedThisWeek = statuses.filter((task) => task.status !== 'success').length;
      failed += failedThisWeek;
      for (const task of statuses) {
        if (task.served_by) servedBy[task.served_by.model] = (servedBy[task.served_by.model] ?? 0) + 1;
      }
      const deprecations = (await (await fetch(`${server.url}/v1/models/deprecations`)).json()) as {
        guard: { findings: Array<{ model: string; shutdown_date: string | null; level: string }> };
      };
      for (const finding of deprecations.guard.findings) {
        if (!finding.shutdown_date) continue;
        const known = firstWarned.get(finding.model) ?? { shutdownDate: finding.shutdown_date, day: null };
        if (known.day === null && finding.level !== 'ok') known.day = day;
        firstWarned.set(finding.model, known);
      }
      options.onProgress(
        `${day}: ${statuses.length} tasks, ${failedThisWeek} failed; served by ${[
          ...new Set(statuses.map((task) => task.served_by?.model ?? 'nothing')),
        ].join(', ')}`,
      );
    }
  } finally {
    await server.close();
    await emulator.close();
    await rm(directory, { recursive: true, force: true });
  }
  return {
    weeks,
    tasks,
    failed,
    servedBy,
    warnings: [...firstWarned].map(([model, { shutdownDate, day }]) => ({
      model,
      shutdownDate,
      firstWarnedOn: day,
      daysAhead: day === null ? null : Math.round((Date.parse(shutdownDate) - Date.parse(day)) / dayMs),
    })),
  };
}
