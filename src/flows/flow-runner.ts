import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { batchDeadline } from '../batch/index.js';
import { systemClock, type Clock } from '../clock/index.js';
import {
  finalStatuses,
  newTaskId,
  type StoredMediaReference,
  type TaskEvent,
  type TaskEventHub,
  type TaskRecord,
  type TaskRequest,
  type TaskStore,
} from '../tasks/index.js';
import { canonicalJson, flowContentHash, sha256Hex } from './canonical-json.js';
import { FlowNotFoundError, FlowStateError, mayAccess, type FlowAccess } from './flow-access.js';
import type { FlowDocument, FlowNode, ImageNode } from './flow-document-schema.js';
import { InvalidFlowError } from './flow-problem.js';
import { findReferences, renderTemplate, type FlowReference } from './flow-references.js';
import {
  finalRunStatuses,
  type FlowRun,
  type FlowRunError,
  type NodeImage,
  type NodeOutput,
  type NodeRun,
  type RunLineage,
} from './flow-run-record.js';
import type { EstimateTaskCost } from './estimate-node-cost.js';
import { newFlowRunId } from './flow-run-id.js';
import type { FlowStore } from './flow-store.js';
import { upstreamOf } from './validate-flow-document.js';

/** What the runner tells listeners (SSE, progress lines) after every node or run change. */
export type FlowRunEvent =
  { type: 'node'; runId: string; node: NodeRun } | { type: 'run'; runId: string; run: FlowRun };

export interface FlowRunnerOptions {
  store: FlowStore;
  /** Every model call is a task here, so leases, crash recovery, budgets and idempotency apply. */
  tasks: TaskStore;
  clock?: Clock;
  /** Wakes waits on a task as soon as the local worker writes to it; other processes are polled. */
  taskEvents?: TaskEventHub;
  /** Called after a task is created, so a local worker claims it without waiting for its next poll. */
  onTaskCreated?: (taskId: string) => void;
  /** Aborts a task the local worker is running (cancel reaches the upstream call at once). */
  cancelTask?: (taskId: string) => void;
  estimateTaskCost?: EstimateTaskCost;
  /** How often a wait on a task re-reads it when no notification came. Default 250 ms. */
  pollIntervalMs?: number;
  onEvent?: (event: FlowRunEvent) => void;
  /**
   * Told when driving a run in the background failed (the store was unreachable): the run stays running
   * in the store, and the next `resume()` here or on another instance carries it on.
   */
  onError?: (error: unknown) => void;
  /** Called once a run is final, with its node runs (the server sends its webhook here). */
  onRunFinished?: (run: FlowRun, nodes: NodeRun[]) => void;
  /** How long the idempotency keys of node tasks live: longer than any crash-and-resume. Default 7 days. */
  taskIdempotencyTtlMs?: number;
  /**
   * Whether a batch lane (src/batch) finishes batch tasks where this runner's tasks live. Without one a
   * run with an image node on `lane: batch` is refused: its tasks would wait 23 h and then run online.
   */
  batchLane?: boolean;
}

export interface StartRunRequest {
  document: FlowDocument;
  version?: number;
  /** Inputs already checked by `parseFlowInputs`, image inputs stored. */
  inputs: Record<string, unknown>;
  access: FlowAccess;
  noCache?: boolean;
  webhookUrl?: string;
  lineage?: RunLineage;
  warnings?: string[];
}

/** The values a node can read, keyed by reference. */
interface ReadyValues {
  inputs: Record<string, unknown>;
  outputs: Map<string, NodeOutput>;
}

const defaultTaskIdempotencyTtlMs = 7 * 24 * 3_600_000;

/**
 * How often an instance on a shared store looks for running runs nobody drives (`keepResuming`): the
 * longest a run waits after the instance driving it died.
 */
export const sharedFlowResumeIntervalMs = 10_000;

/**
 * Runs flows as DAGs of nodes whose model calls are tasks in the task store (see the state machine in
 * flow-run-record.ts). A node starts as soon as its upstream nodes succeeded, so independent nodes run
 * concurrently; a failed node fails its dependents and leaves the rest running. The runner keeps nothing
 * it cannot rebuild from the store: `resume()` after a crash carries every running run on.
 */
export class FlowRunner {
  private readonly clock: Clock;
  private readonly pollIntervalMs: number;
  private readonly driving = new Map<string, { abort: AbortController; done: Promise<FlowRun> }>();
  /** Aborted by `detach()`: stops `keepResuming`. */
  private readonly resuming = new AbortController();

