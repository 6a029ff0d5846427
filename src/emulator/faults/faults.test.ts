import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock/index.js';
import type { CallContext } from './call-context.js';
import { EmulatorClock } from './emulator-clock.js';
import type { InjectedFault } from './fault-kinds.js';
import { Faults } from './faults.js';
import { loadScenarioFile } from './parse-scenario.js';
import { scenarioSchema, type ScenarioInput } from './scenario-schema.js';

const proImage = 'gemini-3-pro-image';
const flashImage = 'gemini-3.1-flash-image';
const start = Date.parse('2026-06-26T10:00:00Z');

function setup(scenario: ScenarioInput, random?: () => number) {
  const base = new ManualClock(start);
  const clock = new EmulatorClock(base);
  const faults = new Faults({ clock, scenario: scenarioSchema.parse(scenario), random });
  return { base, clock, faults };
}

function call(overrides: Partial<CallContext> = {}): CallContext {
  return {
    platform: 'gemini-api',
    modelId: proImage,
    method: 'generateContent',
    prompt: 'a cat',
    ...overrides,
  };
}

/** A compact name for what a call got: `ok`, the HTTP status, or the network fault. */
function outcome(fault: InjectedFault | undefined): string {
  if (!fault) return 'ok';
  return fault.kind === 'error' ? String(fault.httpStatus) : fault.kind;
}

function errorOf(fault: InjectedFault | undefined) {
  if (fault?.kind !== 'error') throw new Error(`expected an error fault, got ${outcome(fault)}`);
  return fault;
}

describe('Faults: scripted sequences', () => {
  it('answers 503, 503, then normally, per model and in order', () => {
    const { faults } = setup({ scripted: [{ model: proImage, responses: [503, 503, 'ok'] }] });
    expect(outcome(faults.beforeCall(call({ modelId: flashImage })))).toBe('ok');
    const answers = Array.from({ length: 5 }, () => outcome(faults.beforeCall(call())));
    expect(answers).toEqual(['503', '503', 'ok', 'ok', 'ok']);
  });

  it('matches model IDs given with a models/ prefix', () => {
    const { faults } = setup({ scripted: [{ model: proImage, responses: [500] }] });
    expect(outcome(faults.beforeCall(call({ modelId: `models/${proImage}` })))).toBe('500');
  });

  it('repeats a sequence when told to', () => {
    const { faults } = setup({ scripted: [{ model: proImage, responses: [504, 'ok'], repeat: true }] });
    const answers = Array.from({ length: 4 }, () => outcome(faults.beforeCall(call())));
    expect(answers).toEqual(['504', 'ok', '504', 'ok']);
  });

  it('gives a 429 per-minute with the scripted retry delay', () => {
    const { faults } = setup({
      scripted: [{ model: proImage, responses: [{ status: 429, quota: 'per-minute', retryDelay: '15s' }] }],
    });
    const fault = errorOf(faults.beforeCall(call()));
    expect(fault.body.error.status).toBe('RESOURCE_EXHAUSTED');
    expect(fault.body.error.details).toContainEqual({
      '@type': 'type.googleapis.com/google.rpc.RetryInfo',
      retryDelay: '15s',
    });
    expect(fault.body.error.details?.[0]).toMatchObject({
      violations: [
        { quotaId: 'GenerateRequestsPerMinutePerProjectPerModel', quotaDimensions: { model: proImage } },
      ],
    });
    expect(fault.headers).toEqual({});
  });

  it('gives a 429 per-day naming the daily quota', () => {
    const { faults } = setup({
      scripted: [{ model: proImage, responses: [{ status: 429, quota: 'per-day' }] }],
    });
    const fault = errorOf(faults.beforeCall(call()));
    expect(fault.body.error.details?.[0]).toMatchObject({
      violations: [
        {
          quotaMetric: 'generativelanguage.googleapis.com/generate_requests_per_model_per_day',
          quotaId: 'GenerateRequestsPerDayPerProjectPerModel',
          quotaValue: '250',
        },
      ],
    });
  });

  it('scripts network faults', () => {
    const { faults } = setup({
      scripted: [{ model: proImage, responses: ['connection-reset', { fault: 'truncated-body' }] }],
    });
    expect(faults.beforeCall(call())).toEqual({ kind: 'connection-reset' });
    expect(faults.beforeCall(call())).toEqual({ kind: 'truncated-body' });
  });

  it('hands a scripted verdict to safetyVerdict for the same call only', () => {
    const { faults } = setup({
      scripted: [
        { model: proImage, responses: ['IMAGE_SAFETY', { verdict: 'NO_IMAGE' }, 'block-prompt:SAFETY'] },
      ],
    });
    const verdicts = Array.from({ length: 3 }, () => {
      expect(faults.beforeCall(call())).toBeUndefined();
      return faults.safetyVerdict(call());
    });
    expect(verdicts).toEqual([
      { kind: 'finish', finishReason: 'IMAGE_SAFETY' },
      { kind: 'finish', finishReason: 'NO_IMAGE' },
      { kind: 'block-prompt', blockReason: 'SAFETY' },
    ]);
    expect(faults.beforeCall(call())).toBeUndefined();
    expect(faults.safetyVerdict(call())).toBeUndefined();
  });

  it('does not carry a verdict the app never asked for into the next call', () => {
    const { faults } = setup({ scripted: [{ model: proImage, responses: ['IMAGE_SAFETY'] }] });
    faults.beforeCall(call());
    faults.beforeCall(call());
    expect(faults.safetyVerdict(call())).toBeUndefined();
  });

  it('scripts a silent downgrade', () => {
    const { faults } = setup({ scripted: [{ model: proImage, responses: [{ servedImageSize: '1K' }] }] });
    faults.beforeCall(call());
    expect(faults.servedImageSize(call(), '2K')).toBe('1K');
    faults.beforeCall(call());
    expect(faults.servedImageSize(call(), '2K')).toBe('2K');
  });

  it('matches a scripted entry by prompt pattern', () => {
    const { faults } = setup({ scripted: [{ pattern: '(?i)^FAIL', responses: [503, 503] }] });
    expect(outcome(faults.beforeCall(call({ prompt: 'a cat' })))).toBe('ok');
    expect(outcome(faults.beforeCall(call({ prompt: 'fail twice', modelId: flashImage })))).toBe('503');
    expect(outcome(faults.beforeCall(call({ prompt: 'Fail twice' })))).toBe('503');
    expect(outcome(faults.beforeCall(call({ prompt: 'Fail twice' })))).toBe('ok');
  });

  it('leaves methods other than generation alone by default', () => {
    const { faults } = setup({ scripted: [{ model: proImage, responses: [503] }] });
    expect(outcome(faults.beforeCall(call({ method: 'countTokens' })))).toBe('ok');
    expect(outcome(faults.beforeCall(call({ method: 'streamGenerateContent' })))).toBe('503');
  });

  it('decides the call alone: an outage does not override a scripted ok', () => {
    const { faults } = setup({
      outages: [{ from: '2026-06-26T00:00:00Z', until: '2026-06-27T00:00:00Z' }],
      scripted: [{ model: proImage, responses: ['ok'] }],
    });
    expect(outcome(faults.beforeCall(call()))).toBe('ok');
    expect(outcome(faults.beforeCall(call()))).toBe('503');
  });
});

