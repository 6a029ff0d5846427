import type { ImageSize } from '../../catalog/index.js';
import { bareModelId } from '../../catalog/index.js';
import type { CallContext } from './call-context.js';
import { parseDurationMs } from './duration.js';
import type { EmulatorClock } from './emulator-clock.js';
import { errorFault, quotaExceededFault } from './fault-errors.js';
import type { InjectedFault, SafetyVerdict } from './fault-kinds.js';
import { sampleLogNormalMs } from './latency-sampler.js';
import { QuotaWindows } from './quota-windows.js';
import { compileTarget, modelMatches } from './rule-target.js';
import {
  instantMs,
  scenarioSchema,
  type Scenario,
  type ScriptedStep,
  type VerdictName,
} from './scenario-schema.js';
import { mulberry32 } from '../seeded-random.js';

type CallPredicate = (call: CallContext) => boolean;
type Compiled<Rule> = Rule & { applies: CallPredicate };

interface CompiledScenario {
  quotas: Compiled<Scenario['quotas'][number]>[];
  errors: Compiled<Scenario['errors'][number]>[];
  outages: Compiled<Scenario['outages'][number] & { fromMs: number; untilMs: number }>[];
  network: Compiled<Scenario['network'][number]>[];
  safety: Compiled<Scenario['safety'][number]>[];
  downgrades: Compiled<Scenario['downgrades'][number]>[];
  scripted: Compiled<Scenario['scripted'][number]>[];
  batchItemErrors: Compiled<Scenario['batches']['itemErrors'][number]>[];
}

/** What a scripted step leaves for the later questions about the same call. */
interface PendingEffect {
  verdict?: SafetyVerdict;
  servedImageSize?: ImageSize;
}

export interface FaultsOptions {
  clock: EmulatorClock;
  /** The rules (default: the empty scenario, a well-behaved emulator). */
  scenario?: Scenario;
  /** Source of randomness in [0, 1) (default: a PRNG seeded with `scenario.seed`, re-seeded on reset). */
  random?: () => number;
}

/**
 * The live fault state of one emulator instance: the scenario's rules plus what they have counted so far
 * (quota windows, positions in scripted sequences).
 *
 * A call is asked about in order: `beforeCall` (refuse it?), then `latencyMs`, `safetyVerdict` and
 * `servedImageSize` for calls that go ahead. A scripted step that is a verdict or a served size is taken by
 * `beforeCall` and handed to the later question about the same platform and model.
 */
export class Faults {
  private current: Scenario;
  private compiled: CompiledScenario;
  private random: () => number;
  private readonly injectedRandom: (() => number) | undefined;
  private readonly clock: EmulatorClock;
  private readonly quotaWindows = new QuotaWindows();
  private scriptPositions: number[] = [];
  private batchItemFailures: number[] = [];
  private unseededDraws = 0;
  private readonly pending = new Map<string, PendingEffect>();

  constructor(options: FaultsOptions) {
    this.clock = options.clock;
    this.injectedRandom = options.random;
    this.current = options.scenario ?? scenarioSchema.parse({});
    this.compiled = compileScenario(this.current);
    this.random = this.freshRandom();
    this.replaceScenario(this.current);
  }

  get scenario(): Scenario {
    return this.current;
  }

  /** Replaces the scenario, resets quota windows and scripts, applies `scenario.clock` to the clock. */
  replaceScenario(scenario: Scenario): void {
    this.compiled = compileScenario(scenario);
    this.current = scenario;
    this.resetCounters();
    if (scenario.clock) this.clock.setNow(instantMs(scenario.clock.now), { frozen: scenario.clock.frozen });
  }

  /**
   * Decides whether this call fails before any work: a scripted step, an outage window, a quota, a random
   * error or a network fault, in that order. A call that is not refused counts against the quota windows.
   */
  beforeCall(call: CallContext): InjectedFault | undefined {
    const key = pendingKey(call);
    this.pending.delete(key);
    const nowMs = this.clock.nowMs();
    const step = this.nextScriptedStep(call);
    const fault =
      step === undefined ? this.ruleFault(call, nowMs) : this.scriptedFault(step, call, key, nowMs);
    if (!fault) this.recordAccepted(call, nowMs);
    return fault;
  }

  /** Latency to add to this call in ms, sampled from the model's median/p95 (log-normal), × latency scale. */
  latencyMs(call: CallContext): number {
    const { scale, models, default: fallback } = this.current.latency;
    if (scale === 0) return 0;
    const profile =
      Object.entries(models).find(([selector]) => modelMatches(selector, call.modelId))?.[1] ?? fallback;
    return Math.round(sampleLogNormalMs(profile.medianMs, profile.p95Ms, this.random) * scale);
  }

