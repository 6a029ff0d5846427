import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { redisAvailable, testRedisUrl } from '../../src/coordination/test-support/temporary-redis.js';
import { postgresAvailable } from '../../src/tasks/test-support/temporary-postgres.js';
import type { ServerProcess } from '../server/server-process.js';
import { parseSse, type SseFrame } from '../support/parse-sse.js';
import { parseJsonText, taskSchema } from '../support/read-json.js';
import { waitUntil } from '../support/wait-until.js';
import {
  emulatorOutcomes,
  mapInBatches,
  serveClusterFixture,
  submitRoundRobin,
  waitUntilAllFinal,
  type ApiTask,
} from './serve-cluster.js';

const TASKS = Number(process.env.IMAGEGATE_THREE_PROCESS_TASKS ?? 2_000);
/** The emulator's per-minute quota, and the limit the instances are configured with: half the tasks. */
const QUOTA_RPM = Math.ceil(TASKS / 2);
/**
 * Few enough calls in flight that the emulator (in this test process) answers within the pacer's arrival
 * allowance on a loaded two-core machine (see docs/deployment.md on quota pacing).
 */
const WORKER_CONCURRENCY = 4;
/**
 * Short, so the killed instance's tasks are taken over by the others within seconds; long enough that a
 * survivor renews its leases (every third of it) on a loaded machine.
 */
const LEASE_MS = 5_000;
/** Tasks whose events a survivor streams from submission on, spread over the half that waits for the quota. */
const STREAMED_TASKS = 40;
/** Requests the test keeps open at once while it reads events and images back. */
const READS_IN_PARALLEL = 20;

const available = (await postgresAvailable()) && (await redisAvailable());

describe.skipIf(!available)('three serve processes on one PostgreSQL, one Redis and one S3 bucket', () => {
  const startCluster = serveClusterFixture('imagegate_three');

  it(`${TASKS} tasks under one per-minute quota, one instance SIGKILLed mid-drain: each ends once, the quota holds, every survivor serves every image and event`, async () => {
    const { servers, emulator } = await startCluster({
      instances: 3,
      s3: true,
      redisUrl: testRedisUrl,
      scenarioYaml: `latency: { default: { medianMs: 100, p95Ms: 200 } }\nquotas:\n  - { model: '*', rpm: ${QUOTA_RPM} }\n`,
      configYaml: [
        'limits:',
        `  - { platform: gemini-api, requestsPerMinute: ${QUOTA_RPM} }`,
        'server:',
        `  workerConcurrency: ${WORKER_CONCURRENCY}`,
        `  leaseMs: ${LEASE_MS}`,
        '  shutdownGraceMs: 0',
        '',
      ].join('\n'),
    });
    const [a, b, doomed] = servers as [ServerProcess, ServerProcess, ServerProcess];
    const survivors = [a, b];
    const startedMs = performance.now();
    const seconds = () => ((performance.now() - startedMs) / 1000).toFixed(0);
    const ids = await submitRoundRobin(servers, TASKS, { prompt: 'three' });
    const submittedAfter = seconds();

    // Most of these are still queued behind the first minute's quota when their stream opens, so each
    // survivor follows live the tasks that any instance (the doomed one included) runs.
    const secondHalf = ids.slice(Math.ceil(TASKS / 2));
    const step = Math.max(1, Math.floor(secondHalf.length / STREAMED_TASKS));
    const streams = secondHalf
      .filter((_, index) => index % step === 0)
      .map((id, index) => {
        const on = survivors[index % 2]!;
        const text = eventsText(on, id);
        // Read after the drain; a stream that fails before then fails the test there, not as unhandled.
        text.catch(() => undefined);
        return { id, on, text };
      });

    // Mid-drain: a quarter of the calls answered, the rest queued or in flight. The doomed instance stays
    // dead; its leased tasks are claimed again by the survivors once their leases expire.
    await waitUntil(() => emulatorOutcomes(emulator).ok >= TASKS / 4, {
      what: `a quarter of the ${TASKS} upstream calls before the kill`,
      timeoutMs: 120_000,
    });
    doomed.child.kill('SIGKILL');
    expect(await doomed.exited).toBe('SIGKILL');
    expect(emulatorOutcomes(emulator).ok).toBeLessThan(TASKS);
    const killedAfter = seconds();

    // The second half cannot start before the first half's minute has passed. Deadline: 5 minutes.
    const tasks = await waitUntilAllFinal(a.url, 300_000);
    const drainedAfter = seconds();
    expect(tasks).toHaveLength(TASKS);
    expect(new Set(tasks.map((task) => task.id))).toEqual(new Set(ids));
    expect(tasks.filter((task) => task.status !== 'success')).toEqual([]);

    // Every task's events, replayed by b: each ended once (one `success`).
    const replays = new Map(
      await mapInBatches(
        ids,
        READS_IN_PARALLEL,
        async (id) => [id, parseSse(await eventsText(b, id))] as const,
      ),
    );
    // A run is lost when the task's next step is another claim (not a reschedule, not its end): its
    // worker died or stopped renewing the lease, and the task was claimed again once the lease expired.
    // Every task the doomed instance held when it died is such an orphan, taken over by a survivor.
    const lost = [...replays].flatMap(([id, frames]) => {
      expect(
        frames.filter((frame) => frame.event === 'success'),
        id,
      ).toHaveLength(1);
      return lostRuns(frames).map((run) => ({ id, ...run }));
    });
    for (const { id, takeover } of lost) expect(takeover.reclaimedAfterLeaseExpiry, id).toBe(true);
    const orphans = lost.filter(({ run }) => ranOn(run, doomed));
    expect(orphans.length).toBeGreaterThan(0);
    expect(orphans.length).toBeLessThanOrEqual(WORKER_CONCURRENCY);
    for (const { id, takeover } of orphans) {
      expect(
        survivors.some((server) => ranOn(takeover, server)),
        id,
      ).toBe(true);
    }

    // Exactly once upstream too: one successful call per task, plus at most one per lost run. The doomed
    // instance may have had an orphan's answer (and recorded it as an attempt) without committing the
    // task; its successor calls again. Only tasks with a lost run have a second successful attempt.
    const answeredTwice = tasks.filter((task) => successfulAttempts(task) !== 1);
    expect(answeredTwice.map(successfulAttempts)).toEqual(answeredTwice.map(() => 2));
    const withLostRun = new Set(lost.map(({ id }) => id));
    expect(answeredTwice.filter((task) => !withLostRun.has(task.id))).toEqual([]);
    const outcomes = emulatorOutcomes(emulator);
    console.log(
      `three processes: ${TASKS} tasks, quota ${QUOTA_RPM}/min, ${outcomes.total} upstream calls (${outcomes.ok} ok), ${outcomes.refused} refused with 429; ${orphans.length} tasks taken over from the killed instance, ${lost.length - orphans.length} from a survivor, ${answeredTwice.length} answered twice; submitted after ${submittedAfter} s, killed after ${killedAfter} s, drained after ${drainedAfter} s`,
    );
    expect(outcomes.ok).toBeGreaterThanOrEqual(TASKS + answeredTwice.length);
    expect(outcomes.ok).toBeLessThanOrEqual(TASKS + lost.length);
    // The instances together kept to the quota: the emulator refused at most 1 % of the calls.
    expect(outcomes.refused).toBeLessThanOrEqual(Math.floor(outcomes.total / 100));

    // SSE on one instance saw every event of tasks another instance ran, in order, up to the final one:
    // what it streamed equals b's replay from the store.
    const runOnOthers = new Map(survivors.map((server) => [server, 0]));
    for (const stream of streams) {
      const frames = parseSse(await stream.text);
      expectCompleteLife(frames, stream.id);
      expect(frames).toEqual(replays.get(stream.id));
      const runs = processingEvents(frames);
      if (!ranOn(runs.at(-1)!, stream.on)) runOnOthers.set(stream.on, runOnOthers.get(stream.on)! + 1);
    }
    for (const count of runOnOthers.values()) expect(count).toBeGreaterThan(0);

    // Every image, read from every survivor, is the image the task names.
    const images = tasks.flatMap((task) => task.result?.images ?? []);
    expect(images).toHaveLength(TASKS);
    await mapInBatches(images, READS_IN_PARALLEL, async (image) => {
      for (const server of survivors) {
        const response = await fetch(`${server.url}${image.url}`);
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toBe(image.mime_type);
        const bytes = Buffer.from(await response.arrayBuffer());
        expect(createHash('sha256').update(bytes).digest('hex')).toBe(image.sha256);
      }
    });
    console.log(`three processes: every image and event read back from both survivors after ${seconds()} s`);
  }, 600_000);
});