describe('Faults: quotas', () => {
  it('refuses over the per-minute limit and frees the window as emulated time passes', () => {
    const { base, faults } = setup({ quotas: [{ model: proImage, rpm: 2 }] });
    expect(outcome(faults.beforeCall(call()))).toBe('ok');
    base.advance(10_000);
    expect(outcome(faults.beforeCall(call()))).toBe('ok');
    base.advance(5_000);
    const refused = errorOf(faults.beforeCall(call()));
    expect(refused.body.error.details).toContainEqual({
      '@type': 'type.googleapis.com/google.rpc.RetryInfo',
      retryDelay: '45s',
    });
    expect(refused.body.error.details?.[0]).toMatchObject({ violations: [{ quotaValue: '2' }] });
    base.advance(45_000);
    expect(outcome(faults.beforeCall(call()))).toBe('ok');
  });

  it('does not count refused calls', () => {
    const { base, faults } = setup({ quotas: [{ model: proImage, rpm: 1 }] });
    faults.beforeCall(call());
    base.advance(30_000);
    expect(outcome(faults.beforeCall(call()))).toBe('429');
    base.advance(30_000);
    expect(outcome(faults.beforeCall(call()))).toBe('ok');
  });

  it('counts each model separately under a * rule, and each API key as its own project', () => {
    const { faults } = setup({ quotas: [{ model: '*', rpm: 1 }] });
    expect(outcome(faults.beforeCall(call()))).toBe('ok');
    expect(outcome(faults.beforeCall(call({ modelId: flashImage })))).toBe('ok');
    expect(outcome(faults.beforeCall(call({ apiKey: 'other-project' })))).toBe('ok');
    expect(outcome(faults.beforeCall(call()))).toBe('429');
  });

  it('refuses over the per-day limit until midnight Pacific in emulated time', () => {
    const { clock, faults } = setup({ quotas: [{ model: proImage, rpd: 2 }] });
    clock.setNow(Date.parse('2026-06-26T20:00:00Z'));
    faults.beforeCall(call());
    faults.beforeCall(call());
    const refused = errorOf(faults.beforeCall(call()));
    expect(refused.body.error.details?.[0]).toMatchObject({
      violations: [{ quotaId: 'GenerateRequestsPerDayPerProjectPerModel', quotaValue: '2' }],
    });
    // 20:00 UTC is 13:00 PDT: 11 hours to midnight Pacific.
    expect(refused.body.error.details).toContainEqual({
      '@type': 'type.googleapis.com/google.rpc.RetryInfo',
      retryDelay: '39600s',
    });
    clock.setNow(Date.parse('2026-06-27T07:00:00Z'));
    expect(outcome(faults.beforeCall(call()))).toBe('ok');
  });

  it('sends Retry-After or a fixed delay only when the rule says so', () => {
    const { faults } = setup({
      quotas: [
        { model: proImage, rpm: 1, retryAfterHeader: true },
        { model: flashImage, rpm: 1, retryDelay: 'none' },
      ],
    });
    faults.beforeCall(call());
    expect(errorOf(faults.beforeCall(call())).headers).toEqual({ 'Retry-After': '60' });
    faults.beforeCall(call({ modelId: flashImage }));
    const withoutDelay = errorOf(faults.beforeCall(call({ modelId: flashImage })));
    expect(withoutDelay.headers).toEqual({});
    expect(withoutDelay.body.error.details?.map((detail) => detail['@type'])).not.toContain(
      'type.googleapis.com/google.rpc.RetryInfo',
    );
  });

  it('starts the windows afresh on resetCounters', () => {
    const { faults } = setup({ quotas: [{ model: proImage, rpm: 1 }] });
    faults.beforeCall(call());
    faults.resetCounters();
    expect(outcome(faults.beforeCall(call()))).toBe('ok');
  });
});

