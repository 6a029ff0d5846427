import {
  allModelIds,
  bareModelId,
  builtInCatalog,
  findModel,
  lifecycleOn,
  nearestNames,
  type Catalog,
  type CatalogModel,
  type Platform,
} from '../catalog/index.js';
import { systemClock, type Clock } from '../clock/index.js';
import {
  ConfigError,
  defaultPlatform,
  describeLifecycle,
  expandRoute,
  isPreviewStage,
  isWithinWarningWindow,
  type ImagegateConfig,
} from '../config/index.js';
import {
  credentialsFromConfig,
  type GeminiApiCredentials,
  type PlatformCredentials,
  type VertexAiCredentials,
} from './credentials.js';
import { NoUsableCandidateError, UnknownModelError } from './resolve-errors.js';
import type { ModelLimits, Route, RouteCandidate } from './route.js';
import { routePolicyFor } from './route-policy.js';

export interface RegistryOptions {
  /** A config that passed `parseConfig`/`loadConfig` (or `defaultConfig`). */
  config: ImagegateConfig;
  /** Default: the built-in catalog. */
  catalog?: Catalog;
  /** When lifecycle is judged. Default: the system clock. */
  clock?: Clock;
}

export interface ResolveOptions {
  /**
   * Run every candidate on this platform instead of the configured one (candidates whose model the
   * platform does not offer are skipped with a warning). Default: each candidate's configured platform;
   * for a model ID, gemini-api where offered.
   */
  platform?: Platform;
}

/** How many successor links are followed to find a live GA replacement. */
const maxSuccessorHops = 5;

/** Maps logical names and model IDs to routes of live candidates, judged at the clock's time. */
export class Registry {
  private readonly config: ImagegateConfig;
  private readonly catalog: Catalog;
  private readonly clock: Clock;

  constructor(options: RegistryOptions) {
    this.config = options.config;
    this.catalog = options.catalog ?? builtInCatalog();
    this.clock = options.clock ?? systemClock;
  }

  /**
   * Logical name or concrete model ID (alias ok). Candidates already retired at clock time are dropped
   * with a warning; a retired preview is replaced by its GA successor when that is not already in the
   * route. A preview that would be a fallback is skipped. Throws `UnknownModelError` for an unknown
   * name and `NoUsableCandidateError` when nothing is left.
   */
  resolve(name: string, options: ResolveOptions = {}): Route {
    const isLogical = Object.hasOwn(this.config.routes, name);
    const requested = isLogical
      ? this.logicalCandidates(name)
      : this.concreteCandidate(name, options.platform);
    const warnings: string[] = [];
    const wanted = options.platform ? this.retarget(requested, options.platform, warnings) : requested;
    const candidates = this.liveCandidates(wanted, warnings);
    if (candidates.length === 0) throw new NoUsableCandidateError(name, warnings);
    return {
      name,
      isLogical,
      candidates,
      policy: routePolicyFor(this.config, isLogical ? name : undefined),
      warnings,
    };
  }

  /** The configured logical names, built-in ones included, in config order. */
  logicalNames(): string[] {
    return Object.keys(this.config.routes);
  }

  /** Limits for one model on one platform: its own entry over the platform-wide one. Empty: unlimited. */
  limitsFor(platform: Platform, modelId: string): ModelLimits {
    const canonical = this.canonicalId(modelId);
    const forPlatform = this.config.limits.filter((limit) => limit.platform === platform);
    const platformWide = forPlatform.find((limit) => limit.model === undefined);
    const specific = forPlatform.find(
      (limit) => limit.model !== undefined && this.canonicalId(limit.model) === canonical,
    );
    const concurrency = specific?.concurrency ?? platformWide?.concurrency;
    const requestsPerMinute = specific?.requestsPerMinute ?? platformWide?.requestsPerMinute;
    return {
      ...(concurrency !== undefined && { concurrency }),
      ...(requestsPerMinute !== undefined && { requestsPerMinute }),
    };
  }

  /** Environment variable names (and Vertex project/location) to read credentials from. */
  credentialsFor(platform: 'gemini-api'): GeminiApiCredentials;
  credentialsFor(platform: 'vertex-ai'): VertexAiCredentials;
  credentialsFor(platform: Platform): PlatformCredentials;
  credentialsFor(platform: Platform): PlatformCredentials {
    return credentialsFromConfig(this.config, platform);
  }

  private canonicalId(modelId: string): string {
    return findModel(this.catalog, modelId)?.id ?? bareModelId(modelId);
  }

  private logicalCandidates(name: string): Array<{ model: string; platform: Platform }> {
    const expansion = expandRoute(this.config.routes, name);
    const [cycle] = expansion.cycles;
    // Loading a config file reports these with a line; a config object passed in directly meets them here.
    if (cycle) throw routeError(name, `is part of a cycle: ${cycle.names.join(' → ')}`);
    const [unknown] = expansion.unknownRoutes;
    if (unknown) throw routeError(name, `refers to the unknown logical name "${unknown.name}"`);
    return expansion.candidates.map(({ model, platform }) => ({ model, platform }));
  }