  constructor(private readonly options: FlowRunnerOptions) {
    this.clock = options.clock ?? systemClock;
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
  }

  /** Creates the run and its node runs, then drives it in the background. */
  async start(request: StartRunRequest): Promise<FlowRun> {
    this.checkLanes(request.document);
    const nowMs = this.clock.nowMs();
    const id = newFlowRunId(nowMs);
    const estimatedCostUsd = this.estimate(request.document, request.inputs);
    const run: FlowRun = {
      id,
      flowName: request.document.name,
      ...(request.version !== undefined ? { version: request.version } : {}),
      versionSha256: flowContentHash(request.document),
      document: request.document,
      status: 'running',
      inputs: request.inputs,
      ...(request.access.keyId !== undefined ? { ownerKeyId: request.access.keyId } : {}),
      generation: 0,
      noCache: request.noCache ?? false,
      ...(request.lineage ? { lineage: request.lineage } : {}),
      ...(request.webhookUrl ? { webhookUrl: request.webhookUrl } : {}),
      ...(estimatedCostUsd !== undefined ? { estimatedCostUsd } : {}),
      createdAtMs: nowMs,
      updatedAtMs: nowMs,
      warnings: request.warnings ?? [],
    };
    const nodes: NodeRun[] = Object.entries(request.document.nodes).map(([nodeId, node]) => ({
      runId: id,
      nodeId,
      type: node.type,
      status: 'pending',
      cached: false,
      taskIds: [],
      warnings: [],
    }));
    await this.options.store.insertRun(run, nodes);
    this.emit({ type: 'run', runId: id, run });
    this.driveInBackground(id);
    return run;
  }

  /** The run if the caller may see it. */
  async get(runId: string, access: FlowAccess): Promise<FlowRun> {
    const run = await this.options.store.getRun(runId);
    if (!run || !mayAccess(access, run.ownerKeyId)) throw new FlowNotFoundError('run', runId);
    return run;
  }

  async nodes(runId: string, access: FlowAccess): Promise<NodeRun[]> {
    await this.get(runId, access);
    return this.options.store.nodeRuns(runId);
  }

  /**
   * Drives a running run to a final state, unless another holder of the store's run driver (another
   * instance) drives it; resolves with the run as it is then (final when this process drove it).
   */
  drive(runId: string): Promise<FlowRun> {
    const existing = this.driving.get(runId);
    // A drive stopped by a cancel may still be winding down when a retry starts the run again.
    if (existing?.abort.signal.aborted) {
      return existing.done.catch(() => undefined).then(() => this.drive(runId));
    }
    if (existing) return existing.done;
    const abort = new AbortController();
    const done = this.driveIfFree(runId, abort.signal).finally(() => this.driving.delete(runId));
    this.driving.set(runId, { abort, done });
    return done;
  }

  /**
   * Carries on every run left running that nobody drives (a previous process, or another instance, died
   * mid-run); returns the ids of the running runs it found.
   */
  async resume(): Promise<string[]> {
    const running = await this.options.store.listRuns({ status: 'running', limit: 10_000 });
    for (const run of running) this.driveInBackground(run.id);
    return running.map((run) => run.id);
  }

  /**
   * Calls `resume()` every `intervalMs` until `detach()`: where several instances share the store, runs
   * a dead instance drove are taken over without waiting for a restart.
   */
  keepResuming(intervalMs: number): void {
    const signal = this.resuming.signal;
    void (async () => {
      while (!signal.aborted) {
        await this.clock.sleep(intervalMs, signal).catch(() => undefined);
        if (signal.aborted) return;
        await this.resume().catch((error: unknown) => this.options.onError?.(error));
      }
    })();
  }

