import { describe, expect, it } from 'vitest';
import { builtInCatalog, findModel, lifecycleOn, type Platform } from '../catalog/index.js';
import { ManualClock } from '../clock/index.js';
import { defaultFallbackOn } from '../config/index.js';
import { imageRequestSchema, type ImageRequestInput } from '../request/image-request.js';
import type { Route, RouteCandidate, RoutePolicy } from '../registry/index.js';
import { Engine, type EngineOptions } from './engine.js';
import { FakeImageProvider, type FakeStep } from './test-support/fake-image-provider.js';
import { goldenMatrix, type MatrixFault, type MatrixRole } from './test-support/golden-matrix.js';
import { ImageGenerationError } from './image-generation-error.js';
import { quotaWindowMs } from './quota-pacer.js';

const catalog = builtInCatalog();
/** After the Gemini API shutdown of the 3.x image previews (2026-06-25), before the Vertex one (2026-07-17). */
const JULY_FIRST = Date.UTC(2026, 6, 1);

const roles: Record<MatrixRole, { modelId: string; platform: Platform }> = {
  primary: { modelId: 'gemini-3.1-flash-image', platform: 'gemini-api' },
  fallback: { modelId: 'gemini-3-pro-image', platform: 'gemini-api' },
  otherPlatform: { modelId: 'gemini-3.1-flash-image', platform: 'vertex-ai' },
};

function candidate(modelId: string, platform: Platform, atMs = JULY_FIRST): RouteCandidate {
  const model = findModel(catalog, modelId)!;
  return { modelId: model.id, platform, model, lifecycle: lifecycleOn(model, platform, atMs)! };
}

const basePolicy: RoutePolicy = {
  fallbackOn: [...defaultFallbackOn],
  parameterPolicy: 'translate',
  retry: { maxAttempts: 3, maxTotalWaitMs: 60_000, baseDelayMs: 1_000, maxDelayMs: 30_000 },
  totalBudgetMs: 180_000,
};

function routeOf(candidates: RouteCandidate[], policy: Partial<RoutePolicy> = {}): Route {
  return {
    name: 'test-route',
    isLogical: true,
    candidates,
    policy: { ...basePolicy, ...policy },
    warnings: [],
  };
}

const request = (input: Partial<ImageRequestInput> = {}) =>
  imageRequestSchema.parse({ prompt: 'a red bicycle on a beach', aspectRatio: '1:1', ...input });

function setup(options: Partial<EngineOptions> & { start?: number } = {}) {
  const clock = new ManualClock(options.start ?? JULY_FIRST);
  const provider = new FakeImageProvider();
  const engine = new Engine({ provider, clock, random: () => 0.5, catalog, ...options });
  return { clock, provider, engine };
}

async function failureOf(promise: Promise<unknown>): Promise<ImageGenerationError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ImageGenerationError);
  return error as ImageGenerationError;
}

const quotaFailure = (quotaId: string) => ({
  '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
  violations: [
    { quotaMetric: 'generativelanguage.googleapis.com/generate_requests', quotaId, quotaValue: '10' },
  ],
});
const retryInfo = (retryDelay: string) => ({
  '@type': 'type.googleapis.com/google.rpc.RetryInfo',
  retryDelay,
});

function stepFor(fault: MatrixFault): FakeStep {
  switch (fault.fault) {
    case 'ok':
      return { image: { width: 1024, height: 1024 } };
    case 'wrong-size':
      return { image: { width: 512, height: 512 } };
    case 'http':
      return fault.reason === 'location'
        ? {
            status: 400,
            canonicalStatus: 'FAILED_PRECONDITION',
            message: 'User location is not supported for the API use.',
          }
        : { status: fault.status };
    case 'rate-limit': {
      const quotaId =
        fault.quota === 'per-day'
          ? 'GenerateRequestsPerDayPerProjectPerModel'
          : 'GenerateRequestsPerMinutePerProjectPerModel';
      const details: object[] = fault.quota ? [quotaFailure(quotaId)] : [];
      if (fault.retryDelay) details.push(retryInfo(fault.retryDelay));
      return { status: 429, message: 'You exceeded your current quota.', details };
    }
    case 'finish':
      return { finishReason: fault.finishReason };
    case 'block-prompt':
      return { blockReason: 'PROHIBITED_CONTENT' };
    case 'connection-reset':
      return {
        throws: new TypeError('fetch failed', {
          cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
        }),
      };
    case 'truncated-body':
      return { throws: new SyntaxError('Unexpected end of JSON input') };
  }
}

