import type { FlowDocument } from './flow-document-schema.js';

/*
 * Flow run state machine. A run is one execution of one published flow version (or of a document run
 * in-process with `flow run --file`); each node of it has a node run. Every transition is one store
 * write, so a runner that dies leaves a run that another runner resumes where it stopped.
 *
 *   run:   create ──► running ──every node succeeded──────────────► succeeded
 *                        │  └──a node failed, nothing else runnable──► failed
 *                        └──cancel──► cancelled
 *          failed | cancelled ──retry──► running   (only failed or unfinished nodes run again)
 *
 *   node:  pending ──inputs ready──► running ──task(s) succeeded / template rendered──► succeeded
 *            │                          └──a task failed──► failed
 *            ├──an upstream node failed──► failed (error type upstream_failed)
 *            ├──signature found in the node cache──► succeeded (cached: true, no model call)
 *            └──run cancelled──► cancelled         (pending or running; outstanding tasks are cancelled)
 *          failed | cancelled ──retry──► pending   (succeeded nodes are kept)
 *
 * A running model node records the ids of its tasks before it waits for them, and each task is created
 * with an idempotency key of (run, node, retry generation, variant): a runner resuming after a crash
 * finds the same tasks again instead of creating (and paying for) new ones. succeeded, failed and
 * cancelled are final for one generation.
 */
export type FlowRunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';
export type NodeRunStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export const finalRunStatuses: readonly FlowRunStatus[] = ['succeeded', 'failed', 'cancelled'];

export interface FlowRunError {
  /** An outcome kind, `upstream_failed`, `cancelled`, `invalid_input` or `internal_error`. */
  type: string;
  message: string;
}

/** One image a node made: a variant (its own task and seed). */
export interface NodeImage {
  variant: number;
  sha256: string;
  mimeType: string;
  width: number;
  height: number;
  seed: number;
  taskId?: string;
  /** The logical name or model ID the node asked for, and what served it. */
  requestedModel: string;
  servedModel?: string;
  latencyMs?: number;
  costUsd?: number;
}

export interface NodeOutput {
  text?: string;
  images?: NodeImage[];
}

export interface NodeRun {
  runId: string;
  nodeId: string;
  type: FlowDocument['nodes'][string]['type'];
  status: NodeRunStatus;
  /** sha256 of (type, config, upstream signatures, input values): the cache key. */
  signature?: string;
  /** Served from the node cache without a model call. */
  cached: boolean;
  /** Tasks in the task store, one per variant (text nodes: one). */
  taskIds: string[];
  output?: NodeOutput;
  estimatedCostUsd?: number;
  actualCostUsd?: number;
  startedAtMs?: number;
  finishedAtMs?: number;
  error?: FlowRunError;
  warnings: string[];
}

/** Where a promoted run came from. */
export interface RunLineage {
  parentRunId: string;
  nodeId: string;
  variant: number;
  /** The model the variant was re-run on. */
  model: string;
}

export interface FlowRun {
  /** `flowrun_<26 chars>`. */
  id: string;
  flowName: string;
  /** The published version run; undefined for a document run in-process from a file. */
  version?: number;
  /** sha256 of the canonical document that ran (the version's hash). */
  versionSha256: string;
  document: FlowDocument;
  status: FlowRunStatus;
  inputs: Record<string, unknown>;
  ownerKeyId?: string;
  /** Retry count: 0 for the first run; task idempotency keys include it. */
  generation: number;
  /** Skip the node cache (re-run every model node). */
  noCache: boolean;
  /** Set on a promote run; its document is the parent's with the promoted node re-targeted. */
  lineage?: RunLineage;
  /** Called (signed) once the run is final. */
  webhookUrl?: string;
  estimatedCostUsd?: number;
  actualCostUsd?: number;
  createdAtMs: number;
  updatedAtMs: number;
  finishedAtMs?: number;
  warnings: string[];
  error?: FlowRunError;
  /** The output nodes' named results once the run succeeded. */
  result?: Record<string, unknown>;
}
