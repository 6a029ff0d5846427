import { builtInCatalog } from '../catalog/index.js';
import {
  knownValue,
  lifecycleOn,
  outputPixelSize,
  suggestModelIds,
  type LifecycleStatus,
} from '../catalog/index.js';
import type { Catalog, CatalogModel, Platform } from '../catalog/index.js';
import { systemClock, type Clock } from '../clock/index.js';
import { classifyError } from '../outcome/index.js';
import { classifyResponse, type ResponseClassification } from '../outcome/index.js';
import { classifyTextResponse } from '../outcome/index.js';
import { outcomeOf, type Outcome } from '../outcome/index.js';
import { addUsage, zeroUsage, type Usage } from '../outcome/index.js';
import type { ExpectedImage, VerifiedImage } from '../outcome/index.js';
import type { ImageProvider } from '../provider/index.js';
import { mimeTypeOfFormat, type ImageRequest } from '../request/index.js';
import type { Attempt, ImageResult } from './attempt.js';
import { retryWaitMs } from './backoff.js';
import { defaultCircuitBreakerOptions, type CircuitBreakerOptions } from './circuit-breaker.js';
import { costOfUsage } from './cost.js';
import { ImageGenerationError } from './image-generation-error.js';
import {
  adaptRequest as registryAdaptRequest,
  type AdaptedRequest,
  type ModelLimits,
  type Route,
  type RouteCandidate,
  type RoutePolicy,
} from '../registry/index.js';
import { LocalUpstreamGuards } from './local-upstream-guards.js';
import type { ModelBreaker, ModelQuota, QuotaSlot, UpstreamGuards } from './upstream-guards.js';

/** Fits a request to one candidate's capabilities (translate, drop with a warning, or refuse). */
export type AdaptRequest = (
  request: ImageRequest,
  model: CatalogModel,
  policy: RoutePolicy,
) => AdaptedRequest;

export interface EngineOptions {
  provider: ImageProvider;
  /** Default: the system clock. */
  clock?: Clock;
  /** Uniform numbers in [0, 1) for backoff jitter. Default: `Math.random`. */
  random?: () => number;
  /** Client-side limits per (platform, model). Default: none. */
  limitsFor?: (platform: Platform, modelId: string) => ModelLimits;
  /** Default: 5 consecutive transient failures open the circuit for 5000 ms. Unused with `upstreamGuards`. */
  circuitBreaker?: Partial<CircuitBreakerOptions>;
  /**
   * Where the per-(platform, model) quota pacers and circuit breakers live. Default: in this process
   * (`LocalUpstreamGuards`); several instances pass shared ones (Redis) so they spend one quota together.
   */
  upstreamGuards?: UpstreamGuards;
  /** Used for "did you mean" suggestions on unknown IDs. Default: the built-in catalog. */
  catalog?: Catalog;
  /** Fits a request to a candidate. Default: the registry's `adaptRequest` with the route's parameter policy. */
  adaptRequest?: AdaptRequest;
}

export interface RunOptions {
  signal?: AbortSignal;
  onAttempt?: (attempt: Attempt) => void;
  /** Warnings raised during the run. Route warnings are in the result but are the resolver's to announce. */
  onWarning?: (warning: string) => void;
}

/*
 * The decision table, applied after every attempt on a candidate (docs/error-handling.md):
 *
 *   outcome           | same candidate again?                        | next candidate?
 *   ------------------+----------------------------------------------+--------------------------------------
 *   success           | done                                         | –
 *   no_image          | once more, no wait                           | if fallbackOn lists it
 *   wrong_output      | once more, no wait                           | if fallbackOn lists it
 *   rate_limited      | after retryAfterMs exactly, else full-jitter | after maxAttempts or maxTotalWaitMs
 *   unavailable       | full-jitter backoff; breaker counts it       | after maxAttempts or maxTotalWaitMs
 *   quota_exhausted   | no                                           | if fallbackOn lists it
 *   model_retired     | no                                           | if listed; GA candidates only
 *   region_blocked    | no                                           | if listed; another platform only
 *   blocked_prompt    | no                                           | only if fallbackOn lists it
 *   blocked_output    | no                                           | only if fallbackOn lists it
 *   model_not_found, invalid_request, auth_failed, unknown_error     | no | no: fail
 *   cancelled         | stop at once, no further call                | no
 *
 * Every fallback target must be GA (or deprecated but not shut down) on the engine's clock; other
 * candidates are skipped with a warning. A wait that would overrun `totalBudgetMs` is not started: the run
 * fails with the last outcome and `isRetryable: true`. Before a candidate is first used the request is
 * adapted to it; a refusal skips the candidate with a warning.
 *
 * Circuit breakers: an open circuit refuses the candidate without a call (recorded as `unavailable`, latency
 * 0), and the failure that opens one is not followed by a backoff wait. While another run's half-open trial
 * call is out, the run waits for its verdict. A run that fails with every candidate it tried behind an open
 * circuit carries `circuitOpenUntilMs`, so the task layer parks it until the next trial instead of
 * counting it as a run.
 */