describe('Engine golden matrix (in-memory provider)', () => {
  it.each(goldenMatrix.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
    const { clock, provider, engine } = setup();
    const routeRoles = row.route ?? ['primary', 'fallback'];
    for (const role of routeRoles) {
      const { modelId, platform } = roles[role];
      provider.script(platform, modelId, (row.script[role] ?? []).map(stepFor));
    }
    const route = routeOf(
      routeRoles.map((role) => candidate(roles[role].modelId, roles[role].platform)),
      row.fallbackOn ? { fallbackOn: row.fallbackOn } : {},
    );
    const roleOf = (attempt: { modelId: string; platform: Platform }) =>
      routeRoles.find(
        (role) => roles[role].modelId === attempt.modelId && roles[role].platform === attempt.platform,
      );

    const outcome = await engine.run(request(), route).then(
      (result) => ({ result, error: undefined }),
      (error: unknown) => ({ result: undefined, error: error as ImageGenerationError }),
    );
    const attempts = outcome.result?.attempts ?? outcome.error?.attempts ?? [];
    expect(attempts.map((attempt) => [roleOf(attempt), attempt.outcome, attempt.waitedBeforeMs])).toEqual(
      row.expected.attempts,
    );
    expect(clock.sleepsMs).toEqual(row.expected.sleepsMs);
    expect(provider.calls).toHaveLength(attempts.length);
    const warnings = outcome.result?.warnings ?? outcome.error?.warnings ?? [];
    for (const expectedWarning of row.expected.warnings ?? []) {
      expect(warnings.some((warning) => warning.includes(expectedWarning))).toBe(true);
    }
    if (row.expected.result === 'success') {
      expect(outcome.error).toBeUndefined();
      expect(outcome.result?.images).toHaveLength(1);
      const served = roles[row.expected.servedBy!];
      expect(outcome.result?.servedBy).toEqual({ modelId: served.modelId, platform: served.platform });
    } else {
      expect(outcome.error?.outcome.kind).toBe(row.expected.result);
      if (row.expected.isRetryable !== undefined)
        expect(outcome.error?.isRetryable).toBe(row.expected.isRetryable);
    }
  });
});

