import { canonicalJson, flowContent } from './canonical-json.js';
import type { FlowDocument } from './flow-document-schema.js';

export interface FlowChange {
  change: 'added' | 'removed' | 'changed';
  /** The node the change is in; undefined for document-level fields and inputs. */
  node?: string;
  /** Dot-separated from the document root: `nodes.hero.model`, `inputs.brief`, `description`. */
  field: string;
  before?: unknown;
  after?: unknown;
}

/**
 * What changed between two documents, by node and field (layout left out, like the hash). A node added
 * or removed is one change; inside a node each top-level field is compared as a whole value.
 */
export function diffFlowDocuments(before: FlowDocument, after: FlowDocument): FlowChange[] {
  const left = flowContent(before) as Record<string, unknown>;
  const right = flowContent(after) as Record<string, unknown>;
  const changes: FlowChange[] = [];
  for (const key of unionKeys(left, right)) {
    if (key === 'nodes' || key === 'inputs') continue;
    compare(changes, key, left[key], right[key]);
  }
  diffRecord(changes, 'inputs', before.inputs, after.inputs, () => undefined);
  const nodeIds = unionKeys(before.nodes, after.nodes);
  for (const id of nodeIds) {
    const leftNode = before.nodes[id] as Record<string, unknown> | undefined;
    const rightNode = after.nodes[id] as Record<string, unknown> | undefined;
    if (!leftNode || !rightNode) {
      compare(changes, `nodes.${id}`, leftNode, rightNode, id);
      continue;
    }
    for (const field of unionKeys(leftNode, rightNode)) {
      compare(changes, `nodes.${id}.${field}`, leftNode[field], rightNode[field], id);
    }
  }
  return changes;
}

function diffRecord(
  changes: FlowChange[],
  prefix: string,
  left: Record<string, unknown>,
  right: Record<string, unknown>,
  nodeOf: (key: string) => string | undefined,
): void {
  for (const key of unionKeys(left, right))
    compare(changes, `${prefix}.${key}`, left[key], right[key], nodeOf(key));
}

function compare(changes: FlowChange[], field: string, before: unknown, after: unknown, node?: string): void {
  if (before === undefined && after === undefined) return;
  const nodePart = node === undefined ? {} : { node };
  if (before === undefined) changes.push({ change: 'added', ...nodePart, field, after });
  else if (after === undefined) changes.push({ change: 'removed', ...nodePart, field, before });
  else if (canonicalJson(before) !== canonicalJson(after)) {
    changes.push({ change: 'changed', ...nodePart, field, before, after });
  }
}

function unionKeys(left: object, right: object): string[] {
  return [...new Set([...Object.keys(left), ...Object.keys(right)])].sort();
}

/** One line per change: `~ nodes.hero.model: "image_fast" → "image_quality"`. */
export function formatFlowChanges(changes: FlowChange[]): string {
  if (changes.length === 0) return 'no changes';
  const show = (value: unknown) => JSON.stringify(value);
  return changes
    .map((change) =>
      change.change === 'added'
        ? `+ ${change.field}: ${show(change.after)}`
        : change.change === 'removed'
          ? `- ${change.field}: ${show(change.before)}`
          : `~ ${change.field}: ${show(change.before)} → ${show(change.after)}`,
    )
    .join('\n');
}
