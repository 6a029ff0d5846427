import { allModelIds, findModel, lifecycleOn, nearestNames, suggestModelIds } from '../catalog/index.js';
import type { Catalog, Platform } from '../catalog/index.js';
import type { ImagegateConfig } from './config-schema.js';
import type { FieldPath } from './field-path.js';
import { describeLifecycle, isPreviewStage, isWithinWarningWindow } from './lifecycle-wording.js';
import { expandRoute } from './route-graph.js';

/** A problem the schema cannot see: it needs the catalog, the clock, or the config as a whole. */
export interface SemanticIssue {
  severity: 'error' | 'warning';
  path: FieldPath;
  message: string;
}

export interface SemanticContext {
  catalog: Catalog;
  /** The instant lifecycle is judged at (a clock reading). */
  nowMs: number;
}

/** Checks routes and limits against the catalog at the given instant; never throws. */
export function validateConfigSemantics(config: ImagegateConfig, context: SemanticContext): SemanticIssue[] {
  const issues: SemanticIssue[] = [];
  const reportedCycles = new Set<string>();
  for (const routeName of Object.keys(config.routes)) {
    issues.push(...checkRoute(config, routeName, context, reportedCycles));
  }
  issues.push(...checkLimits(config, context.catalog));
  return issues;
}

/** "Did you mean …?" with the nearest names, or nothing when none is near. */
export function didYouMean(suggestions: readonly string[]): string {
  if (suggestions.length === 0) return '';
  return ` Did you mean ${suggestions.map((name) => `"${name}"`).join(' or ')}?`;
}

/** Logical names within a small edit distance of a mistyped one, nearest first. */
export function suggestLogicalNames(names: readonly string[], wanted: string, limit = 3): string[] {
  return nearestNames(names, wanted, { limit, minimumTolerance: 2 });
}

function unknownModelMessage(catalog: Catalog, id: string): string {
  return `unknown model "${id}".${didYouMean(suggestModelIds(catalog, id))} Known models: ${allModelIds(catalog).join(', ')}`;
}

function offeredPlatforms(catalog: Catalog, modelId: string): Platform[] {
  const model = findModel(catalog, modelId);
  return model
    ? (Object.keys(model.platforms) as Platform[]).filter((platform) => model.platforms[platform])
    : [];
}