  /** Resolves once the run is final, or when `signal` aborts (then with the run as it is). */
  async waitForFinal(runId: string, signal?: AbortSignal): Promise<FlowRun> {
    const aborted = new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve()));
    for (;;) {
      const run = await this.options.store.getRun(runId);
      if (!run) throw new FlowNotFoundError('run', runId);
      if (finalRunStatuses.includes(run.status) || signal?.aborted) return run;
      const driving = this.driving.get(runId);
      if (driving) {
        await Promise.race([driving.done.catch(() => undefined), aborted]);
        await yieldToEventLoop();
      } else {
        // Driven by another process (or not at all yet): read the store again after a while.
        await this.clock.sleep(this.pollIntervalMs, signal).catch(() => undefined);
      }
    }
  }

  /** Cancels the run: pending and running nodes become cancelled, their outstanding tasks are cancelled. */
  async cancel(runId: string, access: FlowAccess): Promise<FlowRun> {
    const run = await this.get(runId, access);
    if (finalRunStatuses.includes(run.status)) return run;
    const nowMs = this.clock.nowMs();
    for (const node of await this.options.store.nodeRuns(runId)) {
      if (node.status !== 'pending' && node.status !== 'running') continue;
      for (const taskId of node.taskIds) {
        await this.options.tasks.requestCancel(taskId, nowMs);
        this.options.cancelTask?.(taskId);
      }
      await this.saveNode({
        ...node,
        status: 'cancelled',
        finishedAtMs: nowMs,
        error: { type: 'cancelled', message: 'the run was cancelled' },
      });
    }
    const cancelled = await this.finishRun(runId, 'cancelled', {
      type: 'cancelled',
      message: 'Cancelled by request.',
    });
    this.driving.get(runId)?.abort.abort();
    return cancelled;
  }

  /**
   * Runs failed or unfinished nodes of a failed or cancelled run again; succeeded nodes are kept. With
   * `onlyNode`, only that node runs again, with the nodes downstream of it that did not succeed (they
   * failed because it did); other failed nodes stay failed, so the run can end failed again.
   */
  async retry(runId: string, access: FlowAccess, onlyNode?: string): Promise<FlowRun> {
    const run = await this.get(runId, access);
    if (run.status !== 'failed' && run.status !== 'cancelled') {
      throw new FlowStateError(
        `Run ${runId} is ${run.status}; only a failed or cancelled run can be retried.`,
      );
    }
    const nodes = await this.options.store.nodeRuns(runId);
    let chosen: Set<string> | undefined;
    if (onlyNode !== undefined) {
      const node = nodes.find((entry) => entry.nodeId === onlyNode);
      if (!node) throw new FlowNotFoundError('node', onlyNode);
      if (node.status === 'succeeded') {
        throw new FlowStateError(
          `Node "${onlyNode}" of run ${runId} succeeded; only an unfinished node can be retried.`,
        );
      }
      chosen = downstreamOf(run.document, onlyNode);
    }
    for (const node of nodes) {
      if (node.status === 'succeeded') continue;
      if (chosen && !chosen.has(node.nodeId)) continue;
      const { error: _error, finishedAtMs: _finished, ...rest } = node;
      await this.saveNode({ ...rest, status: 'pending' });
    }
    const { error: _error, finishedAtMs: _finished, result: _result, ...rest } = run;
    const retried: FlowRun = {
      ...rest,
      status: 'running',
      generation: run.generation + 1,
      updatedAtMs: this.clock.nowMs(),
    };
    await this.options.store.saveRun(retried);
    this.emit({ type: 'run', runId, run: retried });
    this.driveInBackground(runId);
    return retried;
  }

  /** Stops driving runs in this process without changing them (shutdown; `resume` picks them up). */
  async detach(): Promise<void> {
    this.resuming.abort();
    const all = [...this.driving.values()];
    for (const entry of all) entry.abort.abort();
    await Promise.allSettled(all.map((entry) => entry.done));
  }

  /** Refuses a document with batch-lane nodes where no batch lane runs, naming each such node's `lane`. */
  checkLanes(document: FlowDocument): void {
    if (this.options.batchLane) return;
    const problems = Object.entries(document.nodes)
      .filter(([, node]) => node.type === 'image' && node.lane === 'batch')
      .map(([nodeId]) => ({
        file: `flow "${document.name}"`,
        node: nodeId,
        field: `nodes.${nodeId}.lane`,
        message:
          '"batch" needs a batch lane, and none runs here: run the flow on `imagegate serve` with a Gemini API key (the Batch API), or use lane "online"',
        severity: 'error' as const,
      }));
    if (problems.length > 0) throw new InvalidFlowError(problems);
  }

  /** Estimated cost before the run: each model node at list price (see `catalogTaskCostEstimator`). */
  estimate(document: FlowDocument, inputs: Record<string, unknown>): number | undefined {
    const estimateTaskCost = this.options.estimateTaskCost;
    if (!estimateTaskCost) return undefined;
    let total = 0;
    for (const [id, node] of Object.entries(document.nodes)) {
      if (node.type !== 'text' && node.type !== 'image') continue;
      const ready: ReadyValues = { inputs, outputs: new Map() };
      const variants = node.type === 'image' ? variantCount(node, inputs) : 1;
      const request = this.taskRequest(id, node, ready, 0);
      const cost = estimateTaskCost({ ...request, imageCount: 1 }, { batch: isBatchNode(node) });
      if (cost === undefined) return undefined;
      total += cost * variants;
    }
    return total;
  }

  private driveInBackground(runId: string): void {
    this.drive(runId).catch((error: unknown) => this.options.onError?.(error));
  }

  /** Drives the run while holding its driver; without it (another instance drives) only reads it. */
  private async driveIfFree(runId: string, signal: AbortSignal): Promise<FlowRun> {
    if (!(await this.options.store.acquireRunDriver(runId))) {
      const run = await this.options.store.getRun(runId);
      if (!run) throw new FlowNotFoundError('run', runId);
      return run;
    }
    try {
      return await this.driveUntilFinal(runId, signal);
    } finally {
      await this.options.store
        .releaseRunDriver(runId)
        .catch((error: unknown) => this.options.onError?.(error));
    }
  }

  private async driveUntilFinal(runId: string, signal: AbortSignal): Promise<FlowRun> {
    const running = new Map<string, Promise<void>>();
    for (;;) {
      const run = await this.options.store.getRun(runId);
      if (!run) throw new FlowNotFoundError('run', runId);
      if (run.status !== 'running' || signal.aborted) {
        await Promise.allSettled(running.values());
        return (await this.options.store.getRun(runId))!;
      }
      const nodes = new Map((await this.options.store.nodeRuns(runId)).map((node) => [node.nodeId, node]));
      const upstream = upstreamOf(run.document);
      for (const [nodeId, node] of nodes) {
        if (running.has(nodeId)) continue;
        const parents = [...(upstream.get(nodeId) ?? [])].map((parent) => nodes.get(parent));
        if (node.status === 'pending') {
          const failedParent = parents.find(
            (parent) => parent && parent.status !== 'succeeded' && isFinalNode(parent.status),
          );
          if (failedParent) {
            await this.saveNode({
              ...node,
              status: 'failed',
              finishedAtMs: this.clock.nowMs(),
              error: {
                type: 'upstream_failed',
                message: `upstream node "${failedParent.nodeId}" ${failedParent.status}`,
              },
            });
            continue;
          }
        }
        const ready = parents.every((parent) => parent?.status === 'succeeded');
        // A node found running was started by a runner that stopped: pick its tasks up again.
        if ((node.status === 'pending' && ready) || node.status === 'running') {
          running.set(
            nodeId,
            this.runNode(run, nodeId, parents as NodeRun[], signal)
              .catch(async (error: unknown) => {
                const message = error instanceof Error ? error.message : String(error);
                const current = (await this.options.store.nodeRuns(runId)).find(
                  (entry) => entry.nodeId === nodeId,
                );
                if (current && !isFinalNode(current.status) && !signal.aborted) {
                  await this.saveNode({
                    ...current,
                    status: 'failed',
                    finishedAtMs: this.clock.nowMs(),
                    error: { type: 'internal_error', message },
                  });
                }
              })
              .finally(() => running.delete(nodeId)),
          );
        }
      }
      if (running.size === 0) {
        const latest = await this.options.store.nodeRuns(runId);
        if (latest.some((node) => node.status === 'pending')) {
          // Pending nodes whose failed parents were marked in this pass: look again.
          if (latest.some((node) => node.status === 'pending' && this.blockedForever(run, node, latest)))
            continue;
        }
        return this.finishFromNodes(runId, latest);
      }
      await Promise.race(running.values());
      // Node bookkeeping on SQLite is synchronous work: let HTTP and timers in between.
      await yieldToEventLoop();
    }
  }

  private blockedForever(run: FlowRun, node: NodeRun, nodes: NodeRun[]): boolean {
    const parents = [...(upstreamOf(run.document).get(node.nodeId) ?? [])];
    return parents.some((parent) => {
      const status = nodes.find((entry) => entry.nodeId === parent)?.status;
      return status !== undefined && isFinalNode(status) && status !== 'succeeded';
    });
  }

  private async finishFromNodes(runId: string, nodes: NodeRun[]): Promise<FlowRun> {
    const failed =
      nodes.find((node) => node.status === 'failed' && node.error?.type !== 'upstream_failed') ??
      nodes.find((node) => node.status === 'failed');
    if (failed) {
      return this.finishRun(runId, 'failed', {
        type: failed.error?.type ?? 'internal_error',
        message: `node "${failed.nodeId}" failed: ${failed.error?.message ?? 'unknown error'}`,
      });
    }
    if (nodes.some((node) => node.status === 'cancelled')) {
      return this.finishRun(runId, 'cancelled', { type: 'cancelled', message: 'Cancelled by request.' });
    }
    return this.finishRun(runId, 'succeeded');
  }

  private async finishRun(runId: string, status: FlowRun['status'], error?: FlowRunError): Promise<FlowRun> {
    const run = (await this.options.store.getRun(runId))!;
    if (finalRunStatuses.includes(run.status)) return run;
    const nodes = await this.options.store.nodeRuns(runId);
    const nowMs = this.clock.nowMs();
    const costs = nodes
      .map((node) => node.actualCostUsd)
      .filter((cost): cost is number => cost !== undefined);
    const finished: FlowRun = {
      ...run,
      status,
      updatedAtMs: nowMs,
      finishedAtMs: nowMs,
      actualCostUsd: costs.reduce((sum, cost) => sum + cost, 0),
      warnings: [...new Set([...run.warnings, ...nodes.flatMap((node) => node.warnings)])],
      ...(error ? { error } : {}),
      ...(status === 'succeeded' ? { result: resultOf(run.document, run.inputs, nodes) } : {}),
    };
    await this.options.store.saveRun(finished);
    this.emit({ type: 'run', runId, run: finished });
    this.options.onRunFinished?.(finished, nodes);
    return finished;
  }

  /*
   * Writes are few on purpose (each is an fsync with the default synchronous=FULL): a node that makes no
   * call is written once, when it succeeds; a model node once its tasks exist (status, signature and task
   * ids together) and once when it ends (with its cache entry, in one transaction). A crash between
   * creating the tasks and the first write loses nothing: the tasks' idempotency keys find them again.
   */
  private async runNode(
    run: FlowRun,
    nodeId: string,
    parents: NodeRun[],
    signal: AbortSignal,
  ): Promise<void> {
    const node = run.document.nodes[nodeId]!;
    let record = (await this.options.store.nodeRuns(run.id)).find((entry) => entry.nodeId === nodeId)!;
    const ready: ReadyValues = {
      inputs: run.inputs,
      outputs: new Map(parents.map((parent) => [parent.nodeId, parent.output ?? {}])),
    };
    const signature = nodeSignature(node, parents, referencedInputs(node, run.inputs));
    const startedAtMs = record.startedAtMs ?? this.clock.nowMs();
    record = { ...record, signature, startedAtMs };
    if (node.type === 'output') {
      await this.succeed(record, {}, undefined, false);
      return;
    }
    if (node.type === 'template') {
      await this.succeed(record, { text: render(node.template, ready) }, undefined, false);
      return;
    }
    const cached =
      run.noCache || record.taskIds.length > 0 ? undefined : await this.options.store.cachedOutput(signature);
    if (cached) {
      // A cached node cost nothing this time; its original cost stays with the run that paid it.
      await this.succeed(record, cached.output, 0, true);
      return;
    }
    const variants = node.type === 'image' ? variantCount(node, run.inputs) : 1;
    const baseSeed = node.type === 'image' ? (node.seed ?? seedFromSignature(signature)) : undefined;
    // Every variant's task asked for at once: a task store with group commit takes them in one commit.
    const variantTasks = await Promise.all(
      Array.from({ length: variants }, (_, variant) =>
        this.variantTask(
          run,
          record,
          node,
          ready,
          variant,
          baseSeed === undefined ? undefined : baseSeed + variant,
        ),
      ),
    );
    const taskIds = variantTasks.map((task) => task.id);
    const created = variantTasks.filter((task) => task.created).map((task) => task.id);
    if (signal.aborted) {
      // Cancelled while the tasks were being created: cancel the ones the node never recorded.
      for (const taskId of created) await this.options.tasks.requestCancel(taskId, this.clock.nowMs());
      return;
    }
    record = { ...record, status: 'running', taskIds };
    await this.saveNode(record);
    for (const taskId of created) this.options.onTaskCreated?.(taskId);
    const tasks = await Promise.all(taskIds.map((taskId) => this.waitForTask(taskId, signal)));
    if (signal.aborted) return;
    const current = (await this.options.store.nodeRuns(run.id)).find((entry) => entry.nodeId === nodeId)!;
    if (isFinalNode(current.status)) return;
    const warnings = [
      ...new Set([...tasks.flatMap((task) => task.warnings), ...(await this.lostRunWarnings(tasks))]),
    ];
    const failed = tasks.find((task) => task.status !== 'success');
    const cost = sumCosts(tasks);
    if (failed) {
      await this.saveNode({
        ...record,
        status: failed.status === 'cancelled' ? 'cancelled' : 'failed',
        finishedAtMs: this.clock.nowMs(),
        warnings,
        ...(cost !== undefined ? { actualCostUsd: cost } : {}),
        error: {
          type: failed.error?.type ?? 'internal_error',
          message: `task ${failed.id}: ${failed.error?.message ?? failed.status}`,
        },
      });
      return;
    }
    const output: NodeOutput =
      node.type === 'text'
        ? { text: tasks[0]?.result?.text ?? '' }
        : {
            images: tasks.map((task, variant) =>
              nodeImage(task, variant, node.model, (baseSeed ?? 0) + variant),
            ),
          };
    const finishedAtMs = tasks.map((task) => task.finishedAtMs);
    const producedAtMs = finishedAtMs.every((atMs) => atMs !== undefined)
      ? Math.min(...(finishedAtMs as number[]))
      : undefined;
    await this.succeed({ ...record, warnings }, output, cost, false, {
      signature,
      ...(producedAtMs !== undefined ? { producedAtMs } : {}),
    });
  }

  /**
   * The variant's task: the one already recorded when it succeeded (a retry) or is still running in this
   * generation (a resume), else one created with the key (run, node, generation, variant), which returns
   * the existing task when a crashed runner created it before it could record it.
   */
  private async variantTask(
    run: FlowRun,
    record: NodeRun,
    node: FlowNode & { type: 'text' | 'image' },
    ready: ReadyValues,
    variant: number,
    seed: number | undefined,
  ): Promise<{ id: string; created: boolean }> {
    const previous = record.taskIds[variant];
    if (previous) {
      const task = await this.options.tasks.get(previous);
      if (task?.status === 'success') return { id: task.id, created: false };
      if (task && !isFinalTask(task) && run.generation === generationOf(task)) {
        return { id: task.id, created: false };
      }
    }
    const request = this.taskRequest(record.nodeId, node, ready, variant, seed);
    const nowMs = this.clock.nowMs();
    const batch = isBatchNode(node) ? batchDeadline(nowMs) : undefined;
    const estimatedCostUsd = this.options.estimateTaskCost?.(request, { batch: batch !== undefined });
    const { task, created } = await this.options.tasks.create(
      {
        id: newTaskId(nowMs),
        request,
        metadata: {
          flow: run.flowName,
          flow_run: run.id,
          flow_node: record.nodeId,
          variant: String(variant),
          generation: String(run.generation),
        },
        ...(run.ownerKeyId !== undefined ? { apiKeyId: run.ownerKeyId } : {}),
        ...(estimatedCostUsd !== undefined ? { estimatedCostUsd } : {}),
        // The default deadline (24 h) is always accepted; the lane makes the call exactly once.
        ...(batch && 'deadlineMs' in batch ? { batch } : {}),
        createdAtMs: nowMs,
      },
      {
        key: `flow:${run.id}:${record.nodeId}:g${run.generation}:v${variant}`,
        requestHash: sha256Hex(canonicalJson(request)),
        expiresAtMs: nowMs + (this.options.taskIdempotencyTtlMs ?? defaultTaskIdempotencyTtlMs),
      },
      nowMs,
    );
    return { id: task.id, created };
  }

  /**
   * A warning per task that lost a run to a dead worker (a `processing` event followed by another without
   * a reschedule or release between): the call it had in flight, if any, was made again, and Gemini may
   * have billed both. Online calls have no idempotency upstream, so this is said rather than prevented.
   */
  private async lostRunWarnings(tasks: TaskRecord[]): Promise<string[]> {
    const warnings: string[] = [];
    for (const task of tasks) {
      if (task.claimCount < 2) continue;
      const lost = lostRuns(await this.options.tasks.eventsAfter(task.id, 0));
      if (lost > 0) {
        warnings.push(
          `task ${task.id}: ${lost} run${lost === 1 ? '' : 's'} ended with the worker gone (a crash or an expired lease); a call in flight then was made again and may have been billed twice (lane "batch" makes image calls exactly once)`,
        );
      }
    }
    return warnings;
  }

  private taskRequest(
    nodeId: string,
    node: FlowNode,
    ready: ReadyValues,
    _variant: number,
    seed?: number,
  ): TaskRequest {
    if (node.type === 'text') {
      return {
        model: node.model,
        prompt: render(node.prompt, ready),
        ...(node.system !== undefined ? { systemInstruction: render(node.system, ready) } : {}),
        ...(node.temperature !== undefined ? { temperature: node.temperature } : {}),
        outputFormat: 'png',
        references: [],
        history: [],
        imageCount: 1,
        responseModality: 'text',
      };
    }
    if (node.type !== 'image') throw new Error(`node ${nodeId} makes no model call`);
    return {
      model: node.model,
      prompt: render(node.prompt, ready),
      ...(node.aspectRatio !== undefined ? { aspectRatio: node.aspectRatio } : {}),
      ...(node.imageSize !== undefined ? { imageSize: node.imageSize } : {}),
      outputFormat: node.format,
      references: node.references.flatMap((reference) => imagesOf(reference, ready)),
      history: [],
      ...(seed !== undefined ? { seed } : {}),
      imageCount: 1,
    };
  }

  private async waitForTask(taskId: string, signal: AbortSignal): Promise<TaskRecord> {
    for (;;) {
      const task = await this.options.tasks.get(taskId);
      if (!task) throw new Error(`task ${taskId} vanished from the task store`);
      if (isFinalTask(task) || signal.aborted) return task;
      const wake = new AbortController();
      const unsubscribe = this.options.taskEvents?.subscribe(taskId, () => wake.abort());
      try {
        await this.clock
          .sleep(this.pollIntervalMs, AbortSignal.any([signal, wake.signal]))
          .catch(() => undefined);
      } finally {
        unsubscribe?.();
      }
    }
  }

  /** The node's success, and with `cacheAs` its cache entry (aged from `producedAtMs`), in one write. */
  private async succeed(
    record: NodeRun,
    output: NodeOutput,
    costUsd: number | undefined,
    cached: boolean,
    cacheAs?: { signature: string; producedAtMs?: number },
  ): Promise<void> {
    const node: NodeRun = {
      ...record,
      status: 'succeeded',
      cached,
      output,
      finishedAtMs: this.clock.nowMs(),
      ...(costUsd !== undefined ? { actualCostUsd: costUsd } : {}),
    };
    await this.options.store.saveNodeRun(node, cacheAs === undefined ? undefined : { ...cacheAs, costUsd });
    this.emit({ type: 'node', runId: node.runId, node });
  }

  private async saveNode(node: NodeRun): Promise<void> {
    await this.options.store.saveNodeRun(node);
    this.emit({ type: 'node', runId: node.runId, node });
  }

  private emit(event: FlowRunEvent): void {
    try {
      this.options.onEvent?.(event);
    } catch {
      // A listener's failure (a closed stream) is its own; the run goes on.
    }
  }
}