describe('Faults: outages', () => {
  it('refuses calls inside the window of emulated time only', () => {
    const { clock, faults } = setup({
      outages: [
        { model: flashImage, from: '2026-07-01T00:00:00Z', until: '2026-07-01T02:00:00Z', status: 500 },
      ],
    });
    const flash = call({ modelId: flashImage });
    expect(outcome(faults.beforeCall(flash))).toBe('ok');
    clock.setNow(Date.parse('2026-07-01T01:00:00Z'));
    expect(outcome(faults.beforeCall(flash))).toBe('500');
    expect(outcome(faults.beforeCall(call()))).toBe('ok');
    clock.setNow(Date.parse('2026-07-01T02:00:00Z'));
    expect(outcome(faults.beforeCall(flash))).toBe('ok');
  });

  it('defaults to 503 with Google wording', () => {
    const { faults } = setup({ outages: [{ from: '2026-06-26', until: '2026-06-27' }] });
    expect(errorOf(faults.beforeCall(call())).body.error).toMatchObject({
      code: 503,
      status: 'UNAVAILABLE',
      message: 'The model is overloaded. Please try again later.',
    });
  });
});

describe('Faults: random errors and network faults', () => {
  const scenario: ScenarioInput = {
    seed: 42,
    errors: [{ status: 503, rate: 0.2 }],
    network: [
      { fault: 'connection-reset', rate: 0.1 },
      { fault: 'truncated-body', rate: 0.1 },
    ],
  };

  it('gives the same sequence for the same seed', () => {
    const first = setup(scenario).faults;
    const second = setup(scenario).faults;
    const run = (faults: Faults) => Array.from({ length: 50 }, () => outcome(faults.beforeCall(call())));
    const firstRun = run(first);
    expect(run(second)).toEqual(firstRun);
    expect(new Set(firstRun)).toEqual(new Set(['ok', '503', 'connection-reset', 'truncated-body']));
    expect(run(setup({ ...scenario, seed: 43 }).faults)).not.toEqual(firstRun);
  });

  it('replays the sequence after resetCounters', () => {
    const { faults } = setup(scenario);
    const firstRun = Array.from({ length: 20 }, () => outcome(faults.beforeCall(call())));
    faults.resetCounters();
    expect(Array.from({ length: 20 }, () => outcome(faults.beforeCall(call())))).toEqual(firstRun);
  });

  it('fails about the given share of calls', () => {
    const { faults } = setup({ seed: 7, errors: [{ status: 500, rate: 0.3 }] });
    const failures = Array.from({ length: 2_000 }, () => faults.beforeCall(call())).filter(Boolean).length;
    expect(failures).toBeGreaterThan(520);
    expect(failures).toBeLessThan(680);
  });

  it('uses an injected source of randomness', () => {
    const { faults } = setup({ errors: [{ status: 504, rate: 0.5 }] }, () => 0.49);
    expect(outcome(faults.beforeCall(call()))).toBe('504');
  });

  it('applies an error rule to its platform only', () => {
    const { faults } = setup({ errors: [{ platform: 'vertex-ai', status: 500, rate: 1 }] });
    expect(outcome(faults.beforeCall(call()))).toBe('ok');
    expect(outcome(faults.beforeCall(call({ platform: 'vertex-ai' })))).toBe('500');
  });
});

