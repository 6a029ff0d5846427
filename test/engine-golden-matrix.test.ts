import { afterEach, describe, expect, it } from 'vitest';
import { builtInCatalog, findModel, lifecycleOn, type Platform } from '../src/catalog/index.js';
import { ManualClock } from '../src/clock/index.js';
import { defaultFallbackOn } from '../src/config/index.js';
import {
  scenarioSchema,
  startEmulator,
  type RunningEmulator,
  type ScenarioInput,
} from '../src/emulator/index.js';
import { Engine, ImageGenerationError, type ImageResult } from '../src/engine/index.js';
import { goldenMatrix, type MatrixFault, type MatrixRole } from '../src/engine/test-support/golden-matrix.js';
import { GeminiProvider } from '../src/provider/gemini-provider.js';
import { imageRequestSchema } from '../src/request/image-request.js';
import type { Route, RouteCandidate, RoutePolicy } from '../src/registry/index.js';

/*
 * The engine's golden matrix again, this time through the real provider on @google/genai against the
 * emulator's scripted faults: the same attempts, waits and results must come out of real HTTP, real SDK
 * errors and real PNGs. Emulator and engine share one ManualClock, so a 15 s wait moves both.
 */

const catalog = builtInCatalog();
/** After the Gemini API shutdown of the 3.x image previews (2026-06-25). */
const JULY_FIRST = Date.UTC(2026, 6, 1);

const roles: Record<MatrixRole, { modelId: string; platform: Platform }> = {
  primary: { modelId: 'gemini-3.1-flash-image', platform: 'gemini-api' },
  fallback: { modelId: 'gemini-3-pro-image', platform: 'gemini-api' },
  otherPlatform: { modelId: 'gemini-3.1-flash-image', platform: 'vertex-ai' },
};

const policy: RoutePolicy = {
  fallbackOn: [...defaultFallbackOn],
  parameterPolicy: 'translate',
  retry: { maxAttempts: 3, maxTotalWaitMs: 60_000, baseDelayMs: 1_000, maxDelayMs: 30_000 },
  totalBudgetMs: 180_000,
};

function candidate(modelId: string, platform: Platform): RouteCandidate {
  const model = findModel(catalog, modelId)!;
  return { modelId: model.id, platform, model, lifecycle: lifecycleOn(model, platform, JULY_FIRST)! };
}

function routeOf(candidates: RouteCandidate[], overrides: Partial<RoutePolicy> = {}): Route {
  return { name: 'golden', isLogical: true, candidates, policy: { ...policy, ...overrides }, warnings: [] };
}

/** Emulator scripted step for a matrix fault; `undefined` when the emulator cannot produce it. */
function scriptedStep(fault: MatrixFault): unknown {
  switch (fault.fault) {
    case 'ok':
      return 'ok';
    case 'wrong-size':
      return { servedImageSize: '512' };
    case 'http':
      return fault.reason === 'location' ? { status: 400, precondition: true } : fault.status;
    case 'rate-limit':
      return { status: 429, quota: fault.quota ?? 'per-minute', retryDelay: fault.retryDelay ?? 'none' };
    case 'finish':
      return fault.finishReason;
    case 'block-prompt':
      return 'block-prompt:PROHIBITED_CONTENT';
    case 'connection-reset':
    case 'truncated-body':
      return fault.fault;
  }
}

let running: RunningEmulator | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function engineOn(scenario: ScenarioInput) {
  const clock = new ManualClock(JULY_FIRST);
  running = await startEmulator({ clock, scenario: scenarioSchema.parse(scenario) });
  const provider = new GeminiProvider({
    geminiApi: { apiKey: 'test-key', baseUrl: running.url },
    vertexAi: { apiKey: 'test-key', baseUrl: running.url },
    catalog,
    clock,
  });
  return { clock, engine: new Engine({ provider, clock, random: () => 0.5, catalog }) };
}

async function settle(promise: Promise<ImageResult>) {
  return promise.then(
    (result) => ({ result, error: undefined }),
    (error: unknown) => {
      if (!(error instanceof ImageGenerationError)) throw error;
      return { result: undefined, error };
    },
  );
}

const request = (prompt = 'a lighthouse at dusk') => imageRequestSchema.parse({ prompt, aspectRatio: '1:1' });

const emulatable = goldenMatrix.filter((row) =>
  Object.values(row.script).every((faults) => faults.every((fault) => scriptedStep(fault) !== undefined)),
);

