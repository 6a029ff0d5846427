import type { ImagegateConfig } from '../config/index.js';

/** How long the node cache keeps a result and how many it keeps (see `nodeCacheLimits`). */
export interface NodeCacheLimits {
  maxAgeMs: number;
  maxEntries: number;
}

const DAY_MS = 86_400_000;

/**
 * The node cache limits from the config: `flows.nodeCache.maxAgeDays` (default, and at most,
 * `server.retentionDays`, whose sweep deletes the images a cached result points at) and `maxEntries`.
 */
export function nodeCacheLimits(config: Pick<ImagegateConfig, 'flows' | 'server'>): NodeCacheLimits {
  const { maxAgeDays, maxEntries } = config.flows.nodeCache;
  return { maxAgeMs: (maxAgeDays ?? config.server.retentionDays) * DAY_MS, maxEntries };
}