function isFinalNode(status: NodeRun['status']): boolean {
  return status === 'succeeded' || status === 'failed' || status === 'cancelled';
}

function isBatchNode(node: FlowNode): boolean {
  return node.type === 'image' && node.lane === 'batch';
}

/** Runs of a task that ended without a reschedule, release or final event: their worker died. */
export function lostRuns(events: TaskEvent[]): number {
  let lost = 0;
  let running = false;
  for (const event of events) {
    if (event.type === 'processing') {
      if (running) lost += 1;
      running = true;
    } else if (event.type !== 'progress' && event.type !== 'attempt') {
      running = false;
    }
  }
  return lost;
}

function isFinalTask(task: TaskRecord): boolean {
  return finalStatuses.includes(task.status);
}

function generationOf(task: TaskRecord): number {
  return Number(task.metadata.generation ?? 0);
}

export function variantCount(node: ImageNode, inputs: Record<string, unknown>): number {
  if (typeof node.variants === 'number') return node.variants;
  const name = node.variants.replace(/^\{\{\s*inputs\.|\s*\}\}$/g, '');
  const value = inputs[name];
  return typeof value === 'number' ? value : 1;
}

function render(text: string, ready: ReadyValues): string {
  return renderTemplate(text, (reference) => {
    const value = valueOf(reference, ready);
    return typeof value === 'string' ? value : JSON.stringify(value ?? '');
  });
}