interface RunState {
  readonly route: Route;
  readonly startedAtMs: number;
  readonly signal: AbortSignal | undefined;
  readonly options: RunOptions;
  readonly attempts: Attempt[];
  readonly warnings: string[];
  readonly billed: Array<{ usage: Usage; model: CatalogModel }>;
  /** Clock time of the wait that precedes the next attempt. */
  pendingWaitMs: number;
  lastOutcome: Outcome | undefined;
}

type CandidateResult =
  { status: 'served'; classification: ResponseClassification } | { status: 'failed'; outcome: Outcome };

interface ServedCall {
  candidateIndex: number;
  candidate: RouteCandidate;
  classification: ResponseClassification;
}

/** Outcomes after which the same candidate gets exactly one more try, without waiting. */
const retryOnceKinds = new Set(['no_image', 'wrong_output']);

/** The only place that retries, waits or falls back. One engine is shared by all runs of a process. */
export class Engine {
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly catalog: Catalog | undefined;
  private readonly adaptRequest: AdaptRequest;
  private readonly guards: UpstreamGuards;
  /** (platform, model) pairs that returned a 200 in this process: a later 404 means retirement. */
  private readonly answered = new Set<string>();

  constructor(private readonly options: EngineOptions) {
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.catalog = options.catalog;
    this.guards =
      options.upstreamGuards ??
      new LocalUpstreamGuards({ ...defaultCircuitBreakerOptions, ...options.circuitBreaker });
    this.adaptRequest =
      options.adaptRequest ??
      ((request, model, policy) => registryAdaptRequest(request, model, policy.parameterPolicy));
  }

  async run(request: ImageRequest, route: Route, options: RunOptions = {}): Promise<ImageResult> {
    const state: RunState = {
      route,
      startedAtMs: this.clock.nowMs(),
      signal: options.signal,
      options,
      attempts: [],
      warnings: [...route.warnings],
      billed: [],
      pendingWaitMs: 0,
      lastOutcome: undefined,
    };
    this.throwIfCancelled(state);
    if (route.candidates.length === 0) {
      throw this.failure(state, outcomeOf('invalid_request', `route "${route.name}" has no candidates`));
    }
    const images: VerifiedImage[] = [];
    const texts: string[] = [];
    const modelContents: unknown[] = [];
    let servedBy: RouteCandidate | undefined;
    let startIndex = 0;
    // A text request is one served call; an image request loops until it has every image it asked for.
    const wantsText = request.responseModality === 'text';
    while (wantsText ? texts.length === 0 && servedBy === undefined : images.length < request.imageCount) {
      const served = await this.runCall(request, request.imageCount - images.length, startIndex, state);
      if (servedBy && !sameTarget(servedBy, served.candidate)) {
        this.warn(
          state,
          `images ${images.length + 1}+ were served by ${describe(served.candidate)}, not ${describe(servedBy)}`,
        );
      }
      servedBy ??= served.candidate;
      startIndex = served.candidateIndex;
      images.push(...served.classification.images);
      if (served.classification.text) texts.push(served.classification.text);
      if (served.classification.modelContent !== undefined)
        modelContents.push(served.classification.modelContent);
    }
    const firstServed = servedBy ?? route.candidates[0]!;
    const costUsd = this.totalCost(state);
    return {
      images: images.slice(0, request.imageCount),
      ...(texts.length > 0 ? { text: texts.join('\n') } : {}),
      usage: state.billed.reduce((sum, entry) => addUsage(sum, entry.usage), zeroUsage),
      ...(costUsd !== undefined ? { costUsd } : {}),
      attempts: state.attempts,
      servedBy: { modelId: firstServed.modelId, platform: firstServed.platform },
      warnings: state.warnings,
      modelContents,
    };
  }