function successfulAttempts(task: ApiTask): number {
  return task.attempts.filter((attempt) => attempt.outcome === 'success').length;
}

/** The whole SSE text of a task's events as `server` streams it; ends after the task's final event. */
async function eventsText(server: ServerProcess, id: string): Promise<string> {
  const response = await fetch(`${server.url}/v1/tasks/${id}/events`);
  expect(response.status).toBe(200);
  return response.text();
}

/** A `processing` event's data: the claim's worker, and whether it took the task over from an expired lease. */
const processingEventSchema = z.object({
  workerId: z.string(),
  reclaimedAfterLeaseExpiry: z.boolean().optional(),
});
type ProcessingEvent = z.infer<typeof processingEventSchema>;

/** The events that move a task between states; `attempt` and `progress` happen within a run. */
const lifecycleEvents: ReadonlySet<string> = new Set([
  'queued',
  'processing',
  'rescheduled',
  'success',
  'failed',
  'cancelled',
]);

function processingEvent(frame: SseFrame): ProcessingEvent {
  return parseJsonText(frame.data, processingEventSchema, 'a processing event');
}

/** The task's claims, in order: who ran it, and whether it was taken over from an expired lease. */
function processingEvents(frames: SseFrame[]): ProcessingEvent[] {
  return frames.filter((frame) => frame.event === 'processing').map(processingEvent);
}

/** Each claim whose task was next claimed again (not rescheduled, not ended), with that next claim. */
function lostRuns(frames: SseFrame[]): { run: ProcessingEvent; takeover: ProcessingEvent }[] {
  const steps = frames.filter((frame) => frame.event !== undefined && lifecycleEvents.has(frame.event));
  return steps.flatMap((step, index) => {
    const next = steps[index + 1];
    if (step.event !== 'processing' || next?.event !== 'processing') return [];
    return [{ run: processingEvent(step), takeover: processingEvent(next) }];
  });
}

/** Whether `server`'s process made the claim: a worker's id starts with its process id. */
function ranOn(run: ProcessingEvent, server: ServerProcess): boolean {
  return run.workerId.startsWith(`worker-${server.child.pid}-`);
}

/** Sequence 1, 2, 3, … without a gap, from `queued` to one final `success`, then the final task. */
function expectCompleteLife(frames: SseFrame[], id: string): void {
  const events = frames.slice(0, -1);
  expect(events.map((frame) => frame.id)).toEqual(events.map((_, index) => String(index + 1)));
  expect(events[0]?.event).toBe('queued');
  expect(events.at(-1)?.event).toBe('success');
  const last = frames.at(-1)!;
  expect(last.event).toBe('task');
  const task: ApiTask = parseJsonText(last.data, taskSchema);
  expect(task).toMatchObject({ id, status: 'success' });
}