function valueOf(reference: FlowReference, ready: ReadyValues): unknown {
  if (reference.kind === 'input') return ready.inputs[reference.name];
  const output = ready.outputs.get(reference.node);
  return reference.port === 'text' ? output?.text : output?.images;
}

function imagesOf(reference: string, ready: ReadyValues): StoredMediaReference[] {
  const [parsed] = findReferences(reference);
  if (!parsed || parsed.kind === 'invalid') return [];
  const value = valueOf(parsed, ready);
  if (Array.isArray(value)) {
    return (value as NodeImage[]).map((image) => ({ sha256: image.sha256, mimeType: image.mimeType }));
  }
  const stored = value as StoredMediaReference | undefined;
  return stored?.sha256 ? [{ sha256: stored.sha256, mimeType: stored.mimeType }] : [];
}

/** Input values a node reads (directly), by name. */
function referencedInputs(node: FlowNode, inputs: Record<string, unknown>): Record<string, unknown> {
  const texts = Object.values(node).filter((value): value is string => typeof value === 'string');
  const lists = Object.values(node).flatMap((value) =>
    Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [],
  );
  const records = Object.values(node).flatMap((value) =>
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? Object.values(value).filter((item): item is string => typeof item === 'string')
      : [],
  );
  const names = [...texts, ...lists, ...records]
    .flatMap((text) => findReferences(text))
    .flatMap((reference) => (reference.kind === 'input' ? [reference.name] : []));
  return Object.fromEntries([...new Set(names)].sort().map((name) => [name, inputs[name] ?? null]));
}