  /** One provider call's worth of images, walking the route from `startIndex` until a candidate serves. */
  private async runCall(
    request: ImageRequest,
    imagesWanted: number,
    startIndex: number,
    state: RunState,
  ): Promise<ServedCall> {
    const { route } = state;
    const refusals: string[] = [];
    const tried: RouteCandidate[] = [];
    let failed: { candidate: RouteCandidate; outcome: Outcome } | undefined;
    for (let index = startIndex; index < route.candidates.length; index++) {
      const candidate = route.candidates[index]!;
      if (failed) {
        const skipReason = this.fallbackSkipReason(candidate, failed);
        if (skipReason) {
          this.warn(state, `skipped fallback ${describe(candidate)}: ${skipReason}`);
          continue;
        }
      }
      const adapted = this.adaptRequest(request, candidate.model, route.policy);
      if (!adapted.ok) {
        refusals.push(`${describe(candidate)}: ${adapted.reason}`);
        this.warn(state, `skipped ${describe(candidate)}: ${adapted.reason}`);
        continue;
      }
      for (const warning of adapted.warnings) this.warn(state, warning);
      if (failed) {
        this.warn(
          state,
          `fell back from ${describe(failed.candidate)} (${failed.outcome.kind}) to ${describe(candidate)}`,
        );
      }
      tried.push(candidate);
      const result = await this.runCandidate(candidate, adapted.request, imagesWanted, route.policy, state);
      if (result.status === 'served')
        return { candidateIndex: index, candidate, classification: result.classification };
      if (!mayFallBack(result.outcome, route.policy)) {
        throw this.failure(state, result.outcome, await this.circuitOpenUntil(tried));
      }
      failed = { candidate, outcome: result.outcome };
    }
    if (failed) {
      const outcome = { ...failed.outcome, message: `${failed.outcome.message}; no fallback candidate left` };
      throw this.failure(state, outcome, await this.circuitOpenUntil(tried));
    }
    throw this.failure(
      state,
      outcomeOf(
        'invalid_request',
        `no candidate of route "${route.name}" can take this request: ${refusals.join('; ')}`,
      ),
    );
  }

  /** Attempts on one candidate until it serves, or the outcome or budgets say to move on. */
  private async runCandidate(
    candidate: RouteCandidate,
    request: ImageRequest,
    imagesWanted: number,
    policy: RoutePolicy,
    state: RunState,
  ): Promise<CandidateResult> {
    const key = keyOf(candidate);
    const breaker = this.guards.breakerFor(key);
    const quota = this.guards.quotaFor(
      key,
      this.options.limitsFor?.(candidate.platform, candidate.modelId).requestsPerMinute,
    );
    const candidateCount = Math.min(
      imagesWanted,
      knownValue(candidate.model.capabilities.maxCandidateCount) ?? 1,
    );
    const expected = expectedImageFor(candidate.model, request);
    let waitedOnCandidateMs = 0;
    for (let attemptIndex = 0; ; attemptIndex++) {
      this.throwIfCancelled(state);
      if (this.clock.nowMs() - state.startedAtMs >= policy.totalBudgetMs)
        throw this.budgetFailure(state, policy);
      if (!(await this.passBreaker(breaker, candidate, state))) {
        const remainingMs = await this.guarded(state, candidate, () =>
          breaker.remainingCooldownMs(this.clock.nowMs()),
        );
        const cooldownS = Math.ceil(remainingMs / 1000);
        const outcome = outcomeOf(
          'unavailable',
          `circuit open for ${describe(candidate)} after repeated failures; next trial call in ${cooldownS} s`,
        );
        this.record(state, candidate, outcome, this.clock.nowMs(), 0);
        return { status: 'failed', outcome };
      }
      let call: Awaited<ReturnType<Engine['callOnce']>>;
      let slot: QuotaSlot;
      try {
        slot = await this.waitForRateSlot(quota, candidate, policy, state);
        call = await this.callOnce(candidate, request, candidateCount, expected, state);
      } catch (error) {
        // A half-open breaker lets one trial call through. When the run ends before making it (cancelled,
        // or the rate limiter's wait would overrun the budget) the trial is handed back, or the breaker
        // would refuse every later call for good. Best effort: the shared store may be what failed.
        await breaker.abandonCall().catch(() => undefined);
        throw error;
      }
      const { outcome, classification, startedAtMs } = call;
      // The call was made: bookkeeping that fails now (the shared store went away) must not lose its
      // answer, so it is best effort; the slot expires with its window and the breaker recovers by itself.
      const answeredAtMs = this.clock.nowMs();
      await quota.learn(outcome, answeredAtMs).catch(() => undefined);
      // A 429 or 503 from the server was not counted against its quota.
      const refusedByServer = outcome.httpStatus === 429 || outcome.httpStatus === 503;
      await (refusedByServer ? quota.release(slot) : quota.answered(slot, answeredAtMs)).catch(
        () => undefined,
      );
      this.record(
        state,
        candidate,
        outcome,
        startedAtMs,
        this.clock.nowMs() - startedAtMs,
        classification?.usage,
      );
      if (classification?.usage) state.billed.push({ usage: classification.usage, model: candidate.model });
      await (
        outcome.kind === 'unavailable'
          ? breaker.recordTransientFailure(this.clock.nowMs())
          : outcome.kind === 'cancelled'
            ? breaker.abandonCall()
            : breaker.recordOtherAnswer()
      ).catch(() => undefined);
      if (outcome.kind === 'success' && classification) return { status: 'served', classification };
      if (outcome.kind === 'cancelled') throw this.failure(state, outcome);

      const maxAttempts = retryOnceKinds.has(outcome.kind)
        ? Math.min(2, policy.retry.maxAttempts)
        : policy.retry.maxAttempts;
      if (!outcome.retryable || attemptIndex + 1 >= maxAttempts) return { status: 'failed', outcome };
      // This failure opened the circuit: no backoff, the next pass records the refusal and moves on.
      const stateNow = await this.guarded(state, candidate, () => breaker.stateAt(this.clock.nowMs()));
      if (stateNow === 'open') continue;
      const waitMs = retryOnceKinds.has(outcome.kind)
        ? 0
        : retryWaitMs(outcome.retryAfterMs, attemptIndex, policy.retry, this.random);
      if (waitedOnCandidateMs + waitMs > policy.retry.maxTotalWaitMs) {
        this.warn(
          state,
          `not waiting ${waitMs} ms more for ${describe(candidate)}: its retry wait budget is ${policy.retry.maxTotalWaitMs} ms`,
        );
        return { status: 'failed', outcome };
      }
      if (this.clock.nowMs() - state.startedAtMs + waitMs > policy.totalBudgetMs) {
        throw this.budgetFailure(state, policy, waitMs);
      }
      await this.sleep(waitMs, state);
      waitedOnCandidateMs += waitMs;
      state.pendingWaitMs += waitMs;
    }
  }

