import type { Catalog, Platform } from '../catalog/index.js';
import type { ImagegateConfig } from '../config/index.js';
import { modelsOfName } from './publish-checks.js';
import type { FlowVersion } from './flow-store.js';

/** One published flow version's use of a model: what guard and the deprecations list name. */
export interface FlowModelUsage {
  modelId: string;
  platform: Platform;
  flow: string;
  version: number;
  node: string;
  /** `flow brand-assets v3 node variants`: how reports name the use. */
  location: string;
}

/**
 * Every (model, platform) each published version's model nodes stand for: a pinned ID, or every
 * candidate of the route it names. A dated model then lists exactly the versions it breaks.
 */
export function flowModelUsages(
  versions: FlowVersion[],
  config: ImagegateConfig,
  catalog: Catalog,
): FlowModelUsage[] {
  return versions.flatMap((version) =>
    Object.entries(version.document.nodes).flatMap(([node, definition]) => {
      if (definition.type !== 'text' && definition.type !== 'image') return [];
      return modelsOfName(definition.model, config, catalog).map((target) => ({
        modelId: target.modelId,
        platform: target.platform,
        flow: version.flowName,
        version: version.version,
        node,
        location: `flow ${version.flowName} v${version.version} node ${node}`,
      }));
    }),
  );
}