describe('Faults: safety and downgrades', () => {
  it('answers a matching prompt with the rule verdict', () => {
    const { faults } = setup({
      safety: [
        { model: flashImage, pattern: '(?i)weapon', verdict: 'IMAGE_SAFETY' },
        { pattern: 'forbidden', verdict: 'block-prompt:PROHIBITED_CONTENT' },
      ],
    });
    expect(faults.safetyVerdict(call({ modelId: flashImage, prompt: 'A WEAPON' }))).toEqual({
      kind: 'finish',
      finishReason: 'IMAGE_SAFETY',
    });
    expect(faults.safetyVerdict(call({ prompt: 'A WEAPON' }))).toBeUndefined();
    expect(faults.safetyVerdict(call({ prompt: 'something forbidden' }))).toEqual({
      kind: 'block-prompt',
      blockReason: 'PROHIBITED_CONTENT',
    });
  });

  it('downgrades only the size named in the rule, for matching prompts', () => {
    const { faults } = setup({ downgrades: [{ model: proImage, from: '2K', to: '1K', pattern: 'poster' }] });
    expect(faults.servedImageSize(call({ prompt: 'a poster' }), '2K')).toBe('1K');
    expect(faults.servedImageSize(call({ prompt: 'a poster' }), '4K')).toBe('4K');
    expect(faults.servedImageSize(call({ prompt: 'a cat' }), '2K')).toBe('2K');
  });
});

describe('Faults: latency', () => {
  it('uses the model profile, scaled, and the default profile for other models', () => {
    const { faults } = setup({
      latency: { scale: 0.5, models: { [proImage]: { medianMs: 8_000, p95Ms: 8_000 } } },
    });
    expect(faults.latencyMs(call())).toBe(4_000);
    expect(faults.latencyMs(call({ modelId: flashImage }))).toBe(0);
  });

  it('answers at once with scale 0', () => {
    const { faults } = setup({ latency: { scale: 0, default: { medianMs: 5_000, p95Ms: 20_000 } } });
    expect(faults.latencyMs(call())).toBe(0);
  });

  it('samples a spread between median and tail', () => {
    const { faults } = setup({ latency: { default: { medianMs: 1_000, p95Ms: 4_000 } } });
    const samples = Array.from({ length: 200 }, () => faults.latencyMs(call()));
    expect(Math.min(...samples)).toBeLessThan(1_000);
    expect(Math.max(...samples)).toBeGreaterThan(1_000);
  });
});

describe('Faults: stream pacing', () => {
  it('takes the first matching model entry, else the default, times the latency scale', () => {
    const { faults } = setup({
      latency: { scale: 0.5 },
      streaming: {
        default: { firstChunkMs: 100 },
        models: { 'gemini-3-pro*': { firstChunkMs: 800, chunkGapMs: 40 } },
      },
    });
    expect(faults.streamPacing(call())).toEqual({ firstChunkMs: 400, chunkGapMs: 20 });
    expect(faults.streamPacing(call({ modelId: flashImage }))).toEqual({ firstChunkMs: 50, chunkGapMs: 0 });
  });
});

describe('Faults: numbering unseeded draws', () => {
  it('counts from 1 and starts over when the counters are reset or a scenario is applied', () => {
    const { faults } = setup({});
    expect([faults.nextUnseededDraw(), faults.nextUnseededDraw()]).toEqual([1, 2]);
    faults.resetCounters();
    expect(faults.nextUnseededDraw()).toBe(1);
    faults.replaceScenario(scenarioSchema.parse({ seed: 9 }));
    expect(faults.nextUnseededDraw()).toBe(1);
  });
});