  private async callOnce(
    candidate: RouteCandidate,
    request: ImageRequest,
    candidateCount: number,
    expected: ExpectedImage,
    state: RunState,
  ): Promise<{ outcome: Outcome; classification?: ResponseClassification; startedAtMs: number }> {
    const key = keyOf(candidate);
    const release = await this.concurrencySlot(candidate, state);
    const startedAtMs = this.clock.nowMs();
    try {
      const response = await this.options.provider.generate({
        platform: candidate.platform,
        modelId: candidate.modelId,
        request,
        candidateCount,
        ...(state.signal ? { signal: state.signal } : {}),
      });
      this.answered.add(key);
      const classification =
        request.responseModality === 'text'
          ? classifyTextResponse(response)
          : await classifyResponse(response, expected);
      return { outcome: classification.outcome, classification, startedAtMs };
    } catch (error) {
      const outcome = classifyError(error, {
        modelId: candidate.modelId,
        platform: candidate.platform,
        isKnownRetired: this.lifecycleNow(candidate).isRetired,
        hasAnsweredBefore: this.answered.has(key),
        suggestedModelIds: this.suggestionsFor(candidate.modelId),
        nowMs: this.clock.nowMs(),
        ...(state.signal ? { signal: state.signal } : {}),
      });
      return { outcome, startedAtMs };
    } finally {
      // A slot the shared store could not take back is freed by its lease.
      await release?.().catch(() => undefined);
    }
  }

  /** Waits for a slot under the candidate's `concurrency` limit; undefined when it has none. */
  private async concurrencySlot(
    candidate: RouteCandidate,
    state: RunState,
  ): Promise<(() => Promise<void>) | undefined> {
    const limit = this.options.limitsFor?.(candidate.platform, candidate.modelId).concurrency;
    if (limit === undefined) return undefined;
    try {
      return await this.guards.concurrencyFor(keyOf(candidate), limit).acquire(state.signal);
    } catch (error) {
      if (state.signal?.aborted) {
        throw this.failure(state, outcomeOf('cancelled', 'the caller cancelled the request'));
      }
      throw this.guardsFailure(state, candidate, error);
    }
  }