function checkRoute(
  config: ImagegateConfig,
  routeName: string,
  { catalog, nowMs }: SemanticContext,
  reportedCycles: Set<string>,
): SemanticIssue[] {
  const issues: SemanticIssue[] = [];
  const route = config.routes[routeName]!;
  const routePath = ['routes', routeName];
  const entryPath = (index: number, field: string): FieldPath => [...routePath, 'candidates', index, field];

  if (findModel(catalog, routeName)) {
    issues.push({
      severity: 'error',
      path: routePath,
      message: `logical name "${routeName}" is also a model ID; pick a name that no model uses`,
    });
  }

  route.candidates.forEach((candidate, index) => {
    if (candidate.model !== undefined) {
      const model = findModel(catalog, candidate.model);
      if (!model) {
        issues.push({
          severity: 'error',
          path: entryPath(index, 'model'),
          message: unknownModelMessage(catalog, candidate.model),
        });
      } else if (candidate.platform && !model.platforms[candidate.platform]) {
        issues.push({
          severity: 'error',
          path: entryPath(index, 'platform'),
          message: `${model.id} is not offered on ${candidate.platform}; it is offered on: ${offeredPlatforms(catalog, model.id).join(', ')}`,
        });
      } else if (!candidate.platform && !model.platforms['gemini-api']) {
        issues.push({
          severity: 'error',
          path: entryPath(index, 'platform'),
          message: `${model.id} is not offered on gemini-api (the default platform); set "platform" to one of: ${offeredPlatforms(catalog, model.id).join(', ')}`,
        });
      }
    } else if (candidate.route !== undefined && !Object.hasOwn(config.routes, candidate.route)) {
      const modelHint = findModel(catalog, candidate.route)
        ? ` "${candidate.route}" is a model: write "model:" instead of "route:".`
        : '';
      issues.push({
        severity: 'error',
        path: entryPath(index, 'route'),
        message: `unknown logical name "${candidate.route}".${didYouMean(suggestLogicalNames(Object.keys(config.routes), candidate.route))}${modelHint} Known logical names: ${Object.keys(config.routes).join(', ')}`,
      });
    }
  });

  const expansion = expandRoute(config.routes, routeName);
  // A cycle is reported once, on the first route of it in file order; routes that merely reach it are fine
  // once it is broken.
  for (const cycle of expansion.cycles.filter((found) => found.names[0] === routeName)) {
    const cycleKey = [...new Set(cycle.names)].sort().join(' ');
    if (reportedCycles.has(cycleKey)) continue;
    reportedCycles.add(cycleKey);
    issues.push({
      severity: 'error',
      path: entryPath(cycle.entryIndex, 'route'),
      message: `routes refer to each other in a cycle: ${cycle.names.join(' → ')}`,
    });
  }

  const seen = new Map<string, number>();
  let liveCount = 0;
  let knownCount = 0;
  expansion.candidates.forEach((candidate, position) => {
    const model = findModel(catalog, candidate.model);
    const status = model ? lifecycleOn(model, candidate.platform, nowMs) : undefined;
    if (!model || !status) return;
    knownCount++;
    if (!status.isRetired) liveCount++;
    const isOwnEntry = candidate.via.length === 1;
    const path = isOwnEntry
      ? entryPath(candidate.entryIndex, 'model')
      : entryPath(candidate.entryIndex, 'route');
    const through = isOwnEntry ? '' : ` (reached through ${candidate.via.slice(1).join(' → ')})`;
    const key = `${model.id}@${candidate.platform}`;
    if (seen.has(key)) {
      if (isOwnEntry) {
        issues.push({
          severity: 'warning',
          path,
          message: `${model.id} on ${candidate.platform} is already candidate ${seen.get(key)! + 1} of this route; this entry is never tried`,
        });
      }
      return;
    }
    seen.set(key, position);
    const lifecycle = describeLifecycle(model.id, status);
    if (position === 0) {
      if (!isOwnEntry) return;
      if (status.isRetired) {
        issues.push({
          severity: 'warning',
          path,
          message: `the primary candidate is gone: ${lifecycle}; requests start at the next candidate`,
        });
      } else if (isPreviewStage(status)) {
        issues.push({
          severity: 'warning',
          path,
          message: `the primary candidate is not GA: ${lifecycle}; requests fall back once it is gone`,
        });
      } else if (isWithinWarningWindow(status.daysToShutdown, config.lifecycle.warnDays)) {
        issues.push({ severity: 'warning', path, message: lifecycle });
      }
      return;
    }
    if (status.isRetired) {
      issues.push({
        severity: 'error',
        path,
        message: `a fallback must be a live model, but ${lifecycle}${through}`,
      });
    } else if (isPreviewStage(status)) {
      issues.push({ severity: 'error', path, message: `a fallback must be GA, but ${lifecycle}${through}` });
    } else if (status.stage === undefined && isOwnEntry) {
      issues.push({
        severity: 'warning',
        path,
        message: `the catalog does not know the stage of ${model.id} on ${candidate.platform}`,
      });
    } else if (
      isOwnEntry &&
      (status.stage === 'deprecated' ||
        isWithinWarningWindow(status.daysToShutdown, config.lifecycle.warnDays))
    ) {
      issues.push({ severity: 'warning', path, message: lifecycle });
    }
  });

  if (knownCount > 0 && knownCount === expansion.candidates.length && liveCount === 0) {
    issues.push({
      severity: 'error',
      path: [...routePath, 'candidates'],
      message: `every candidate of route "${routeName}" is retired; add a live GA model (see each candidate's successor)`,
    });
  }
  return issues;
}

function checkLimits(config: ImagegateConfig, catalog: Catalog): SemanticIssue[] {
  const issues: SemanticIssue[] = [];
  const firstIndexByKey = new Map<string, number>();
  config.limits.forEach((limit, index) => {
    let modelKey = '*';
    if (limit.model !== undefined) {
      const model = findModel(catalog, limit.model);
      if (!model) {
        issues.push({
          severity: 'error',
          path: ['limits', index, 'model'],
          message: unknownModelMessage(catalog, limit.model),
        });
        return;
      }
      if (!model.platforms[limit.platform]) {
        issues.push({
          severity: 'error',
          path: ['limits', index, 'platform'],
          message: `${model.id} is not offered on ${limit.platform}; it is offered on: ${offeredPlatforms(catalog, model.id).join(', ')}`,
        });
        return;
      }
      modelKey = model.id;
    }
    const key = `${limit.platform} ${modelKey}`;
    const firstIndex = firstIndexByKey.get(key);
    if (firstIndex !== undefined) {
      issues.push({
        severity: 'error',
        path: ['limits', index],
        message: `duplicate limit for ${modelKey === '*' ? 'every model' : modelKey} on ${limit.platform}; already set at limits[${firstIndex}]`,
      });
    } else {
      firstIndexByKey.set(key, index);
    }
  });
  return issues;
}
