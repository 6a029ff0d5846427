import {
  findModel,
  lifecycleOn,
  suggestModelIds,
  type Catalog,
  type CatalogModel,
  type Platform,
  type Stage,
} from '../../catalog/index.js';
import { expandRoute, type ImagegateConfig } from '../../config/index.js';
import { geminiShapedIdPattern } from './model-id-pattern.js';

/**
 * retired: past its shutdown date; preview: preview, experimental or deprecated; ga: generally
 * available; stage-unknown: in the catalog but no source states its stage; unknown: shaped like a
 * Gemini model ID but not in the catalog (a typo, a text model, or a model newer than the catalog).
 */
export type HitKind = 'retired' | 'preview' | 'ga' | 'stage-unknown' | 'unknown';
export type FindingLevel = 'error' | 'warning' | 'note';

export interface ModelIdClassification {
  kind: HitKind;
  /** The catalog's ID for an alias; absent for unknown IDs. */
  canonicalId?: string;
  /** The platform the stage and dates are judged on. */
  platform: Platform;
  stage: Stage | 'unknown';
  shutdownDate: string | null;
  daysLeft: number | null;
  /** The first live GA model along the successor links, if any. */
  gaSuccessor: string | null;
  /** What to write instead: the logical name routing to the successor, else the successor itself. */
  useInstead: string | null;
  useInsteadKind: 'logical-name' | 'model' | null;
  level: FindingLevel;
  /** Whether the hit makes `imagegate audit` exit non-zero (retired, or a preview with a shutdown date). */
  failsAudit: boolean;
  message: string;
}

export interface ClassifyContext {
  catalog: Catalog;
  /** Routes give the logical names to suggest. Default: none (suggest model IDs). */
  config?: ImagegateConfig;
  atMs: number;
  /** A literal without a platform is judged on this one. Default 'gemini-api'. */
  platform?: Platform;
}

/** How many successor links are followed looking for a live GA model. */
const maxSuccessorHops = 5;

/** Classifies one candidate ID, or returns undefined when it is not a model ID at all. */
export function classifyModelId(id: string, context: ClassifyContext): ModelIdClassification | undefined {
  const model = findModel(context.catalog, id);
  const preferredPlatform = context.platform ?? 'gemini-api';
  if (!model) {
    if (!geminiShapedIdPattern.test(id)) return undefined;
    const suggestions = suggestModelIds(context.catalog, id, 1);
    return {
      kind: 'unknown',
      platform: preferredPlatform,
      stage: 'unknown',
      shutdownDate: null,
      daysLeft: null,
      gaSuccessor: null,
      useInstead: null,
      useInsteadKind: null,
      level: 'warning',
      failsAudit: false,
      message: `${id} is not in the catalog${suggestions[0] ? ` (did you mean ${suggestions[0]}?)` : ''}; check the ID or update imagegate`,
    };
  }
  const platform: Platform = model.platforms[preferredPlatform]
    ? preferredPlatform
    : preferredPlatform === 'gemini-api'
      ? 'vertex-ai'
      : 'gemini-api';
  const lifecycle = lifecycleOn(model, platform, context.atMs);
  const stage = lifecycle?.stage ?? 'unknown';
  const kind: HitKind = lifecycle?.isRetired
    ? 'retired'
    : stage === 'preview' || stage === 'experimental' || stage === 'deprecated'
      ? 'preview'
      : stage === 'ga'
        ? 'ga'
        : 'stage-unknown';
  const shutdownDate = lifecycle?.shutdownDate ?? null;
  const daysLeft = lifecycle?.daysToShutdown ?? null;
  const gaSuccessor =
    kind === 'retired' || kind === 'preview' || shutdownDate !== null
      ? liveGaSuccessor(context.catalog, model, platform, context.atMs)
      : null;
  const logicalName = context.config
    ? logicalNameFor(context.config, gaSuccessor ?? (kind === 'ga' ? model.id : undefined))
    : undefined;
  const useInstead = logicalName ?? gaSuccessor;
  const failsAudit = kind === 'retired' || (kind === 'preview' && shutdownDate !== null);
  const level: FindingLevel = failsAudit
    ? 'error'
    : kind === 'ga' && shutdownDate === null
      ? 'note'
      : 'warning';
  return {
    kind,
    ...(model.id !== id ? { canonicalId: model.id } : {}),
    platform,
    stage,
    shutdownDate,
    daysLeft,
    gaSuccessor,
    useInstead,
    useInsteadKind: logicalName ? 'logical-name' : gaSuccessor ? 'model' : null,
    level,
    failsAudit,
    message: describe(
      id,
      kind,
      platform,
      shutdownDate,
      daysLeft,
      useInstead,
      model.id !== id ? model.id : undefined,
    ),
  };
}

function describe(
  id: string,
  kind: HitKind,
  platform: Platform,
  shutdownDate: string | null,
  daysLeft: number | null,
  useInstead: string | null,
  canonicalId: string | undefined,
): string {
  const subject = canonicalId ? `${id} (alias of ${canonicalId})` : id;
  const instead = useInstead ? `; use ${useInstead} instead` : '';
  switch (kind) {
    case 'retired':
      return `${subject} is retired on ${platform}${shutdownDate ? ` since ${shutdownDate}` : ''}${instead}`;
    case 'preview':
      return shutdownDate
        ? `${subject} is a preview on ${platform} that shuts down on ${shutdownDate} (in ${daysLeft} days)${instead}`
        : `${subject} is a preview on ${platform} with no announced shutdown date; it can go at short notice${instead}`;
    case 'ga':
      return shutdownDate
        ? `${subject} is GA on ${platform} but shuts down on ${shutdownDate} (in ${daysLeft} days)${instead}`
        : `${subject} is GA on ${platform}${useInstead ? `; the logical name ${useInstead} routes to it` : ''}`;
    case 'stage-unknown':
      return `${subject}: the catalog has no confirmed stage for it on ${platform}; prefer a GA model`;
    case 'unknown':
      return `${subject} is not in the catalog`;
  }
}

/**
 * Follows successor links to a model that is GA and not retired at `atMs`, preferring one with no
 * announced shutdown (moving to a model that is itself on its way out only postpones the work).
 */
export function liveGaSuccessor(
  catalog: Catalog,
  model: CatalogModel,
  platform: Platform,
  atMs: number,
): string | null {
  let firstLiveGa: string | null = null;
  let current = model;
  for (let hop = 0; hop < maxSuccessorHops; hop++) {
    const successorId = lifecycleOn(current, platform, atMs)?.successor;
    const successor = successorId ? findModel(catalog, successorId) : undefined;
    if (!successor || successor.id === model.id) break;
    const status = lifecycleOn(successor, platform, atMs);
    if (status?.stage === 'ga' && !status.isRetired) {
      if (!status.shutdownDate) return successor.id;
      firstLiveGa ??= successor.id;
    }
    current = successor;
  }
  return firstLiveGa;
}

/**
 * The logical name to write instead of a model ID: a route whose primary is the model first, else the
 * first route that lists it among its candidates.
 */
export function logicalNameFor(config: ImagegateConfig, modelId: string | undefined): string | undefined {
  if (!modelId) return undefined;
  const names = Object.keys(config.routes);
  const candidatesOf = (name: string) => expandRoute(config.routes, name).candidates;
  return (
    names.find((name) => candidatesOf(name)[0]?.model === modelId) ??
    names.find((name) => candidatesOf(name).some((candidate) => candidate.model === modelId))
  );
}
