import { FlowNotFoundError, FlowStateError, type FlowAccess } from './flow-access.js';
import type { FlowDocument } from './flow-document-schema.js';
import type { FlowModelNames } from './flow-models.js';
import { InvalidFlowError } from './flow-problem.js';
import { findReferences } from './flow-references.js';
import type { FlowRun, NodeImage } from './flow-run-record.js';
import type { FlowRunner } from './flow-runner.js';
import { upstreamOf } from './validate-flow-document.js';

export interface PromoteRequest {
  runId: string;
  /** An image node of the run. */
  node: string;
  /** Which of its variants (0-based, as in the run's result). */
  variant: number;
  /** The model to re-run it on: a logical name (`image_quality`) or an image model ID. */
  model: string;
}

/**
 * The document a promote runs: the node's ancestors unchanged (so their signatures match and the cache
 * serves them without a model call), the node itself on the target model with one variant at the chosen
 * variant's seed, and the output nodes' results that still point at kept nodes. Other branches (the other
 * arm of an A/B test, the node's own dependents) are left out: promoting pays for one image only.
 */
export function promotedDocument(
  document: FlowDocument,
  nodeId: string,
  seed: number,
  model: string,
): FlowDocument {
  const node = document.nodes[nodeId];
  if (node?.type !== 'image') throw new FlowNotFoundError('node', `${nodeId} (an image node)`);
  const upstream = upstreamOf(document);
  const kept = new Set<string>();
  const keep = (id: string) => {
    if (kept.has(id)) return;
    kept.add(id);
    for (const parent of upstream.get(id) ?? []) keep(parent);
  };
  keep(nodeId);
  const nodes: FlowDocument['nodes'] = {};
  for (const [id, entry] of Object.entries(document.nodes)) {
    if (id === nodeId) nodes[id] = { ...node, model, variants: 1, seed };
    else if (kept.has(id)) nodes[id] = entry;
    else if (entry.type === 'output') {
      const results = Object.fromEntries(
        Object.entries(entry.results).filter(([, reference]) =>
          findReferences(reference).every((parsed) => parsed.kind !== 'node' || kept.has(parsed.node)),
        ),
      );
      if (Object.keys(results).length > 0) nodes[id] = { ...entry, results };
    }
  }
  const { layout: _layout, ...rest } = document;
  return { ...rest, nodes };
}

/**
 * Re-runs one variant of a finished run's image node on another model, reusing every upstream node from
 * the cache, and records the lineage (parent run, node, variant, model) on the new run.
 */
export async function promoteRun(
  runner: FlowRunner,
  request: PromoteRequest,
  access: FlowAccess,
  models?: FlowModelNames,
): Promise<FlowRun> {
  const parent = await runner.get(request.runId, access);
  const node = (await runner.nodes(parent.id, access)).find((entry) => entry.nodeId === request.node);
  if (!node || parent.document.nodes[request.node]?.type !== 'image') {
    throw new FlowNotFoundError('node', `${request.node} (an image node of run ${parent.id})`);
  }
  if (node.status !== 'succeeded') {
    throw new FlowStateError(
      `Node "${request.node}" of run ${parent.id} is ${node.status}; only a succeeded node can be promoted.`,
    );
  }
  const variant: NodeImage | undefined = node.output?.images?.find(
    (image) => image.variant === request.variant,
  );
  if (!variant) {
    throw new FlowNotFoundError(
      'variant',
      `${request.variant} of node ${request.node} (it has ${node.output?.images?.length ?? 0})`,
    );
  }
  const check = models?.check(request.model);
  if (check?.status === 'unknown' || (check?.status === 'known' && check.modality === 'text')) {
    throw new InvalidFlowError([
      {
        file: 'promote',
        field: 'model',
        severity: 'error',
        message:
          check.status === 'unknown'
            ? `unknown model or logical name "${request.model}"`
            : `"${request.model}" is a text model; promote needs an image model (for example image_quality)`,
      },
    ]);
  }
  return runner.start({
    document: promotedDocument(parent.document, request.node, variant.seed, request.model),
    ...(parent.version !== undefined ? { version: parent.version } : {}),
    inputs: parent.inputs,
    access,
    lineage: { parentRunId: parent.id, nodeId: request.node, variant: request.variant, model: request.model },
    warnings: [],
  });
}
