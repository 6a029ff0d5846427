import {
  knownValue,
  lifecycleOn,
  platforms,
  type Catalog,
  type CatalogModel,
  type LifecycleStatus,
} from '../catalog/index.js';
import type { Route } from '../registry/index.js';
import type { GuardReport } from '../tools/guard/index.js';

export interface LifecycleView {
  platform: string;
  stage: string | null;
  announced_stage: string | null;
  shutdown_date: string | null;
  days_to_shutdown: number | null;
  successor: string | null;
  is_retired: boolean;
}

export interface ModelView {
  id: string;
  object: 'model';
  aliases: string[];
  display_name: string;
  lifecycle: LifecycleView[];
  capabilities: {
    aspect_ratios: string[] | null;
    image_sizes: string[] | null;
    max_input_images: number | null;
    video_input: boolean | null;
  };
}

export interface LogicalNameView {
  id: string;
  object: 'logical_model';
  candidates: Array<{ model: string; platform: string; lifecycle: LifecycleView }>;
  warnings: string[];
}

/** Lifecycle at one instant; unknown facts become null (the catalog's "unknown" is not a value). */
export function lifecycleView(status: LifecycleStatus): LifecycleView {
  return {
    platform: status.platform,
    stage: status.stage ?? null,
    announced_stage: status.announcedStage ?? null,
    shutdown_date: status.shutdownDate ?? null,
    days_to_shutdown: status.daysToShutdown ?? null,
    successor: status.successor ?? null,
    is_retired: status.isRetired,
  };
}

export function modelView(model: CatalogModel, nowMs: number): ModelView {
  const capabilities = model.capabilities;
  return {
    id: model.id,
    object: 'model',
    aliases: model.aliases,
    display_name: model.displayName,
    lifecycle: platforms.flatMap((platform) => {
      const status = lifecycleOn(model, platform, nowMs);
      return status ? [lifecycleView(status)] : [];
    }),
    capabilities: {
      aspect_ratios: knownValue(capabilities.aspectRatios) ?? null,
      image_sizes: knownValue(capabilities.imageSizes) ?? null,
      max_input_images: knownValue(capabilities.maxInputImages) ?? null,
      video_input: knownValue(capabilities.videoInput) ?? null,
    },
  };
}

export function logicalNameView(route: Route): LogicalNameView {
  return {
    id: route.name,
    object: 'logical_model',
    candidates: route.candidates.map((candidate) => ({
      model: candidate.modelId,
      platform: candidate.platform,
      lifecycle: lifecycleView(candidate.lifecycle),
    })),
    warnings: route.warnings,
  };
}

export interface DeprecationView {
  model: string;
  platform: string;
  stage: string | null;
  shutdown_date: string;
  days_to_shutdown: number | null;
  is_retired: boolean;
  successor: string | null;
  /** Logical names whose configured candidates include this model on this platform. */
  used_by: string[];
}

/**
 * Every (model, platform) with an announced shutdown date, soonest first, with the logical names that
 * route to it. Built from the catalog and the configured routes at `nowMs`.
 */
export function deprecationList(
  catalog: Catalog,
  nowMs: number,
  routeTargets: Array<{ name: string; modelId: string; platform: string }>,
): DeprecationView[] {
  const rows = catalog.models.flatMap((model) =>
    platforms.flatMap((platform) => {
      const status = lifecycleOn(model, platform, nowMs);
      if (!status?.shutdownDate) return [];
      const usedBy = routeTargets
        .filter((target) => target.modelId === model.id && target.platform === platform)
        .map((target) => target.name);
      return [
        {
          model: model.id,
          platform,
          stage: status.stage ?? null,
          shutdown_date: status.shutdownDate,
          days_to_shutdown: status.daysToShutdown ?? null,
          is_retired: status.isRetired,
          successor: status.successor ?? null,
          used_by: [...new Set(usedBy)],
        },
      ];
    }),
  );
  return rows.sort(
    (a, b) =>
      a.shutdown_date.localeCompare(b.shutdown_date) ||
      a.model.localeCompare(b.model) ||
      a.platform.localeCompare(b.platform),
  );
}

/** The guard report as the API shows it (what `imagegate guard` prints, in snake_case). */
export function guardReportView(report: GuardReport) {
  return {
    at: report.at,
    worst: report.worst,
    findings: report.findings.map((finding) => ({
      model: finding.model,
      platform: finding.platform,
      stage: finding.stage,
      shutdown_date: finding.shutdownDate,
      days_left: finding.daysLeft,
      successor: finding.successor,
      level: finding.level,
      message: finding.message,
    })),
  };
}