  /**
   * Whether a call may go out on this candidate now. While another run's half-open trial call is out, waits
   * for its verdict instead of refusing: when it succeeds every waiting run goes ahead at once.
   */
  private async passBreaker(
    breaker: ModelBreaker,
    candidate: RouteCandidate,
    state: RunState,
  ): Promise<boolean> {
    for (;;) {
      if (await this.guarded(state, candidate, () => breaker.allowsCallAt(this.clock.nowMs()))) return true;
      if (!(await this.guarded(state, candidate, () => breaker.waitForTrial(state.signal)))) return false;
      this.throwIfCancelled(state);
    }
  }

  /**
   * Runs a step on the shared quota or breaker store. When that store does not answer (Redis restarting)
   * no call goes out: the run fails as `unavailable` and retryable, so the task runs again later.
   */
  private async guarded<T>(state: RunState, candidate: RouteCandidate, step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (error) {
      throw this.guardsFailure(state, candidate, error);
    }
  }

  private guardsFailure(state: RunState, candidate: RouteCandidate, error: unknown): Error {
    const reason = error instanceof Error ? error.message : String(error);
    return this.failure(
      state,
      outcomeOf(
        'unavailable',
        `the shared quota and circuit store did not answer for ${describe(candidate)}: ${reason}`,
      ),
      { isRetryable: true },
    );
  }

  /**
   * The earliest next trial call when every candidate this run tried has an open circuit (the run is
   * parked behind breakers, and running it again earlier cannot reach a model); otherwise undefined.
   */
  private async circuitOpenUntil(tried: RouteCandidate[]): Promise<{ circuitOpenUntilMs?: number }> {
    if (tried.length === 0) return {};
    const nowMs = this.clock.nowMs();
    let earliestMs = Infinity;
    for (const candidate of tried) {
      const trialAtMs = await this.guards
        .breakerFor(keyOf(candidate))
        .nextTrialAtMs(nowMs)
        .catch(() => undefined);
      if (trialAtMs === undefined) return {};
      earliestMs = Math.min(earliestMs, trialAtMs);
    }
    return { circuitOpenUntilMs: earliestMs };
  }

  /** Takes a slot of the model's per-minute quota, waiting on the clock until one is free. */
  private async waitForRateSlot(
    quota: ModelQuota,
    candidate: RouteCandidate,
    policy: RoutePolicy,
    state: RunState,
  ): Promise<QuotaSlot> {
    for (;;) {
      const slot = await this.guarded(state, candidate, () => quota.tryTake(this.clock.nowMs()));
      if (slot.taken) return slot.slot;
      if (this.clock.nowMs() - state.startedAtMs + slot.waitMs > policy.totalBudgetMs) {
        state.lastOutcome ??= outcomeOf(
          'rate_limited',
          `the local requests-per-minute limit for ${describe(candidate)} needs a ${slot.waitMs} ms wait`,
          { retryAfterMs: slot.waitMs },
        );
        throw this.budgetFailure(state, policy, slot.waitMs);
      }
      await this.sleep(slot.waitMs, state);
      state.pendingWaitMs += slot.waitMs;
    }
  }

  /**
   * Why a candidate cannot take over after `failed`, or undefined when it can. Never a preview or a
   * retired model; after a retirement only GA; after a region refusal only another platform.
   */
  private fallbackSkipReason(
    candidate: RouteCandidate,
    failed: { candidate: RouteCandidate; outcome: Outcome },
  ): string | undefined {
    if (sameTarget(candidate, failed.candidate)) return 'it is the model that just failed';
    const lifecycle = this.lifecycleNow(candidate);
    if (lifecycle.isRetired) return `it was shut down on ${lifecycle.shutdownDate ?? 'an earlier date'}`;
    const stage = lifecycle.stage;
    const allowedStages = failed.outcome.kind === 'model_retired' ? ['ga'] : ['ga', 'deprecated'];
    if (!stage || !allowedStages.includes(stage)) {
      return `it is ${stage ?? 'of unknown stage'}, and a fallback only targets ${allowedStages.join(' or ')} models`;
    }
    if (failed.outcome.kind === 'region_blocked' && candidate.platform === failed.candidate.platform) {
      return `it is on ${candidate.platform}, the platform that refused this region`;
    }
    return undefined;
  }

  private lifecycleNow(candidate: RouteCandidate): LifecycleStatus {
    return lifecycleOn(candidate.model, candidate.platform, this.clock.nowMs()) ?? candidate.lifecycle;
  }

  private suggestionsFor(modelId: string): string[] {
    const catalog = this.catalog ?? builtInCatalog();
    return suggestModelIds(catalog, modelId).filter((id) => id !== modelId);
  }