describe('Faults: rules for one API key', () => {
  it('applies a quota with an apiKey only to calls with that key', () => {
    const { faults } = setup({ quotas: [{ apiKey: 'team-a', rpm: 1, retryDelay: 'none' }] });
    expect(outcome(faults.beforeCall(call({ apiKey: 'team-a' })))).toBe('ok');
    expect(outcome(faults.beforeCall(call({ apiKey: 'team-a' })))).toBe('429');
    expect(outcome(faults.beforeCall(call({ apiKey: 'team-b' })))).toBe('ok');
    expect(outcome(faults.beforeCall(call({ apiKey: 'team-b' })))).toBe('ok');
  });
});

describe('Faults: batch items', () => {
  const item = { platform: 'gemini-api' as const, modelId: flashImage, prompt: 'a red fox' };

  it("fails matching items only, the first `times` of them, with the rule's error", () => {
    const { faults } = setup({
      batches: { itemErrors: [{ pattern: 'fox', status: 503, times: 2, message: 'busy' }] },
    });
    expect(outcome(faults.batchItemFault({ ...item, prompt: 'a lighthouse' }))).toBe('ok');
    expect(errorOf(faults.batchItemFault(item)).body.error).toMatchObject({ code: 503, message: 'busy' });
    expect(outcome(faults.batchItemFault(item))).toBe('503');
    expect(outcome(faults.batchItemFault(item))).toBe('ok');
    faults.resetCounters();
    expect(outcome(faults.batchItemFault(item))).toBe('503');
  });

  it('is not asked by ordinary calls, and item rules leave generateContent alone', () => {
    const { faults } = setup({ batches: { itemErrors: [{ status: 429 }] } });
    expect(outcome(faults.beforeCall(call({ modelId: flashImage, prompt: 'a red fox' })))).toBe('ok');
    expect(outcome(faults.batchItemFault(item))).toBe('429');
  });
});

describe('Faults: replacing the scenario', () => {
  it('applies the scenario clock and restarts scripts', () => {
    const { clock, faults } = setup({ scripted: [{ model: proImage, responses: [503] }] });
    faults.beforeCall(call());
    faults.replaceScenario(
      scenarioSchema.parse({
        clock: { now: '2026-10-30T00:00:00Z', frozen: true },
        scripted: [{ model: proImage, responses: [500] }],
      }),
    );
    expect(clock.nowMs()).toBe(Date.parse('2026-10-30T00:00:00Z'));
    expect(clock.isFrozen).toBe(true);
    expect(outcome(faults.beforeCall(call()))).toBe('500');
    expect(faults.scenario.scripted[0]?.responses).toEqual([500]);
  });

  it('leaves the clock alone when the scenario has no clock', () => {
    const { clock, faults } = setup({});
    clock.setNow(Date.parse('2027-01-01T00:00:00Z'));
    faults.replaceScenario(scenarioSchema.parse({}));
    expect(clock.nowMs()).toBe(Date.parse('2027-01-01T00:00:00Z'));
  });
});

describe('Faults: the documented example scenario', () => {
  it('behaves as its comments say', async () => {
    const scenario = await loadScenarioFile(
      fileURLToPath(new URL('../../../docs/examples/scenario.yaml', import.meta.url)),
    );
    const clock = new EmulatorClock(new ManualClock(start));
    const faults = new Faults({ clock, scenario, random: () => 0.99 });
    expect(clock.nowMs()).toBe(Date.parse('2026-06-26T00:00:00Z'));
    const pro = Array.from({ length: 3 }, () => outcome(faults.beforeCall(call())));
    expect(pro).toEqual(['503', '503', 'ok']);
    const quota = Array.from({ length: 3 }, () =>
      outcome(faults.beforeCall(call({ modelId: flashImage, prompt: 'Quota drill' }))),
    );
    expect(quota).toEqual(['429', '429', 'ok']);
    const chaos = call({ modelId: flashImage, prompt: 'chaos' });
    const walk = Array.from({ length: 8 }, () => {
      const fault = faults.beforeCall(chaos);
      return fault ? outcome(fault) : (faults.safetyVerdict(chaos) ?? faults.servedImageSize(chaos, '2K'));
    });
    expect(walk).toEqual([
      '500',
      '504',
      'connection-reset',
      'truncated-body',
      { kind: 'finish', finishReason: 'NO_IMAGE' },
      { kind: 'block-prompt', blockReason: 'SAFETY' },
      '1K',
      '2K',
    ]);
  });
});