/**
 * The cache key of a node: its type and configuration, the signatures of the nodes it reads and the
 * input values it reads. Equal signatures mean equal requests, so an unchanged part of an edited flow (or
 * a re-run with the same inputs) reuses what it made before.
 */
export function nodeSignature(node: FlowNode, parents: NodeRun[], inputs: Record<string, unknown>): string {
  const { description: _description, ...config } = node;
  return sha256Hex(
    canonicalJson({
      config,
      upstream: Object.fromEntries(parents.map((parent) => [parent.nodeId, parent.signature ?? null])),
      inputs,
    }),
  );
}

/** A stable seed from the signature, so an image node without `seed` still reproduces on a rerun. */
function seedFromSignature(signature: string): number {
  return Number.parseInt(signature.slice(0, 7), 16);
}

function sumCosts(tasks: TaskRecord[]): number | undefined {
  const costs = tasks.map((task) => task.actualCostUsd);
  if (costs.some((cost) => cost === undefined)) return undefined;
  return (costs as number[]).reduce((sum, cost) => sum + cost, 0);
}

function nodeImage(task: TaskRecord, variant: number, requestedModel: string, seed: number): NodeImage {
  const image = task.result?.images[0];
  if (!image) throw new Error(`task ${task.id} succeeded without an image`);
  return {
    variant,
    sha256: image.sha256,
    mimeType: image.mimeType,
    width: image.width,
    height: image.height,
    seed,
    taskId: task.id,
    requestedModel,
    ...(task.servedBy ? { servedModel: task.servedBy.modelId } : {}),
    ...(task.startedAtMs !== undefined && task.finishedAtMs !== undefined
      ? { latencyMs: task.finishedAtMs - task.startedAtMs }
      : {}),
    ...(task.actualCostUsd !== undefined ? { costUsd: task.actualCostUsd } : {}),
  };
}

/** The output nodes' named results: text as a string, images as their records, inputs as given. */
function resultOf(
  document: FlowDocument,
  inputs: Record<string, unknown>,
  nodes: NodeRun[],
): Record<string, unknown> {
  const outputs = new Map(nodes.map((node) => [node.nodeId, node.output ?? {}]));
  const result: Record<string, unknown> = {};
  for (const node of Object.values(document.nodes)) {
    if (node.type !== 'output') continue;
    for (const [name, reference] of Object.entries(node.results)) {
      const [parsed] = findReferences(reference);
      if (parsed && parsed.kind !== 'invalid') result[name] = valueOf(parsed, { inputs, outputs });
    }
  }
  return result;
}

/** The node and every node that reads from it, directly or through others. */
function downstreamOf(document: FlowDocument, nodeId: string): Set<string> {
  const upstream = upstreamOf(document);
  const found = new Set([nodeId]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [id, parents] of upstream) {
      if (!found.has(id) && [...parents].some((parent) => found.has(parent))) {
        found.add(id);
        grew = true;
      }
    }
  }
  return found;
}
