import { findModel, lifecycleOn, type Catalog, type Platform } from '../catalog/index.js';
import {
  defaultPlatform,
  describeLifecycle,
  expandRoute,
  isPreviewStage,
  isWithinWarningWindow,
  type ImagegateConfig,
} from '../config/index.js';
import type { FlowDocument } from './flow-document-schema.js';
import type { FlowProblem } from './flow-problem.js';

export interface LifecycleCheckOptions {
  config: ImagegateConfig;
  catalog: Catalog;
  /** The instant judged: the injected clock at publish, or a guard `--at` date. */
  atMs: number;
  /** Publish a pinned preview that has a shutdown date anyway (it becomes a warning). */
  allowPreview?: boolean;
  file?: string;
}

/** The (model, platform) pairs a node's model name stands for: a route's candidates, or one model. */
export function modelsOfName(
  name: string,
  config: ImagegateConfig,
  catalog: Catalog,
): Array<{ modelId: string; platform: Platform; viaRoute?: string }> {
  if (Object.hasOwn(config.routes, name)) {
    return expandRoute(config.routes, name).candidates.map((candidate) => ({
      modelId: findModel(catalog, candidate.model)?.id ?? candidate.model,
      platform: candidate.platform,
      viaRoute: name,
    }));
  }
  const model = findModel(catalog, name);
  if (!model) return [];
  const platform = model.platforms[defaultPlatform]
    ? defaultPlatform
    : ((Object.keys(model.platforms) as Platform[])[0] ?? defaultPlatform);
  return [{ modelId: model.id, platform }];
}

/**
 * Lifecycle problems of a document at an instant. For each model node, the model it names first (a
 * pinned ID, or a route's first candidate) decides: retired is an error; a preview with a shutdown date
 * is an error unless allowed; a shutdown inside the warning window is a warning. A route's fallbacks only
 * warn, since the engine skips a retired fallback on its own.
 */
export function lifecycleProblems(document: FlowDocument, options: LifecycleCheckOptions): FlowProblem[] {
  const problems: FlowProblem[] = [];
  const file = options.file ?? `flow ${document.name}`;
  for (const [id, node] of Object.entries(document.nodes)) {
    if (node.type !== 'text' && node.type !== 'image') continue;
    const field = `nodes.${id}.model`;
    const targets = modelsOfName(node.model, options.config, options.catalog);
    targets.forEach((target, index) => {
      const model = findModel(options.catalog, target.modelId);
      const lifecycle = model && lifecycleOn(model, target.platform, options.atMs);
      if (!model || !lifecycle) return;
      const described = describeLifecycle(model.id, lifecycle);
      const via = target.viaRoute ? ` (route ${target.viaRoute}, candidate ${index + 1})` : '';
      const push = (severity: FlowProblem['severity'], message: string) =>
        problems.push({ file, node: id, field, severity, message: `${described}${via}${message}` });
      const primary = index === 0;
      if (lifecycle.isRetired) {
        push(primary ? 'error' : 'warning', primary ? '; pick a live model before publishing' : '');
      } else if (isPreviewStage(lifecycle) && typeof lifecycle.shutdownDate === 'string') {
        const refuse = primary && !options.allowPreview;
        push(
          refuse ? 'error' : 'warning',
          refuse ? '; publishing a dated preview needs --allow-preview (allowPreview: true)' : '',
        );
      } else if (isWithinWarningWindow(lifecycle.daysToShutdown, options.config.lifecycle.warnDays)) {
        push('warning', '');
      }
    });
  }
  return problems;
}
