import type { NodeRun } from './flow-run-record.js';

/** One image node's variants, side by side with what they cost and how long they took. */
export interface VariantGroup {
  node: string;
  /** The model name the node asked for. */
  requestedModel: string;
  /** The model IDs that actually served its variants (a fallback shows here). */
  servedModels: string[];
  cached: boolean;
  variants: Array<{
    variant: number;
    sha256: string;
    seed: number;
    width: number;
    height: number;
    servedModel?: string;
    latencyMs?: number;
    costUsd?: number;
    /** The task that made it: its attempts, request and image (full size, provenance). */
    taskId?: string;
  }>;
  /** Sum over the variants; undefined when a price is unknown. */
  costUsd?: number;
  /** Slowest variant (they run concurrently). */
  latencyMs?: number;
}

/** A run's image results grouped per image node and model: what an A/B comparison reads. */
export function variantGroups(nodes: NodeRun[]): VariantGroup[] {
  return nodes
    .filter((node) => node.type === 'image' && node.output?.images)
    .map((node) => {
      const images = node.output!.images!;
      const costs = images.map((image) => image.costUsd);
      const latencies = images.flatMap((image) => (image.latencyMs === undefined ? [] : [image.latencyMs]));
      return {
        node: node.nodeId,
        requestedModel: images[0]?.requestedModel ?? '',
        servedModels: [...new Set(images.flatMap((image) => (image.servedModel ? [image.servedModel] : [])))],
        cached: node.cached,
        variants: images.map((image) => ({
          variant: image.variant,
          sha256: image.sha256,
          seed: image.seed,
          width: image.width,
          height: image.height,
          ...(image.servedModel ? { servedModel: image.servedModel } : {}),
          ...(image.latencyMs !== undefined ? { latencyMs: image.latencyMs } : {}),
          ...(image.costUsd !== undefined ? { costUsd: image.costUsd } : {}),
          ...(image.taskId !== undefined ? { taskId: image.taskId } : {}),
        })),
        ...(costs.every((cost) => cost !== undefined)
          ? { costUsd: (costs as number[]).reduce((sum, cost) => sum + cost, 0) }
          : {}),
        ...(latencies.length > 0 ? { latencyMs: Math.max(...latencies) } : {}),
      };
    });
}