  private record(
    state: RunState,
    candidate: RouteCandidate,
    outcome: Outcome,
    startedAtMs: number,
    latencyMs: number,
    usage?: Usage,
  ): void {
    const attempt: Attempt = {
      modelId: candidate.modelId,
      platform: candidate.platform,
      outcome: outcome.kind,
      ...(outcome.httpStatus !== undefined ? { httpStatus: outcome.httpStatus } : {}),
      message: outcome.message,
      startedAtMs,
      latencyMs,
      waitedBeforeMs: state.pendingWaitMs,
      ...(usage ? { usage } : {}),
    };
    state.pendingWaitMs = 0;
    state.lastOutcome = outcome;
    state.attempts.push(attempt);
    state.options.onAttempt?.(attempt);
  }

  private warn(state: RunState, warning: string): void {
    if (state.warnings.includes(warning)) return;
    state.warnings.push(warning);
    state.options.onWarning?.(warning);
  }

  private async sleep(durationMs: number, state: RunState): Promise<void> {
    if (durationMs <= 0) return;
    try {
      await this.clock.sleep(durationMs, state.signal);
    } catch {
      throw this.failure(
        state,
        outcomeOf('cancelled', 'the caller cancelled the request while it was waiting'),
      );
    }
  }

  private throwIfCancelled(state: RunState): void {
    if (state.signal?.aborted)
      throw this.failure(state, outcomeOf('cancelled', 'the caller cancelled the request'));
  }

  private failure(
    state: RunState,
    outcome: Outcome,
    options: { isRetryable?: boolean; circuitOpenUntilMs?: number } = {},
  ): ImageGenerationError {
    return new ImageGenerationError(outcome, state.attempts, state.warnings, options);
  }

  /** The run's clock budget is spent (or the next wait would overrun it): fail with what was last seen. */
  private budgetFailure(state: RunState, policy: RoutePolicy, nextWaitMs?: number): ImageGenerationError {
    const usedMs = this.clock.nowMs() - state.startedAtMs;
    const why =
      nextWaitMs === undefined
        ? `the run's time budget of ${policy.totalBudgetMs} ms is used up (${usedMs} ms)`
        : `waiting ${nextWaitMs} ms more would overrun the run's time budget of ${policy.totalBudgetMs} ms (${usedMs} ms used)`;
    const last = state.lastOutcome ?? outcomeOf('unavailable', 'no attempt finished');
    return this.failure(state, { ...last, message: `${last.message}; ${why}` }, { isRetryable: true });
  }

  private totalCost(state: RunState): number | undefined {
    let totalUsd = 0;
    for (const { usage, model } of state.billed) {
      const cost = costOfUsage(usage, model);
      if ('missingPrice' in cost) {
        this.warn(state, `cost unknown: the catalog has no ${cost.missingPrice}`);
        return undefined;
      }
      totalUsd += cost.costUsd;
    }
    return totalUsd;
  }
}

function mayFallBack(outcome: Outcome, policy: RoutePolicy): boolean {
  return outcome.fallbackEligible && policy.fallbackOn.includes(outcome.kind);
}

/**
 * The size verification expects: the exact catalog size when a ratio was asked, otherwise any size of the
 * requested (or default) size tier, since the output then follows the input image's shape.
 */
export function expectedImageFor(model: CatalogModel, request: ImageRequest): ExpectedImage {
  const imageSize = request.imageSize ?? knownValue(model.capabilities.defaultImageSize);
  const expected: ExpectedImage = { mimeType: mimeTypeOfFormat(request.outputFormat) };
  if (!imageSize) return expected;
  if (request.aspectRatio) {
    const size = outputPixelSize(model, imageSize, request.aspectRatio);
    return size ? { ...expected, width: size.width, height: size.height } : expected;
  }
  const tier = knownValue(model.capabilities.pixelSizes)?.[imageSize];
  const allowedSizes = tier ? Object.values(tier).filter((size) => size !== undefined) : [];
  return allowedSizes.length > 0 ? { ...expected, allowedSizes } : expected;
}

function keyOf(candidate: { platform: Platform; modelId: string }): string {
  return `${candidate.platform}/${candidate.modelId}`;
}

function sameTarget(left: RouteCandidate, right: RouteCandidate): boolean {
  return keyOf(left) === keyOf(right);
}

function describe(candidate: RouteCandidate): string {
  return `${candidate.modelId} on ${candidate.platform}`;
}
