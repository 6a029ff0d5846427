import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ManualClock, systemClock } from '../../src/clock/index.js';
import { PostgresApiKeyStore } from '../../src/server/auth/index.js';
import { postgresAvailable } from '../../src/tasks/test-support/temporary-postgres.js';
import { readError, readJson, taskSchema } from '../support/read-json.js';
import { waitUntil } from '../support/wait-until.js';
import { serveClusterFixture, type ApiTask } from './serve-cluster.js';

const BUDGET_USD = 1;
const INSTANCES = 3;
/** Sent at once, round-robin: each instance alone gets more than the budget admits. */
const SUBMISSIONS = 90;
/** Every upstream call waits this long on the emulator's clock, which only the test moves. */
const UPSTREAM_LATENCY_MS = 1_000;

const available = await postgresAvailable();

describe.skipIf(!available)('a monthly budget across three serve processes on one PostgreSQL', () => {
  const startCluster = serveClusterFixture('imagegate_budget');

  it('concurrent submissions to all three reserve at most the budget; spend exceeds it by at most what the in-flight tasks cost beyond their estimates', async () => {
    // Until the test moves this clock no upstream call is answered, so no task can finish while the
    // submissions arrive: every accepted task is in flight when the budget runs out (checked below).
    const upstreamClock = new ManualClock(systemClock.nowMs(), { autoAdvance: false });
    const { servers, pool: openPool } = await startCluster({
      instances: INSTANCES,
      scenarioYaml: `latency: { default: { medianMs: ${UPSTREAM_LATENCY_MS}, p95Ms: ${UPSTREAM_LATENCY_MS} } }\n`,
      emulatorClock: upstreamClock,
      configYaml: 'server:\n  workerConcurrency: 4\n  shutdownGraceMs: 0\n',
    });
    const pool = openPool();
    const { secret } = await new PostgresApiKeyStore(pool)
      .create({ name: 'capped', monthlyBudgetUsd: BUDGET_USD })
      .finally(() => pool.end());
    const authorization = { authorization: `Bearer ${secret}` };
    const read = async (instance: number, id: string) =>
      readJson(
        await fetch(`${servers[instance]!.url}/v1/tasks/${id}`, { headers: authorization }),
        taskSchema,
      );

    const answers = await Promise.all(
      Array.from({ length: SUBMISSIONS }, async (_, index) => {
        const instance = index % INSTANCES;
        const response = await fetch(`${servers[instance]!.url}/v1/images/generations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...authorization },
          body: JSON.stringify({ model: 'image_fast', prompt: `budget ${index}`, image_size: '512' }),
        });
        if (response.status === 202) return { instance, task: await readJson(response, taskSchema) };
        expect(response.status).toBe(429);
        expect((await readError(response)).error.code).toBe('monthly_budget_exceeded');
        return { instance, task: undefined };
      }),
    );
    const accepted = answers.flatMap(({ instance, task }) => (task ? [{ instance, id: task.id }] : []));
    const estimateUsd = z.number().parse(answers.find((answer) => answer.task)?.task?.cost.estimated_usd);
    // Each instance alone was asked for more than the budget: per-instance budgets would admit ~3x.
    expect((SUBMISSIONS / INSTANCES) * estimateUsd).toBeGreaterThan(BUDGET_USD);
    // The reservations raced across processes: more than one instance admitted tasks.
    expect(new Set(accepted.map((answer) => answer.instance)).size).toBeGreaterThan(1);

    // The last submission is answered and no accepted task has finished: all were in flight.
    const inFlight = await Promise.all(accepted.map(({ instance, id }) => read(instance, id)));
    expect(inFlight.filter((task) => task.status !== 'queued' && task.status !== 'processing')).toEqual([]);
    // What the budget reserved for them: within it, and used up (one more estimate would not fit).
    const reservedUsd = sumUsd(inFlight, (task) => task.cost.estimated_usd);
    expect(reservedUsd).toBeLessThanOrEqual(BUDGET_USD + 1e-9);
    expect(reservedUsd + estimateUsd).toBeGreaterThan(BUDGET_USD);

    // Release the upstream: each tick answers every call waiting on the emulator's clock.
    const ticking = setInterval(() => upstreamClock.advance(UPSTREAM_LATENCY_MS), 20);
    let finished: ApiTask[];
    try {
      finished = await waitUntil(
        async () => {
          const tasks = await Promise.all(accepted.map(({ instance, id }) => read(instance, id)));
          return tasks.every((task) => task.status === 'success' || task.status === 'failed') && tasks;
        },
        { what: `the ${accepted.length} accepted tasks to finish`, timeoutMs: 90_000, intervalMs: 250 },
      );
    } finally {
      clearInterval(ticking);
    }
    expect(finished.map((task) => task.status)).toEqual(finished.map(() => 'success'));

    // The bound: the key overspends by at most the tasks that were in flight, and only by what
    // they cost beyond the estimates reserved for them.
    const spentUsd = sumUsd(finished, (task) => task.cost.actual_usd);
    const beyondEstimatesUsd = sumUsd(finished, (task) =>
      Math.max(0, (task.cost.actual_usd ?? 0) - (task.cost.estimated_usd ?? 0)),
    );
    expect(Math.max(0, spentUsd - BUDGET_USD)).toBeLessThanOrEqual(beyondEstimatesUsd + 1e-9);
    const acceptedBy = servers.map(
      (_, instance) => accepted.filter((answer) => answer.instance === instance).length,
    );
    console.log(
      `budget across ${INSTANCES} processes: ${accepted.length} of ${SUBMISSIONS} accepted (${acceptedBy.join(' + ')}) at $${estimateUsd} each, reserved $${reservedUsd.toFixed(4)}, spent $${spentUsd.toFixed(4)} of $${BUDGET_USD} (in-flight overrun $${beyondEstimatesUsd.toFixed(4)})`,
    );
  }, 180_000);
});

function sumUsd(tasks: readonly ApiTask[], costOf: (task: ApiTask) => number | null): number {
  return tasks.reduce((sum, task) => sum + (costOf(task) ?? 0), 0);
}