describe('Engine incidents', () => {
  it('a preview past its shutdown answers 404: falls back to the GA sibling with a warning, never retries the 404', async () => {
    const { clock, provider, engine } = setup();
    provider
      .script('gemini-api', 'gemini-3.1-flash-image-preview', [
        { status: 404, message: 'models/gemini-3.1-flash-image-preview is not found' },
      ])
      .script('gemini-api', 'gemini-3.1-flash-image', [{ image: { width: 1024, height: 1024 } }]);
    const warnings: string[] = [];
    const result = await engine.run(
      request(),
      routeOf([
        candidate('gemini-3.1-flash-image-preview', 'gemini-api'),
        candidate('gemini-3.1-flash-image', 'gemini-api'),
      ]),
      { onWarning: (warning) => warnings.push(warning) },
    );
    expect(result.attempts.map((attempt) => [attempt.modelId, attempt.outcome, attempt.httpStatus])).toEqual([
      ['gemini-3.1-flash-image-preview', 'model_retired', 404],
      ['gemini-3.1-flash-image', 'success', undefined],
    ]);
    expect(result.servedBy).toEqual({ modelId: 'gemini-3.1-flash-image', platform: 'gemini-api' });
    expect(clock.sleepsMs).toEqual([]);
    expect(warnings).toContain(
      'fell back from gemini-3.1-flash-image-preview on gemini-api (model_retired) to gemini-3.1-flash-image on gemini-api',
    );
    expect(result.warnings).toEqual(warnings);
  });

  it('after a retirement, skips a preview candidate (even one still live elsewhere) with a warning', async () => {
    const { provider, engine } = setup();
    provider
      .script('gemini-api', 'gemini-3.1-flash-image-preview', [{ status: 404 }])
      .script('vertex-ai', 'gemini-3.1-flash-image-preview', [{ image: { width: 1024, height: 1024 } }])
      .script('gemini-api', 'gemini-3.1-flash-image', [{ image: { width: 1024, height: 1024 } }]);
    const result = await engine.run(
      request(),
      routeOf([
        candidate('gemini-3.1-flash-image-preview', 'gemini-api'),
        candidate('gemini-3.1-flash-image-preview', 'vertex-ai'),
        candidate('gemini-3.1-flash-image', 'gemini-api'),
      ]),
    );
    expect(result.servedBy.modelId).toBe('gemini-3.1-flash-image');
    expect(provider.calls.map((call) => `${call.platform}/${call.modelId}`)).toEqual([
      'gemini-api/gemini-3.1-flash-image-preview',
      'gemini-api/gemini-3.1-flash-image',
    ]);
    expect(result.warnings).toContain(
      'skipped fallback gemini-3.1-flash-image-preview on vertex-ai: it is preview, and a fallback only targets ga models',
    );
  });

  it('a 429 with retryDelay "15s" waits 15 s of clock time', async () => {
    const { clock, provider, engine } = setup();
    provider.script('gemini-api', 'gemini-3.1-flash-image', [
      stepFor({ fault: 'rate-limit', retryDelay: '15s', quota: 'per-minute' }),
      stepFor({ fault: 'ok' }),
    ]);
    const result = await engine.run(request(), routeOf([candidate('gemini-3.1-flash-image', 'gemini-api')]));
    expect(clock.nowMs() - JULY_FIRST).toBe(15_000);
    expect(clock.sleepsMs).toEqual([15_000]);
    expect(result.attempts[1]).toMatchObject({
      outcome: 'success',
      waitedBeforeMs: 15_000,
      startedAtMs: JULY_FIRST + 15_000,
    });
  });

  it('a per-day quota falls back instead of retrying', async () => {
    const { clock, provider, engine } = setup();
    provider
      .script('gemini-api', 'gemini-3.1-flash-image', [
        stepFor({ fault: 'rate-limit', retryDelay: '30s', quota: 'per-day' }),
      ])
      .script('gemini-api', 'gemini-3-pro-image', [stepFor({ fault: 'ok' })]);
    const result = await engine.run(
      request(),
      routeOf([
        candidate('gemini-3.1-flash-image', 'gemini-api'),
        candidate('gemini-3-pro-image', 'gemini-api'),
      ]),
    );
    expect(result.attempts.map((attempt) => attempt.outcome)).toEqual(['quota_exhausted', 'success']);
    expect(clock.sleepsMs).toEqual([]);
  });

  it('a prompt the GA model blocks is reported as blocked_output', async () => {
    const { provider, engine } = setup();
    provider.script('gemini-api', 'gemini-3.1-flash-image', [{ finishReason: 'IMAGE_SAFETY' }]);
    const error = await failureOf(
      engine.run(request(), routeOf([candidate('gemini-3.1-flash-image', 'gemini-api')])),
    );
    expect(error.outcome.kind).toBe('blocked_output');
    expect(error.isRetryable).toBe(false);
    expect(error.attempts).toHaveLength(1);
  });
});

