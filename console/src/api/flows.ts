import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api } from './api-client.js';
import { modelChoices, type ModelsList } from './use-models.js';

/*
 * The flows API's shapes (docs/flows.md). Documents are kept as plain JSON objects: the server validates
 * them, the console only reads the fields it shows and edits.
 */
import type { VariantGroup } from '../../../src/flows/ab-groups.js';
export type { VariantGroup };
export type { FlowChange } from '../../../src/flows/diff-flow-documents.js';

/** The server's node types (type-only: a new type fails the console's build where it must be handled). */
export type { NodeType as FlowNodeType } from '../../../src/flows/flow-document-schema.js';
import type { NodeType as FlowNodeType } from '../../../src/flows/flow-document-schema.js';
export interface FlowNodeDocument {
  type: FlowNodeType;
  [field: string]: unknown;
}
export interface FlowInputDocument {
  type: 'string' | 'number' | 'integer' | 'boolean' | 'enum' | 'image';
  description?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  values?: string[];
  optional?: boolean;
}
export interface FlowDocumentJson {
  name: string;
  description?: string;
  inputs?: Record<string, FlowInputDocument>;
  nodes: Record<string, FlowNodeDocument>;
  layout?: Record<string, { x: number; y: number }>;
  [field: string]: unknown;
}

export interface FlowProblem {
  node?: string;
  field: string;
  message: string;
  severity: 'error' | 'warning';
}

export interface Flow {
  object: 'flow';
  name: string;
  draft: FlowDocumentJson;
  /** The flow file as its author wrote it (imported or pushed), with later saves patched in; or null. */
  source?: string | null;
  latest_version: number | null;
  created_at: number;
  updated_at: number;
  warnings?: FlowProblem[];
}

export interface FlowVersion {
  object: 'flow_version';
  flow: string;
  version: number;
  sha256: string;
  message: string;
  published_by: string | null;
  published_at: number;
  rollback_of: number | null;
  document?: FlowDocumentJson;
  source?: string | null;
  warnings?: FlowProblem[];
}

export type NodeStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export interface NodeRunView {
  node: string;
  type: FlowNodeType;
  status: NodeStatus;
  cached: boolean;
  task_ids: string[];
  actual_cost_usd: number | null;
  warnings: string[];
  error: { type?: string; message: string } | null;
}

export interface FlowRun {
  object: 'flow_run';
  id: string;
  flow: string;
  version: number | null;
  version_sha256: string;
  status: 'running' | 'succeeded' | 'failed' | 'cancelled';
  inputs: Record<string, unknown>;
  lineage: { parentRunId: string; nodeId: string; variant: number; model: string } | null;
  estimated_cost_usd: number | null;
  actual_cost_usd: number | null;
  created_at: number;
  finished_at: number | null;
  warnings: string[];
  error: { type: string; message: string } | null;
  result: Record<string, unknown> | null;
  nodes: NodeRunView[];
  variants: VariantGroup[];
}

export const flowPath = (name: string) => `/v1/flows/${encodeURIComponent(name)}`;

export function useFlows() {
  return useQuery({ queryKey: ['flows'], queryFn: () => api<{ data: Flow[] }>('/v1/flows') });
}

export function useFlow(name: string) {
  return useQuery({ queryKey: ['flows', name], queryFn: () => api<Flow>(flowPath(name)) });
}

export function useFlowVersions(name: string) {
  return useQuery({
    queryKey: ['flows', name, 'versions'],
    queryFn: () => api<{ data: FlowVersion[] }>(`${flowPath(name)}/versions`),
  });
}

/** The server's answer to `POST /v1/flows/{name}/validate`: what saving this document would report. */
export interface FlowValidationView {
  object: 'flow_validation';
  ok: boolean;
  problems: FlowProblem[];
}

/** Checks a document with the server's own rules (the ones a draft save applies); stores nothing. */
export function validateFlow(name: string, document: FlowDocumentJson, signal?: AbortSignal) {
  return api<FlowValidationView>(`${flowPath(name)}/validate`, {
    body: document,
    ...(signal ? { signal } : {}),
  });
}

/** How long the editor waits after the last keystroke before asking the server to validate. */
export const validateAfterTypingMs = 250;

/**
 * The problems of a document as it is edited: asked of the server a moment after each change (an
 * older answer is dropped when a newer change comes). `null` until the first answer.
 */
export function useFlowValidation(name: string, document: FlowDocumentJson): FlowProblem[] | null {
  const [answer, setAnswer] = useState<{ document: FlowDocumentJson; problems: FlowProblem[] } | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(() => {
      validateFlow(name, document, controller.signal).then(
        (validation) => setAnswer({ document, problems: validation.problems }),
        // A failed check (signed out, server gone) leaves the last answer; saving reports the rest.
        () => undefined,
      );
    }, validateAfterTypingMs);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [name, document]);
  return answer?.problems ?? null;
}

const referencePattern = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** One wire of the canvas: a reference `{{inputs.X}}` or `{{nodes.X.port}}` found in a node's field. */
export interface FlowWire {
  source: string;
  /** `text`, `images`, or the input's name when the source is the trigger. */
  port: string;
  target: string;
  field: string;
}

/** The id the trigger (the flow's inputs) has on the canvas; node ids are lowercase, so it cannot clash. */
export const triggerId = 'Inputs';

