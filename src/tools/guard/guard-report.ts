import {
  builtInCatalog,
  findModel,
  lifecycleOn,
  platforms,
  type Catalog,
  type CatalogModel,
  type Platform,
  type Stage,
} from '../../catalog/index.js';
import { describeLifecycle, expandRoute, type ImagegateConfig } from '../../config/index.js';

export type GuardLevel = 'ok' | 'warning' | 'error';

export interface GuardFinding {
  /** The catalog's ID (an alias in the config or the code is resolved to it). */
  model: string;
  platform: Platform;
  /** At the report's instant: `retired` once the shutdown date has passed. */
  stage: Stage | 'unknown';
  shutdownDate: string | null;
  /** Calendar days to shutdown: 0 on the day, negative after; null when none is announced or known. */
  daysLeft: number | null;
  successor: string | null;
  /** Whether models.list showed the ID to the current key; null when not asked. */
  visible: boolean | null;
  level: GuardLevel;
  /** The narrowest warning window (in days) the shutdown falls inside. */
  window?: number;
  message: string;
  /** The command that compares the model with its successor, printed while inside a window. */
  regressCommand?: string;
  /** Logical names (from the config) or audit locations (`file:line:column`) that use the model. */
  usedBy: string[];
}

export interface GuardReport {
  /** The instant judged, ISO 8601. */
  at: string;
  findings: GuardFinding[];
  worst: GuardLevel;
  /** 0 ok, 1 warnings, 2 errors: for cron and CI. */
  exitCode: 0 | 1 | 2;
}

export interface GuardInput {
  config: ImagegateConfig;
  /** Default: the built-in catalog. */
  catalog?: Catalog;
  /** The instant to judge ("what breaks on that date"). */
  atMs: number;
  /** Warning windows in days. Default: the config's `lifecycle.warnDays` (itself 90, 30, 7 by default). */
  warnDays?: number[];
  /** IDs models.list returned per platform; a platform left out is not checked. Default: none checked. */
  visibleModelIds?: Partial<Record<Platform, Set<string>>>;
  /** IDs found by `imagegate audit`, each with where it was found. Default: none. */
  auditedIds?: { id: string; location: string }[];
  /** Models used by published flow versions (`flow NAME vN node ID`). Default: none. */
  flowUsages?: { modelId: string; platform: Platform; location: string }[];
}

/** Where a model is used: through a route (its visibility is required) or only in code. */
interface Usage {
  id: string;
  model: CatalogModel | undefined;
  platform: Platform;
  usedBy: Set<string>;
  configured: boolean;
}

const levelRank: Record<GuardLevel, number> = { ok: 0, warning: 1, error: 2 };

/**
 * The lifecycle report for every model the config routes to and every ID an audit found. Pure: the
 * caller supplies the instant and what models.list returned, so the CLI, the server and tests agree.
 */
export function buildGuardReport(input: GuardInput): GuardReport {
  const catalog = input.catalog ?? builtInCatalog();
  const warnDays = [...(input.warnDays ?? input.config.lifecycle.warnDays)].sort((a, b) => a - b);
  const usages = new Map<string, Usage>();
  const use = (id: string, platform: Platform, usedBy: string, configured: boolean) => {
    const model = findModel(catalog, id);
    const key = `${model?.id ?? id}\u0000${platform}`;
    const usage = usages.get(key) ?? { id: model?.id ?? id, model, platform, usedBy: new Set(), configured };
    usage.usedBy.add(usedBy);
    usage.configured ||= configured;
    usages.set(key, usage);
  };
  for (const name of Object.keys(input.config.routes)) {
    for (const candidate of expandRoute(input.config.routes, name).candidates) {
      use(candidate.model, candidate.platform, name, true);
    }
  }
  for (const usage of input.flowUsages ?? []) use(usage.modelId, usage.platform, usage.location, false);
  for (const { id, location } of input.auditedIds ?? []) {
    const model = findModel(catalog, id);
    const offeredOn = model ? platforms.filter((platform) => model.platforms[platform]) : [];
    for (const platform of offeredOn.length > 0 ? offeredOn : (['gemini-api'] as const)) {
      use(id, platform, location, false);
    }
  }
  const findings = [...usages.values()].map((usage) =>
    findingFor(usage, input.atMs, warnDays, input.visibleModelIds),
  );
  findings.sort(
    (a, b) =>
      levelRank[b.level] - levelRank[a.level] ||
      a.model.localeCompare(b.model) ||
      a.platform.localeCompare(b.platform),
  );
  const worst = findings.reduce<GuardLevel>(
    (current, finding) => (levelRank[finding.level] > levelRank[current] ? finding.level : current),
    'ok',
  );
  return { at: new Date(input.atMs).toISOString(), findings, worst, exitCode: levelRank[worst] as 0 | 1 | 2 };
}

function findingFor(
  usage: Usage,
  atMs: number,
  warnDays: number[],
  visibleModelIds: GuardInput['visibleModelIds'],
): GuardFinding {
  const usedBy = [...usage.usedBy];
  const listed = visibleModelIds?.[usage.platform];
  const visible =
    listed && usage.model
      ? [usage.model.id, ...usage.model.aliases].some((id) => listed.has(id))
      : listed
        ? listed.has(usage.id)
        : null;
  const base = { model: usage.id, platform: usage.platform, usedBy, visible };
  if (!usage.model) {
    return {
      ...base,
      stage: 'unknown',
      shutdownDate: null,
      daysLeft: null,
      successor: null,
      level: 'warning',
      message: `${usage.id} is not in the catalog: its lifecycle cannot be watched (a typo, or a model newer than this imagegate)`,
    };
  }
  const lifecycle = lifecycleOn(usage.model, usage.platform, atMs);
  if (!lifecycle) {
    return {
      ...base,
      stage: 'unknown',
      shutdownDate: null,
      daysLeft: null,
      successor: null,
      level: usage.configured ? 'error' : 'warning',
      message: `${usage.id} is not offered on ${usage.platform}`,
    };
  }
  const daysLeft = typeof lifecycle.daysToShutdown === 'number' ? lifecycle.daysToShutdown : null;
  const successor = lifecycle.successor ?? null;
  const described = describeLifecycle(usage.id, lifecycle);
  const common = {
    ...base,
    stage: lifecycle.stage ?? ('unknown' as const),
    shutdownDate: lifecycle.shutdownDate ?? null,
    daysLeft,
    successor,
  };
  if (lifecycle.isRetired) return { ...common, level: 'error', message: described };
  if (visible === false) {
    return {
      ...common,
      level: usage.configured ? 'error' : 'warning',
      message: `${usage.id} is not in models.list on ${usage.platform} for this key (${described})`,
    };
  }
  const window = daysLeft === null ? undefined : warnDays.find((days) => daysLeft <= days);
  if (window !== undefined) {
    return {
      ...common,
      level: 'warning',
      window,
      message: `${described}; inside the ${window}-day window`,
      ...(successor
        ? {
            regressCommand: `imagegate regress --prompts prompts.txt --baseline ${usage.id} --candidate ${successor}`,
          }
        : {}),
    };
  }
  if ((lifecycle.stage === 'preview' || lifecycle.stage === 'experimental') && daysLeft === null) {
    return {
      ...common,
      level: 'warning',
      message: `${described}; a preview can be shut down at short notice`,
    };
  }
  return { ...common, level: 'ok', message: described };
}
