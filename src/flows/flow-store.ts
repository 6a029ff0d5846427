import { ImagegateError } from '../errors/index.js';
import type { FlowDocument } from './flow-document-schema.js';
import type { FlowRun, FlowRunStatus, NodeOutput, NodeRun } from './flow-run-record.js';

export interface StoredFlow {
  name: string;
  ownerKeyId?: string;
  draft: FlowDocument;
  /**
   * The draft as its author wrote it (the pushed file's YAML or JSON text, patched by later saves);
   * undefined for a draft made from JSON only (the API, the canvas) and for rows stored before sources.
   */
  draftSource?: string;
  createdAtMs: number;
  updatedAtMs: number;
  /** The newest version's number; undefined before the first publish. */
  latestVersion?: number;
}

export interface FlowVersion {
  flowName: string;
  version: number;
  sha256: string;
  document: FlowDocument;
  message: string;
  publishedBy?: string;
  publishedAtMs: number;
  /** Set when this version was made by rolling back to an older one. */
  rollbackOf?: number;
  /** The draft's source text when it was published (see `StoredFlow.draftSource`). */
  source?: string;
}

/** A version to append: the store numbers and stamps it. */
export type NewFlowVersion = Omit<FlowVersion, 'version' | 'publishedAtMs'>;

export interface FlowRunFilter {
  flowName?: string;
  ownerKeyId?: string;
  status?: FlowRunStatus;
  /** Default 100. */
  limit?: number;
}

/** What a node run's success puts in the node cache (see `FlowStore.saveNodeRun`). */
export interface NodeCacheWrite {
  signature: string;
  costUsd: number | undefined;
  /** When the output was made (its earliest task's finish); the entry ages from there. Default: now. */
  producedAtMs?: number;
}

export interface CachedNodeOutput {
  output: NodeOutput;
  costUsd?: number;
}

/**
 * Where flows live: drafts, immutable versions, runs, node runs, the node cache and the Idempotency-Keys
 * of run requests. Adapters: `SqliteFlowStore` (one process, beside the SQLite task store) and
 * `PostgresFlowStore` (several instances on one database). Both pass the shared suite in
 * test-support/flow-store-contract.ts. Times come from the adapter's injected clock.
 */
export interface FlowStore {
  // Drafts and versions
  getFlow(name: string): Promise<StoredFlow | undefined>;
  /** By name; with `ownerKeyId`, only that key's flows. */
  listFlows(ownerKeyId?: string): Promise<StoredFlow[]>;
  /**
   * Creates the flow (owned by `ownerKeyId`) or replaces its draft, and its source text with it (none:
   * the draft has no source any more). The owner and creation time of an existing flow stay.
   */
  saveDraft(document: FlowDocument, ownerKeyId: string | undefined, source?: string): Promise<StoredFlow>;
  /**
   * Appends a version numbered one more than the newest. Concurrent publishes of one flow (from any
   * instance) get distinct, consecutive numbers, or `FlowVersionConflictError` when they keep colliding.
   */
  insertVersion(input: NewFlowVersion): Promise<FlowVersion>;
  getVersion(flowName: string, version: number): Promise<FlowVersion | undefined>;
  /** Newest first. */
  listVersions(flowName: string): Promise<FlowVersion[]>;
  /** Every published version of every flow, by flow name then number (for guard). */
  allVersions(): Promise<FlowVersion[]>;

  // Runs
  /** The run and its node runs, together; node runs keep this order in `nodeRuns`. */
  insertRun(run: FlowRun, nodes: NodeRun[]): Promise<void>;
  saveRun(run: FlowRun): Promise<void>;
  getRun(id: string): Promise<FlowRun | undefined>;
  /** Newest first (ties: larger id first). */
  listRuns(filter: FlowRunFilter): Promise<FlowRun[]>;
  /** Saves a node run; with `cache`, also its output under the signature, in the same transaction. */
  saveNodeRun(node: NodeRun, cache?: NodeCacheWrite): Promise<void>;
  /** In the order `insertRun` stored them. */
  nodeRuns(runId: string): Promise<NodeRun[]>;
  /**
   * Takes the right to drive a run (to schedule its nodes), held until `releaseRunDriver` or until this
   * store's process ends. False while another holder has it: on PostgreSQL another instance (or another
   * store object), so a run is driven by one instance at a time and, when that instance dies, by the
   * next one that asks.
   */
  acquireRunDriver(runId: string): Promise<boolean>;
  releaseRunDriver(runId: string): Promise<void>;

  // Node cache
  /** The cached output under `signature`, unless it is older than the cache's maximum age. */
  cachedOutput(signature: string): Promise<CachedNodeOutput | undefined>;
  /**
   * Caches an output (a live entry under the same signature is kept: it was first), then drops expired
   * entries and, past the cache's maximum size, the oldest ones.
   */
  cacheOutput(
    signature: string,
    output: NodeOutput,
    costUsd: number | undefined,
    producedAtMs?: number,
  ): Promise<void>;
  /** Entries in the node cache, expired ones included until the next write drops them. */
  nodeCacheSize(): Promise<number>;

  // Idempotent run creation
  /** The run a live key already made; throws `RunIdempotencyConflictError` for another request hash. */
  findIdempotentRun(key: string, requestHash: string): Promise<string | undefined>;
  rememberIdempotentRun(key: string, requestHash: string, runId: string, ttlMs: number): Promise<void>;

  /** Gives up every run this store drives and what it holds open (not the database it was given). */
  close(): Promise<void>;
}

/** The same Idempotency-Key was used for another run request. */
export class RunIdempotencyConflictError extends ImagegateError {
  constructor(readonly existingRunId: string) {
    super(
      'conflict',
      `This Idempotency-Key was already used with a different run request (run ${existingRunId}).`,
      { field: 'Idempotency-Key', code: 'idempotency_key_reused' },
    );
  }
}

/** Publishes of one flow kept taking the same version number; sending the publish again succeeds. */
export class FlowVersionConflictError extends ImagegateError {
  constructor(flowName: string, attempts: number) {
    super(
      'conflict',
      `Flow "${flowName}" was published by other requests at the same time ${attempts} times in a row; publish again.`,
      { code: 'version_conflict', isRetryable: true },
    );
  }
}