/** Every reference in every string of a node's fields, as wires (the flow's only source of wiring). */
export function flowWires(document: FlowDocumentJson): FlowWire[] {
  const wires: FlowWire[] = [];
  const visit = (target: string, field: string, value: unknown) => {
    if (typeof value === 'string') {
      for (const match of value.matchAll(referencePattern)) {
        const segments = (match[1] ?? '').split('.');
        if (segments[0] === 'inputs' && segments.length === 2 && segments[1]) {
          wires.push({ source: triggerId, port: segments[1], target, field });
        } else if (segments[0] === 'nodes' && segments.length === 3 && segments[1] && segments[2]) {
          wires.push({ source: segments[1], port: segments[2], target, field });
        }
      }
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => visit(target, `${field}.${index}`, item));
    } else if (value && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) visit(target, `${field}.${key}`, item);
    }
  };
  for (const [id, node] of Object.entries(document.nodes)) {
    for (const [field, value] of Object.entries(node)) if (field !== 'type') visit(id, field, value);
  }
  return wires;
}

/**
 * Canvas positions: the document's `layout` where it has one, else columns by depth (a node one column
 * right of the deepest node it reads), the trigger in the first column.
 */
export function flowPositions(document: FlowDocumentJson): Record<string, { x: number; y: number }> {
  const wires = flowWires(document);
  const ids = [triggerId, ...Object.keys(document.nodes)];
  const depth = new Map<string, number>([[triggerId, 0]]);
  const depthOf = (id: string, seen: Set<string>): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    if (seen.has(id)) return 1; // a cycle: the server refuses it, the canvas still draws it
    seen.add(id);
    const sources = wires.filter((wire) => wire.target === id && ids.includes(wire.source));
    const value = Math.max(0, ...sources.map((wire) => depthOf(wire.source, seen))) + 1;
    depth.set(id, value);
    return value;
  };
  // Columns by depth; a column of more than `perColumn` nodes wraps into several, so wide flows stay readable.
  const perColumn = 8;
  const byDepth = new Map<number, string[]>();
  for (const id of ids) {
    const column = depthOf(id, new Set());
    byDepth.set(column, [...(byDepth.get(column) ?? []), id]);
  }
  const positions: Record<string, { x: number; y: number }> = {};
  let x = 0;
  for (const column of [...byDepth.keys()].sort((a, b) => a - b)) {
    const members = byDepth.get(column)!;
    members.forEach((id, index) => {
      positions[id] = { x: x + Math.floor(index / perColumn) * 270, y: (index % perColumn) * 120 };
    });
    x += Math.ceil(members.length / perColumn) * 270 + 40;
  }
  const layout = document.layout ?? {};
  const trigger = layout[triggerId];
  if (trigger) positions[triggerId] = trigger;
  // With a layout for the nodes but none for the trigger, put the trigger left of the leftmost node.
  else if (Object.keys(layout).length > 0) {
    const placed = Object.values(layout);
    positions[triggerId] = {
      x: Math.min(...placed.map((p) => p.x)) - 300,
      y: Math.min(...placed.map((p) => p.y)),
    };
  }
  for (const [id, position] of Object.entries(layout)) if (document.nodes[id]) positions[id] = position;
  return positions;
}

/** A model's lifecycle as the console shows it on a node: stage and days to shutdown. */
export interface ModelLifecycle {
  stage: string | null;
  daysToShutdown: number | null;
  known: boolean;
}

export function modelLifecycle(models: ModelsList | undefined, model: unknown): ModelLifecycle | null {
  if (typeof model !== 'string' || !models) return null;
  const choice = modelChoices(models).find((entry) => entry.id === model);
  if (choice) return { stage: choice.stage, daysToShutdown: choice.daysToShutdown, known: true };
  const retired = models.data.find((entry) => entry.id === model);
  if (retired) {
    const last = retired.lifecycle[0];
    return { stage: last?.stage ?? null, daysToShutdown: last?.days_to_shutdown ?? null, known: true };
  }
  return { stage: null, daysToShutdown: null, known: false };
}

/** Lifecycle warnings of a document: each model node whose model shuts down within `withinDays`. */
export function lifecycleWarnings(
  document: FlowDocumentJson,
  models: ModelsList | undefined,
  withinDays = 90,
): string[] {
  return Object.entries(document.nodes).flatMap(([id, node]) => {
    const lifecycle = modelLifecycle(models, node.model);
    if (!lifecycle || lifecycle.daysToShutdown === null || lifecycle.daysToShutdown > withinDays) return [];
    return [
      lifecycle.daysToShutdown <= 0
        ? `${id}: ${String(node.model)} is retired`
        : `${id}: ${String(node.model)} shuts down in ${lifecycle.daysToShutdown} days`,
    ];
  });
}

/** Parses a flow file: JSON, or YAML (the YAML parser is loaded only when a YAML file is read). */
export async function parseFlowFile(fileName: string, text: string): Promise<FlowDocumentJson> {
  let parsed: unknown;
  if (/\.json$/i.test(fileName) || text.trimStart().startsWith('{')) parsed = JSON.parse(text);
  else parsed = (await import('yaml')).parse(text);
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new Error(`${fileName} is not a flow document (an object with name and nodes).`);
  const document = parsed as FlowDocumentJson;
  if (typeof document.name !== 'string' || !document.name)
    throw new Error(`${fileName} has no name: a flow file needs "name".`);
  return document;
}