  /**
   * How a stream of this call is paced: time to first chunk and the gap between chunks, from the scenario's
   * `streaming` section, × the latency scale (0 streams at once).
   */
  streamPacing(call: CallContext): { firstChunkMs: number; chunkGapMs: number } {
    const { scale } = this.current.latency;
    const { models, default: fallback } = this.current.streaming;
    const pacing =
      Object.entries(models).find(([selector]) => modelMatches(selector, call.modelId))?.[1] ?? fallback;
    return { firstChunkMs: pacing.firstChunkMs * scale, chunkGapMs: pacing.chunkGapMs * scale };
  }

  safetyVerdict(call: CallContext): SafetyVerdict | undefined {
    const pending = this.pending.get(pendingKey(call));
    if (pending?.verdict) {
      const verdict = pending.verdict;
      delete pending.verdict;
      return verdict;
    }
    const rule = this.compiled.safety.find((safety) => safety.applies(call) && this.draw(safety.rate));
    return rule ? verdictFromName(rule.verdict) : undefined;
  }

  /** The image size actually served: a silent-downgrade rule or step answers e.g. 1K when 2K was asked. */
  servedImageSize(call: CallContext, requested: ImageSize): ImageSize {
    const pending = this.pending.get(pendingKey(call));
    if (pending?.servedImageSize) {
      const size = pending.servedImageSize;
      delete pending.servedImageSize;
      return size;
    }
    const rule = this.compiled.downgrades.find(
      (downgrade) => downgrade.from === requested && downgrade.applies(call) && this.draw(downgrade.rate),
    );
    return rule?.to ?? requested;
  }

  /**
   * Numbers the draws without a request seed, 1, 2, 3… from the start of the scenario run: the real models
   * give a new picture per call unless seeded, and numbering (rather than randomness) keeps a test's images
   * the same on every run.
   */
  nextUnseededDraw(): number {
    return ++this.unseededDraws;
  }

  /**
   * Whether one item of a batch job fails inside it (`batches.itemErrors`): the first rule that matches the
   * item's model, prompt and key, has failures left (`times`) and draws its rate decides.
   */
  batchItemFault(call: Omit<CallContext, 'method'>): InjectedFault | undefined {
    const context: CallContext = { ...call, method: 'batchGenerateContent' };
    const index = this.compiled.batchItemErrors.findIndex(
      (rule, position) =>
        rule.applies(context) &&
        (rule.times === undefined || (this.batchItemFailures[position] ?? 0) < rule.times) &&
        this.draw(rule.rate),
    );
    const rule = this.compiled.batchItemErrors[index];
    if (!rule) return undefined;
    this.batchItemFailures[index] = (this.batchItemFailures[index] ?? 0) + 1;
    return errorFault(rule, { ...context, nowMs: this.clock.nowMs() });
  }

  /** Empties the quota windows, restarts every scripted sequence and re-seeds the PRNG. Leaves the clock. */
  resetCounters(): void {
    this.unseededDraws = 0;
    this.batchItemFailures = this.compiled.batchItemErrors.map(() => 0);
    this.quotaWindows.reset();
    this.scriptPositions = this.compiled.scripted.map(() => 0);
    this.pending.clear();
    this.random = this.freshRandom();
  }

  private freshRandom(): () => number {
    return this.injectedRandom ?? mulberry32(this.current.seed);
  }

  /** True with probability `rate`; certain rates draw nothing so they do not shift the random sequence. */
  private draw(rate: number): boolean {
    if (rate >= 1) return true;
    if (rate <= 0) return false;
    return this.random() < rate;
  }

  private nextScriptedStep(call: CallContext): ScriptedStep | undefined {
    const index = this.compiled.scripted.findIndex(
      (script, position) =>
        script.applies(call) &&
        (script.repeat || (this.scriptPositions[position] ?? 0) < script.responses.length),
    );
    const script = this.compiled.scripted[index];
    if (!script) return undefined;
    const position = this.scriptPositions[index] ?? 0;
    this.scriptPositions[index] = position + 1;
    return script.responses[position % script.responses.length];
  }