describe('Engine', () => {
  it('reads a 404 from a model that answered earlier in the process as retirement', async () => {
    const { provider, engine } = setup();
    provider
      .script('gemini-api', 'gemini-3.1-flash-image', [stepFor({ fault: 'ok' }), { status: 404 }])
      .script('gemini-api', 'gemini-3-pro-image', [stepFor({ fault: 'ok' })]);
    const route = routeOf([
      candidate('gemini-3.1-flash-image', 'gemini-api'),
      candidate('gemini-3-pro-image', 'gemini-api'),
    ]);
    await engine.run(request(), route);
    const second = await engine.run(request(), route);
    expect(second.attempts.map((attempt) => attempt.outcome)).toEqual(['model_retired', 'success']);
  });

  it('splits imageCount into calls of at most the model maxCandidateCount', async () => {
    const { provider, engine } = setup();
    provider.script(
      'gemini-api',
      'gemini-3.1-flash-image',
      [1, 2, 3].map(() => stepFor({ fault: 'ok' })),
    );
    provider.script('gemini-api', 'gemini-2.5-flash-image', [stepFor({ fault: 'ok' })]);
    const oneAtATime = await engine.run(
      request({ imageCount: 3 }),
      routeOf([candidate('gemini-3.1-flash-image', 'gemini-api')]),
    );
    expect(oneAtATime.images).toHaveLength(3);
    expect(oneAtATime.modelContents).toHaveLength(3);
    const manyPerCall = await engine.run(
      request({ imageCount: 3 }),
      routeOf([candidate('gemini-2.5-flash-image', 'gemini-api')]),
    );
    expect(manyPerCall.images).toHaveLength(3);
    expect(provider.calls.map((call) => call.candidateCount)).toEqual([1, 1, 1, 3]);
  });

  it('totals usage and prices image tokens as image tokens', async () => {
    const { provider, engine } = setup();
    provider.script('gemini-api', 'gemini-3.1-flash-image', [
      { image: { width: 1024, height: 1024 }, imageTokens: 1120 },
    ]);
    const result = await engine.run(request(), routeOf([candidate('gemini-3.1-flash-image', 'gemini-api')]));
    expect(result.usage).toEqual({
      promptTokens: 10,
      outputTextTokens: 0,
      outputImageTokens: 1120,
      thoughtsTokens: 0,
      totalTokens: 1130,
    });
    // 1120 image tokens at $60/M plus 10 prompt tokens at $0.50/M.
    expect(result.costUsd).toBeCloseTo(0.067205, 9);
    expect(result.attempts[0]?.usage).toEqual(result.usage);
  });

  it('does not start a wait that would overrun the total budget: fails retryable with the last outcome', async () => {
    const { clock, provider, engine } = setup();
    provider.script('gemini-api', 'gemini-3.1-flash-image', [
      stepFor({ fault: 'rate-limit', retryDelay: '15s', quota: 'per-minute' }),
    ]);
    const error = await failureOf(
      engine.run(
        request(),
        routeOf([candidate('gemini-3.1-flash-image', 'gemini-api')], { totalBudgetMs: 10_000 }),
      ),
    );
    expect(error.outcome.kind).toBe('rate_limited');
    expect(error.isRetryable).toBe(true);
    expect(error.outcome.message).toContain('would overrun the run');
    expect(clock.sleepsMs).toEqual([]);
  });

  it('stops at once when the signal aborts during a wait: no further call', async () => {
    const { provider, engine } = setup();
    provider.script('gemini-api', 'gemini-3.1-flash-image', [{ status: 503 }, stepFor({ fault: 'ok' })]);
    const controller = new AbortController();
    const error = await failureOf(
      engine.run(request(), routeOf([candidate('gemini-3.1-flash-image', 'gemini-api')]), {
        signal: controller.signal,
        onAttempt: () => controller.abort(),
      }),
    );
    expect(error.outcome.kind).toBe('cancelled');
    expect(provider.calls).toHaveLength(1);
  });

  it('reports a call aborted by the caller as cancelled and does not fall back', async () => {
    const controller = new AbortController();
    const { provider, engine } = setup();
    provider
      .script('gemini-api', 'gemini-3.1-flash-image', [{ throws: new DOMException('aborted', 'AbortError') }])
      .script('gemini-api', 'gemini-3-pro-image', [stepFor({ fault: 'ok' })]);
    const generate = provider.generate.bind(provider);
    provider.generate = (call) => {
      controller.abort();
      return generate(call);
    };
    const error = await failureOf(
      engine.run(
        request(),
        routeOf([
          candidate('gemini-3.1-flash-image', 'gemini-api'),
          candidate('gemini-3-pro-image', 'gemini-api'),
        ]),
        { signal: controller.signal },
      ),
    );
    expect(error.outcome.kind).toBe('cancelled');
    expect(error.attempts.map((attempt) => attempt.outcome)).toEqual(['cancelled']);
    expect(provider.calls).toHaveLength(1);
  });

  it('opens the circuit after repeated transient failures, skips calls while open, tries again after the cooldown', async () => {
    const { clock, provider, engine } = setup({
      circuitBreaker: { failureThreshold: 2, cooldownMs: 30_000 },
    });
    provider.script('gemini-api', 'gemini-3.1-flash-image', [
      { status: 503 },
      { status: 503 },
      stepFor({ fault: 'ok' }),
    ]);
    const route = routeOf([candidate('gemini-3.1-flash-image', 'gemini-api')]);
    const first = await failureOf(engine.run(request(), route));
    expect(first.attempts.map((attempt) => [attempt.outcome, attempt.latencyMs])).toEqual([
      ['unavailable', 0],
      ['unavailable', 0],
      ['unavailable', 0],
    ]);
    expect(first.attempts[2]?.message).toContain('circuit open');
    expect(provider.calls).toHaveLength(2);

    const whileOpen = await failureOf(engine.run(request(), route));
    expect(whileOpen.attempts[0]?.message).toContain('circuit open');
    expect(provider.calls).toHaveLength(2);

    clock.advance(30_000);
    const afterCooldown = await engine.run(request(), route);
    expect(afterCooldown.attempts.map((attempt) => attempt.outcome)).toEqual(['success']);
    expect(provider.calls).toHaveLength(3);
  });

  it('parks a run whose every candidate has an open circuit until the earliest next trial, without a call', async () => {
    const { clock, provider, engine } = setup({ circuitBreaker: { failureThreshold: 1, cooldownMs: 5_000 } });
    provider.script('gemini-api', 'gemini-3.1-flash-image', [{ status: 503 }]);
    provider.script('gemini-api', 'gemini-3-pro-image', [{ status: 503 }]);
    const route = routeOf([
      candidate('gemini-3.1-flash-image', 'gemini-api'),
      candidate('gemini-3-pro-image', 'gemini-api'),
    ]);
    const openedAtMs = clock.nowMs();
    const opening = await failureOf(engine.run(request(), route));
    // The failures that opened the circuits were not followed by a backoff wait.
    expect(clock.nowMs()).toBe(openedAtMs);
    expect(opening.circuitOpenUntilMs).toBe(openedAtMs + 5_000);
    expect(provider.calls).toHaveLength(2);

    clock.advance(1_000);
    const parked = await failureOf(engine.run(request(), route));
    expect(parked.isRetryable).toBe(true);
    expect(parked.circuitOpenUntilMs).toBe(openedAtMs + 5_000);
    expect(parked.attempts.every((attempt) => attempt.message?.includes('circuit open'))).toBe(true);
    expect(provider.calls).toHaveLength(2);
  });

  it('does not park a run when a candidate is still closed', async () => {
    const { provider, engine } = setup({ circuitBreaker: { failureThreshold: 1, cooldownMs: 5_000 } });
    provider.script('gemini-api', 'gemini-3.1-flash-image', [{ status: 503 }]);
    provider.script('gemini-api', 'gemini-3-pro-image', [{ status: 400 }]);
    const route = routeOf([
      candidate('gemini-3.1-flash-image', 'gemini-api'),
      candidate('gemini-3-pro-image', 'gemini-api'),
    ]);
    const error = await failureOf(engine.run(request(), route));
    expect(error.outcome.kind).toBe('invalid_request');
    expect(error.circuitOpenUntilMs).toBeUndefined();
  });

  it('lets runs that arrive during a half-open trial wait for its verdict, then go ahead together', async () => {
    const { clock, provider, engine } = setup({ circuitBreaker: { failureThreshold: 1, cooldownMs: 5_000 } });
    let answerTrial = () => {};
    const trialGate = new Promise<void>((resolve) => (answerTrial = resolve));
    provider.script('gemini-api', 'gemini-3.1-flash-image', [
      { status: 503 },
      { gate: trialGate, then: { image: { width: 1024, height: 1024 } } },
      stepFor({ fault: 'ok' }),
      stepFor({ fault: 'ok' }),
    ]);
    const route = routeOf([candidate('gemini-3.1-flash-image', 'gemini-api')]);
    await failureOf(engine.run(request(), route));
    clock.advance(5_000);
    const trial = engine.run(request(), route);
    const waiting = [engine.run(request(), route), engine.run(request(), route)];
    await new Promise((resolve) => setTimeout(resolve, 10));
    // Only the trial is out; the other two neither called nor gave up.
    expect(provider.calls).toHaveLength(2);
    answerTrial();
    const results = await Promise.all([trial, ...waiting]);
    expect(results.map((result) => result.attempts.map((attempt) => attempt.outcome))).toEqual([
      ['success'],
      ['success'],
      ['success'],
    ]);
    expect(provider.calls).toHaveLength(4);
  });

  it('parks runs that waited on a half-open trial that failed', async () => {
    const { clock, provider, engine } = setup({ circuitBreaker: { failureThreshold: 1, cooldownMs: 5_000 } });
    let answerTrial = () => {};
    const trialGate = new Promise<void>((resolve) => (answerTrial = resolve));
    provider.script('gemini-api', 'gemini-3.1-flash-image', [
      { status: 503 },
      { gate: trialGate, then: { status: 503 } },
    ]);
    const route = routeOf([candidate('gemini-3.1-flash-image', 'gemini-api')]);
    await failureOf(engine.run(request(), route));
    clock.advance(5_000);
    const trial = failureOf(engine.run(request(), route));
    const waiting = failureOf(engine.run(request(), route));
    await new Promise((resolve) => setTimeout(resolve, 10));
    clock.advance(300);
    answerTrial();
    const [trialError, waitingError] = await Promise.all([trial, waiting]);
    expect(trialError.circuitOpenUntilMs).toBe(clock.nowMs() + 5_000);
    expect(waitingError.circuitOpenUntilMs).toBe(clock.nowMs() + 5_000);
    expect(provider.calls).toHaveLength(2);
  });

  it('hands back a half-open trial that never went out, so the breaker lets a later call through', async () => {
    const { clock, provider, engine } = setup({
      circuitBreaker: { failureThreshold: 1, cooldownMs: 30_000 },
      limitsFor: () => ({ requestsPerMinute: 1 }),
    });
    // A 500 counts against the quota (a 503 or 429 would hand its slot back).
    provider.script('gemini-api', 'gemini-3.1-flash-image', [{ status: 500 }, stepFor({ fault: 'ok' })]);
    const route = routeOf([candidate('gemini-3.1-flash-image', 'gemini-api')], { totalBudgetMs: 10_000 });
    await failureOf(engine.run(request(), route));
    expect(provider.calls).toHaveLength(1);

    // Half-open now, but the limiter's next token is 30 s away: more than this run's budget.
    clock.advance(30_000);
    const starved = await failureOf(engine.run(request(), route));
    expect(starved.message).toContain("overrun the run's time budget");
    expect(provider.calls).toHaveLength(1);

    clock.advance(60_000);
    const later = await engine.run(request(), route);
    expect(later.attempts.map((attempt) => attempt.outcome)).toEqual(['success']);
    expect(provider.calls).toHaveLength(2);
  });

  it('paces calls with the requests-per-minute limit on the clock', async () => {
    const { clock, provider, engine } = setup({ limitsFor: () => ({ requestsPerMinute: 1 }) });
    provider.script('gemini-api', 'gemini-3.1-flash-image', [
      stepFor({ fault: 'ok' }),
      stepFor({ fault: 'ok' }),
    ]);
    const route = routeOf([candidate('gemini-3.1-flash-image', 'gemini-api')]);
    await engine.run(request(), route);
    const second = await engine.run(request(), route);
    expect(clock.sleepsMs).toEqual([quotaWindowMs]);
    expect(second.attempts[0]?.waitedBeforeMs).toBe(quotaWindowMs);
  });

  describe('spending a per-minute quota', () => {
    const QUOTA = 60;
    const CALLS = 200;

    /** A provider with the server's sliding-window quota on the test clock, answering 429s as Gemini does. */
    function quotaLimited(clock: ManualClock) {
      const provider = new FakeImageProvider();
      const generate = provider.generate.bind(provider);
      const acceptedMs: number[] = [];
      const statuses: number[] = [];
      provider.generate = async (call) => {
        const nowMs = clock.nowMs();
        while (acceptedMs.length > 0 && acceptedMs[0]! <= nowMs - 60_000) acceptedMs.shift();
        const full = acceptedMs.length >= QUOTA;
        if (full) {
          const retryMs = acceptedMs[acceptedMs.length - QUOTA]! + 60_000 - nowMs;
          provider.script(call.platform, call.modelId, [
            {
              status: 429,
              details: [
                {
                  '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
                  violations: [
                    {
                      quotaMetric: 'generativelanguage.googleapis.com/generate_requests_per_model',
                      quotaId: 'GenerateRequestsPerMinutePerProjectPerModel',
                      quotaValue: String(QUOTA),
                    },
                  ],
                },
                retryInfo(`${retryMs / 1000}s`),
              ],
            },
          ]);
        } else {
          acceptedMs.push(nowMs);
          provider.script(call.platform, call.modelId, [stepFor({ fault: 'ok' })]);
        }
        statuses.push(full ? 429 : 200);
        return generate(call);
      };
      return { provider, statuses };
    }

    async function spend(limitsFor: EngineOptions['limitsFor']) {
      const clock = new ManualClock(JULY_FIRST);
      const { provider, statuses } = quotaLimited(clock);
      const engine = new Engine({ provider, clock, random: () => 0.5, catalog, limitsFor });
      const route = routeOf([candidate('gemini-3.1-flash-image', 'gemini-api')], {
        totalBudgetMs: 3_600_000,
      });
      for (let call = 0; call < CALLS; call += 1) await engine.run(request(), route);
      // Calls starting together in an empty window: the quota lets the last one start this late, no earlier.
      const quotaAllowsMs = Math.floor((CALLS - 1) / QUOTA) * 60_000;
      return {
        quotaUse: quotaAllowsMs / (clock.nowMs() - JULY_FIRST),
        share429: statuses.filter((status) => status === 429).length / statuses.length,
      };
    }

    it('with the right configured limit: no 429 and at least 98 % of the quota used', async () => {
      const { quotaUse, share429 } = await spend(() => ({ requestsPerMinute: QUOTA }));
      expect(share429).toBe(0);
      expect(quotaUse).toBeGreaterThanOrEqual(0.98);
    });

    it('with no configured limit, learns it from the first 429 body: at most 1 % of calls answered 429', async () => {
      const { quotaUse, share429 } = await spend(undefined);
      expect(share429).toBeGreaterThan(0);
      expect(share429).toBeLessThanOrEqual(0.01);
      expect(quotaUse).toBeGreaterThanOrEqual(0.98);
    });

    it('with a configured limit above the real one, converges on the real one', async () => {
      const { quotaUse, share429 } = await spend(() => ({ requestsPerMinute: 2 * QUOTA }));
      expect(share429).toBeLessThanOrEqual(0.01);
      expect(quotaUse).toBeGreaterThanOrEqual(0.98);
    });
  });

  it('keeps at most `concurrency` calls in flight per model', async () => {
    const { provider, engine } = setup({ limitsFor: () => ({ concurrency: 1 }) });
    provider.script('gemini-api', 'gemini-3.1-flash-image', [
      stepFor({ fault: 'ok' }),
      stepFor({ fault: 'ok' }),
    ]);
    let inFlight = 0;
    let mostInFlight = 0;
    const generate = provider.generate.bind(provider);
    provider.generate = async (call) => {
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
      return generate(call);
    };
    const route = routeOf([candidate('gemini-3.1-flash-image', 'gemini-api')]);
    await Promise.all([engine.run(request(), route), engine.run(request(), route)]);
    expect(mostInFlight).toBe(1);
    expect(provider.calls).toHaveLength(2);
  });

  it('skips a candidate whose adaptation refuses, with a warning; fails invalid_request when none is left', async () => {
    const { provider, engine } = setup({
      adaptRequest: (adapted, model) =>
        model.id === 'gemini-3.1-flash-image'
          ? { ok: false, reason: 'imageSize 8K is not offered (allowed: 512, 1K, 2K, 4K)' }
          : { ok: true, request: adapted, warnings: ['aspectRatio 1:1 kept'] },
    });
    provider.script('gemini-api', 'gemini-3-pro-image', [stepFor({ fault: 'ok' })]);
    const result = await engine.run(
      request(),
      routeOf([
        candidate('gemini-3.1-flash-image', 'gemini-api'),
        candidate('gemini-3-pro-image', 'gemini-api'),
      ]),
    );
    expect(result.servedBy.modelId).toBe('gemini-3-pro-image');
    expect(result.warnings).toEqual([
      'skipped gemini-3.1-flash-image on gemini-api: imageSize 8K is not offered (allowed: 512, 1K, 2K, 4K)',
      'aspectRatio 1:1 kept',
    ]);
    const only = await failureOf(
      engine.run(request(), routeOf([candidate('gemini-3.1-flash-image', 'gemini-api')])),
    );
    expect(only.outcome.kind).toBe('invalid_request');
    expect(only.outcome.message).toContain('imageSize 8K is not offered');
    expect(only.attempts).toEqual([]);
  });

  it('uses the registry adaptation by default: a 2K request on a 1K-only model is translated with a warning', async () => {
    const { provider, engine } = setup();
    provider.script('gemini-api', 'gemini-2.5-flash-image', [stepFor({ fault: 'ok' })]);
    const result = await engine.run(
      request({ imageSize: '2K' }),
      routeOf([candidate('gemini-2.5-flash-image', 'gemini-api')]),
    );
    expect(provider.calls[0]?.request.imageSize).toBe('1K');
    expect(result.warnings.some((warning) => warning.includes('2K'))).toBe(true);
  });

  it('carries route warnings into the result', async () => {
    const { provider, engine } = setup();
    provider.script('gemini-api', 'gemini-3.1-flash-image', [stepFor({ fault: 'ok' })]);
    const route = {
      ...routeOf([candidate('gemini-3.1-flash-image', 'gemini-api')]),
      warnings: ['route note'],
    };
    const result = await engine.run(request(), route);
    expect(result.warnings).toEqual(['route note']);
  });
});