  private concreteCandidate(
    name: string,
    platform: Platform | undefined,
  ): Array<{ model: string; platform: Platform }> {
    const model = findModel(this.catalog, name);
    if (!model) throw new UnknownModelError(name, this.suggestionsFor(name), this.logicalNames());
    const firstOffered = (Object.keys(model.platforms) as Platform[]).find(
      (offered) => model.platforms[offered],
    );
    const chosen =
      platform ?? (model.platforms[defaultPlatform] ? defaultPlatform : (firstOffered ?? defaultPlatform));
    return [{ model: model.id, platform: chosen }];
  }

  private suggestionsFor(name: string): string[] {
    return nearestNames([...this.logicalNames(), ...allModelIds(this.catalog)], bareModelId(name));
  }

  private retarget(
    candidates: Array<{ model: string; platform: Platform }>,
    platform: Platform,
    warnings: string[],
  ): Array<{ model: string; platform: Platform }> {
    return candidates.flatMap(({ model: modelId }) => {
      const model = findModel(this.catalog, modelId);
      if (model && !model.platforms[platform]) {
        warnings.push(`${model.id} is not offered on ${platform}; skipped`);
        return [];
      }
      return [{ model: modelId, platform }];
    });
  }

  private liveCandidates(
    requested: Array<{ model: string; platform: Platform }>,
    warnings: string[],
  ): RouteCandidate[] {
    const nowMs = this.clock.nowMs();
    const keyOf = (modelId: string, platform: Platform) => `${modelId}@${platform}`;
    const inRoute = new Set(requested.map(({ model, platform }) => keyOf(this.canonicalId(model), platform)));
    const chosen: RouteCandidate[] = [];
    const add = (model: CatalogModel, platform: Platform) => {
      const lifecycle = lifecycleOn(model, platform, nowMs)!;
      if (!chosen.some((candidate) => candidate.modelId === model.id && candidate.platform === platform)) {
        chosen.push({ modelId: model.id, platform, model, lifecycle });
      }
    };
    for (const { model: modelId, platform } of requested) {
      const model = findModel(this.catalog, modelId);
      const lifecycle = model && lifecycleOn(model, platform, nowMs);
      if (!model || !lifecycle) {
        warnings.push(
          `${modelId} is ${model ? `not offered on ${platform}` : 'not in the catalog'}; skipped`,
        );
        continue;
      }
      if (chosen.some((candidate) => candidate.modelId === model.id && candidate.platform === platform))
        continue;
      const described = describeLifecycle(model.id, lifecycle);
      if (lifecycle.isRetired) {
        const successor = this.replacementFor(model, platform, nowMs);
        if (successor && !inRoute.has(keyOf(successor.id, platform))) {
          warnings.push(`${described}; using ${successor.id} instead`);
          add(successor, platform);
        } else {
          const already = successor ? ` (${successor.id} is already in the route)` : '';
          warnings.push(`${described}; skipped${already}`);
        }
        continue;
      }
      if (chosen.length > 0 && isPreviewStage(lifecycle)) {
        warnings.push(`${described}; a fallback must be GA, so it is skipped`);
        continue;
      }
      if (
        isPreviewStage(lifecycle) ||
        lifecycle.stage === 'deprecated' ||
        isWithinWarningWindow(lifecycle.daysToShutdown, this.config.lifecycle.warnDays)
      ) {
        warnings.push(described);
      }
      add(model, platform);
    }
    return chosen;
  }

  /**
   * The live GA model that takes over from a retired preview: its announced successor, followed through
   * successors that are themselves retired. A retired GA model is replaced only by a model of its own
   * family (a renamed twin); moving to a different model at a different price is the user's decision.
   */
  private replacementFor(model: CatalogModel, platform: Platform, nowMs: number): CatalogModel | undefined {
    const retired = lifecycleOn(model, platform, nowMs);
    const wasPreview = retired?.announcedStage === 'preview' || retired?.announcedStage === 'experimental';
    let successorId = retired?.successor;
    for (let hop = 0; hop < maxSuccessorHops && successorId; hop++) {
      const successor = findModel(this.catalog, successorId);
      const lifecycle = successor && lifecycleOn(successor, platform, nowMs);
      if (!successor || !lifecycle) return undefined;
      if (!lifecycle.isRetired) {
        const isTwin = wasPreview || successor.family === model.family;
        return lifecycle.stage === 'ga' && isTwin ? successor : undefined;
      }
      successorId = lifecycle.successor;
    }
    return undefined;
  }
}

function routeError(name: string, problem: string): ConfigError {
  return new ConfigError([
    {
      severity: 'error',
      file: 'config object',
      field: `routes.${name}`,
      message: `route "${name}" ${problem}`,
    },
  ]);
}