  /** A scripted step decides the call alone: no outage, quota or random rule applies to it. */
  private scriptedFault(
    step: ScriptedStep,
    call: CallContext,
    key: string,
    nowMs: number,
  ): InjectedFault | undefined {
    const context = { modelId: call.modelId, method: call.method, nowMs };
    if (step === 'ok') return undefined;
    if (typeof step === 'number') return errorFault({ status: step }, context);
    if (step === 'connection-reset' || step === 'truncated-body') return { kind: step };
    if (typeof step === 'string') {
      this.pending.set(key, { verdict: verdictFromName(step) });
      return undefined;
    }
    if (step.status !== undefined) return errorFault({ ...step, status: step.status }, context);
    if (step.fault !== undefined) return { kind: step.fault };
    this.pending.set(key, {
      ...(step.verdict === undefined ? {} : { verdict: verdictFromName(step.verdict) }),
      ...(step.servedImageSize === undefined ? {} : { servedImageSize: step.servedImageSize }),
    });
    return undefined;
  }

  private ruleFault(call: CallContext, nowMs: number): InjectedFault | undefined {
    const context = { modelId: call.modelId, method: call.method, nowMs };
    const outage = this.compiled.outages.find(
      (window) => window.applies(call) && nowMs >= window.fromMs && nowMs < window.untilMs,
    );
    if (outage) return errorFault(outage, context);
    const quotaFault = this.quotaFault(call, nowMs);
    if (quotaFault) return quotaFault;
    const error = this.compiled.errors.find((rule) => rule.applies(call) && this.draw(rule.rate));
    if (error) return errorFault(error, context);
    const network = this.compiled.network.find((rule) => rule.applies(call) && this.draw(rule.rate));
    return network ? { kind: network.fault } : undefined;
  }

  private quotaFault(call: CallContext, nowMs: number): InjectedFault | undefined {
    for (const [index, rule] of this.compiled.quotas.entries()) {
      if (!rule.applies(call)) continue;
      const refusal = this.quotaWindows.check(quotaKey(index, call), rule, nowMs);
      if (!refusal) continue;
      return quotaExceededFault({
        window: refusal.window,
        modelId: call.modelId,
        quotaValue: refusal.limit,
        retryDelayMs:
          rule.retryDelay === 'none'
            ? undefined
            : rule.retryDelay === undefined
              ? refusal.retryAfterMs
              : parseDurationMs(rule.retryDelay),
        retryAfterHeader: rule.retryAfterHeader,
      });
    }
    return undefined;
  }

  private recordAccepted(call: CallContext, nowMs: number): void {
    for (const [index, rule] of this.compiled.quotas.entries()) {
      if (rule.applies(call)) this.quotaWindows.record(quotaKey(index, call), nowMs);
    }
  }
}

function compileScenario(scenario: Scenario): CompiledScenario {
  const compile = <Rule extends Parameters<typeof compileTarget>[0]>(rule: Rule): Compiled<Rule> => ({
    ...rule,
    applies: compileTarget(rule),
  });
  return {
    quotas: scenario.quotas.map(compile),
    errors: scenario.errors.map(compile),
    outages: scenario.outages.map((outage) => ({
      ...compile(outage),
      fromMs: instantMs(outage.from),
      untilMs: instantMs(outage.until),
    })),
    network: scenario.network.map(compile),
    safety: scenario.safety.map(compile),
    downgrades: scenario.downgrades.map(compile),
    scripted: scenario.scripted.map(compile),
    // Items are matched whatever their method: the rule's own section says they are batch items.
    batchItemErrors: scenario.batches.itemErrors.map((rule) => ({
      ...rule,
      applies: compileTarget({ ...rule, methods: '*' }),
    })),
  };
}

export function verdictFromName(name: VerdictName): SafetyVerdict {
  const blockPrefix = 'block-prompt:';
  if (name.startsWith(blockPrefix)) {
    return {
      kind: 'block-prompt',
      blockReason: name.slice(blockPrefix.length) as Extract<
        SafetyVerdict,
        { kind: 'block-prompt' }
      >['blockReason'],
    };
  }
  return { kind: 'finish', finishReason: name as Extract<SafetyVerdict, { kind: 'finish' }>['finishReason'] };
}

/** Quotas are per project and model: the API key stands for the project. */
function quotaKey(ruleIndex: number, call: CallContext): string {
  return JSON.stringify([
    ruleIndex,
    call.platform,
    call.modelId && bareModelId(call.modelId),
    call.apiKey ?? '',
  ]);
}

function pendingKey(call: CallContext): string {
  return JSON.stringify([call.platform, call.modelId && bareModelId(call.modelId)]);
}
