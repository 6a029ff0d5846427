import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { builtInCatalog, findModel, lifecycleOn } from '../../src/catalog/index.js';
import { ManualClock } from '../../src/clock/index.js';
import { defaultFallbackOn } from '../../src/config/index.js';
import { loadRedisAdapter } from '../../src/coordination/index.js';
import {
  redisAvailable,
  deleteRedisKeys,
  testRedisUrl,
} from '../../src/coordination/test-support/temporary-redis.js';
import { Engine, ImageGenerationError } from '../../src/engine/index.js';
import { FakeImageProvider } from '../../src/engine/test-support/fake-image-provider.js';
import type { Route } from '../../src/registry/index.js';
import { imageRequestSchema } from '../../src/request/index.js';

const { RedisUpstreamGuards } = await loadRedisAdapter();

const catalog = builtInCatalog();
/** A date when gemini-3.1-flash-image is served on the Gemini API. */
const startMs = Date.UTC(2026, 2, 1);
const modelId = 'gemini-3.1-flash-image';

const model = findModel(catalog, modelId)!;
const route: Route = {
  name: 'shared-route',
  isLogical: true,
  candidates: [
    { modelId, platform: 'gemini-api', model, lifecycle: lifecycleOn(model, 'gemini-api', startMs)! },
  ],
  policy: {
    fallbackOn: [...defaultFallbackOn],
    parameterPolicy: 'translate',
    retry: { maxAttempts: 1, maxTotalWaitMs: 0, baseDelayMs: 1_000, maxDelayMs: 30_000 },
    // Shorter than a quota window: a run that would wait for the next minute fails instead.
    totalBudgetMs: 10_000,
  },
  warnings: [],
};
const request = imageRequestSchema.parse({ prompt: 'a red bicycle on a beach', aspectRatio: '1:1' });

async function errorOf(run: Promise<unknown>): Promise<ImageGenerationError> {
  const error = await run.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ImageGenerationError))
    throw new Error(`expected a failed run, got ${String(error)}`);
  return error;
}

const available = await redisAvailable();

describe.skipIf(!available)('engines of several instances sharing quotas and breakers through Redis', () => {
  const keyPrefix = `imagegate-test-${randomBytes(6).toString('hex')}:`;
  const opened: InstanceType<typeof RedisUpstreamGuards>[] = [];

  /** One instance: its own engine, provider and Redis connection, on the test's shared clock. */
  function instance(clock: ManualClock, requestsPerMinute?: number) {
    const guards = new RedisUpstreamGuards({
      url: testRedisUrl,
      keyPrefix,
      clock,
      circuitBreaker: { failureThreshold: 1, cooldownMs: 5_000 },
    });
    opened.push(guards);
    const provider = new FakeImageProvider();
    const engine = new Engine({
      provider,
      clock,
      catalog,
      random: () => 0.5,
      upstreamGuards: guards,
      ...(requestsPerMinute !== undefined ? { limitsFor: () => ({ requestsPerMinute }) } : {}),
    });
    return { provider, engine };
  }

  afterEach(async () => {
    await deleteRedisKeys(keyPrefix);
    await Promise.all(opened.splice(0).map((guards) => guards.close()));
  });

  it('three engines together make no more calls than the per-minute limit', async () => {
    const clock = new ManualClock(startMs, { autoAdvance: false });
    const engines = [instance(clock, 3), instance(clock, 3), instance(clock, 3)];
    for (const { provider } of engines) {
      provider.script('gemini-api', modelId, Array(3).fill({ image: { width: 1024, height: 1024 } }));
    }
    const runs = await Promise.allSettled(
      Array.from({ length: 9 }, (_, index) => engines[index % 3]!.engine.run(request, route)),
    );
    const calls = engines.reduce((sum, { provider }) => sum + provider.calls.length, 0);
    expect(calls).toBe(3);
    expect(runs.filter((run) => run.status === 'fulfilled')).toHaveLength(3);
    for (const run of runs) {
      if (run.status === 'rejected') {
        expect(run.reason).toBeInstanceOf(ImageGenerationError);
        expect((run.reason as ImageGenerationError).message).toContain("overrun the run's time budget");
      }
    }
  });

  it('a model that failed for one engine is not called by another until the trial', async () => {
    const clock = new ManualClock(startMs, { autoAdvance: false });
    const first = instance(clock);
    const second = instance(clock);
    first.provider.script('gemini-api', modelId, [{ status: 503 }]);
    second.provider.script('gemini-api', modelId, [{ image: { width: 1024, height: 1024 } }]);
    const opening = await errorOf(first.engine.run(request, route));
    expect(opening.circuitOpenUntilMs).toBe(startMs + 5_000);

    const refused = await errorOf(second.engine.run(request, route));
    expect(refused.circuitOpenUntilMs).toBe(startMs + 5_000);
    expect(refused.attempts[0]?.message).toContain('circuit open');
    expect(second.provider.calls).toHaveLength(0);

    clock.advance(5_000);
    const trial = await second.engine.run(request, route);
    expect(trial.attempts.map((attempt) => attempt.outcome)).toEqual(['success']);
  });

  it('while Redis cannot be reached no call goes out and the run fails as retryable', async () => {
    const clock = new ManualClock(startMs, { autoAdvance: false });
    const guards = new RedisUpstreamGuards({ url: 'redis://127.0.0.1:1', clock });
    opened.push(guards);
    const provider = new FakeImageProvider();
    const engine = new Engine({ provider, clock, catalog, upstreamGuards: guards });
    const error = await errorOf(engine.run(request, route));
    expect(error.outcome.kind).toBe('unavailable');
    expect(error.isRetryable).toBe(true);
    expect(error.message).toContain('shared quota and circuit store did not answer');
    expect(provider.calls).toHaveLength(0);
  });
});