describe('engine golden matrix through the provider and the emulator', () => {
  it('covers every row of the matrix', () => {
    expect(emulatable.length).toBe(goldenMatrix.length);
  });

  it.each(emulatable.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
    const routeRoles = row.route ?? ['primary', 'fallback'];
    const { clock, engine } = await engineOn({
      scripted: routeRoles
        .filter((role) => (row.script[role] ?? []).length > 0)
        .map((role) => ({
          model: roles[role].modelId,
          platform: roles[role].platform,
          responses: row.script[role]!.map(scriptedStep),
        })) as ScenarioInput['scripted'],
    });
    const route = routeOf(
      routeRoles.map((role) => candidate(roles[role].modelId, roles[role].platform)),
      row.fallbackOn ? { fallbackOn: row.fallbackOn } : {},
    );
    const { result, error } = await settle(engine.run(request(), route));
    const attempts = result?.attempts ?? error?.attempts ?? [];
    const roleOf = (attempt: { modelId: string; platform: Platform }) =>
      routeRoles.find(
        (role) => roles[role].modelId === attempt.modelId && roles[role].platform === attempt.platform,
      );
    expect(attempts.map((attempt) => [roleOf(attempt), attempt.outcome, attempt.waitedBeforeMs])).toEqual(
      row.expected.attempts,
    );
    expect(clock.sleepsMs).toEqual(row.expected.sleepsMs);
    if (row.expected.result === 'success') {
      expect(error).toBeUndefined();
      expect(result?.images).toHaveLength(1);
      expect(result?.images[0]).toMatchObject({ width: 1024, height: 1024, mimeType: 'image/png' });
      const served = roles[row.expected.servedBy!];
      expect(result?.servedBy).toEqual({ modelId: served.modelId, platform: served.platform });
      expect(result?.costUsd).toBeGreaterThan(0);
    } else {
      expect(error?.outcome.kind).toBe(row.expected.result);
      if (row.expected.isRetryable !== undefined) expect(error?.isRetryable).toBe(row.expected.isRetryable);
    }
  });
});

describe('engine incidents through the provider and the emulator', () => {
  it('a preview past its shutdown: the emulator 404s it, the engine falls back to GA with a warning and never retries', async () => {
    const { clock, engine } = await engineOn({});
    const result = await engine.run(
      request(),
      routeOf([
        candidate('gemini-3.1-flash-image-preview', 'gemini-api'),
        candidate('gemini-3.1-flash-image', 'gemini-api'),
      ]),
    );
    expect(result.attempts.map((attempt) => [attempt.modelId, attempt.outcome, attempt.httpStatus])).toEqual([
      ['gemini-3.1-flash-image-preview', 'model_retired', 404],
      ['gemini-3.1-flash-image', 'success', undefined],
    ]);
    expect(clock.sleepsMs).toEqual([]);
    expect(
      result.warnings.some((warning) => warning.startsWith('fell back from gemini-3.1-flash-image-preview')),
    ).toBe(true);
    expect(running?.stats.snapshot().models['gemini-3.1-flash-image-preview']?.calls).toBe(1);
  });

  it('a 429 with retryDelay "15s" waits 15 s of clock time', async () => {
    const { clock, engine } = await engineOn({
      scripted: [
        {
          model: 'gemini-3.1-flash-image',
          responses: [{ status: 429, quota: 'per-minute', retryDelay: '15s' }],
        },
      ],
    });
    const result = await engine.run(request(), routeOf([candidate('gemini-3.1-flash-image', 'gemini-api')]));
    expect(clock.sleepsMs).toEqual([15_000]);
    expect(clock.nowMs() - JULY_FIRST).toBe(15_000);
    expect(result.attempts.map((attempt) => attempt.outcome)).toEqual(['rate_limited', 'success']);
  });

  it('a per-day quota falls back instead of retrying', async () => {
    const { clock, engine } = await engineOn({
      scripted: [{ model: 'gemini-3.1-flash-image', responses: [{ status: 429, quota: 'per-day' }] }],
    });
    const result = await engine.run(
      request(),
      routeOf([
        candidate('gemini-3.1-flash-image', 'gemini-api'),
        candidate('gemini-3-pro-image', 'gemini-api'),
      ]),
    );
    expect(result.attempts.map((attempt) => [attempt.modelId, attempt.outcome])).toEqual([
      ['gemini-3.1-flash-image', 'quota_exhausted'],
      ['gemini-3-pro-image', 'success'],
    ]);
    expect(clock.sleepsMs).toEqual([]);
  });

  it('a prompt the GA model blocks is reported as blocked_output', async () => {
    const { engine } = await engineOn({
      safety: [{ model: 'gemini-3.1-flash-image', pattern: '(?i)forbidden', verdict: 'IMAGE_SAFETY' }],
    });
    const outcome = await settle(
      engine.run(
        request('a forbidden picture'),
        routeOf([candidate('gemini-3.1-flash-image', 'gemini-api')]),
      ),
    );
    expect(outcome.error?.outcome.kind).toBe('blocked_output');
    expect(outcome.error?.attempts).toHaveLength(1);
  });
});
