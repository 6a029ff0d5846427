import { createHash, randomBytes } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { MalformedImageError, type BlobStore } from '../blobs/index.js';
import type { GenerationResult } from '../client/index.js';
import { systemClock, type Clock } from '../clock/index.js';
import { ImageGenerationError, type Attempt } from '../engine/index.js';
import { decideFailure } from './task-failure.js';
import { finished } from './task-transitions.js';
import type { TaskEventHub } from './task-event-hub.js';
import { imageRequestFromTask } from './image-request-from-task.js';
import { storedMediaUri, storeInlineMedia } from './stored-contents.js';
import type { TaskError, TaskImage, TaskRecord, TaskRequest } from './task-record.js';
import type { TaskRunner } from './task-runner.js';
import type { Lease, TaskCompletion, TaskStore } from './task-store.js';
import { userTurn, type ConversationContent, type ImageRequest } from '../request/index.js';

export interface TaskWorkerOptions {
  store: TaskStore;
  blobs: BlobStore;
  run: TaskRunner;
  /** Default: the system clock. Leases, heartbeats, polling and retry backoff all read it. */
  clock?: Clock;
  /** Written into leases. Default: `worker-<pid>-<random>`. */
  workerId?: string;
  /**
   * Tasks run at once. Default `defaultTaskWorkerConcurrency` (4). A task whose run succeeded gives its slot
   * back while its result commits, so the next claim shares that commit.
   */
  concurrency?: number;
  /** Lease length; the lease is renewed every third of it. Default 30000 ms. */
  leaseMs?: number;
  /** Wait between claims when the queue is empty. Default 250 ms. */
  pollIntervalMs?: number;
  /** A task whose run failed transiently is rescheduled until it has been claimed this often. Default 5. */
  maxTaskRuns?: number;
  /** First reschedule delay, doubled on each further run. Default 30000 ms. */
  retryBaseDelayMs?: number;
  /** Longest reschedule delay. Default 3600000 ms (1 h). */
  maxRetryDelayMs?: number;
  /**
   * While a route's circuits are all open, its other queued tasks are parked this far ahead in one write;
   * they come back at once when a task of the route succeeds (or, after a restart, when this has passed).
   * Only the tasks that were running keep probing at each trial time. Default 60000 ms.
   */
  parkHorizonMs?: number;
  /** Notified after every write the worker makes. Default: none. */
  events?: TaskEventHub;
  /** Called once a task is final (success, failed or cancelled) by this worker. Default: none. */
  onTaskFinished?: (task: TaskRecord) => void;
  /** Store or blob errors the worker survived (the task's lease then expires and it runs again). Default: stderr. */
  onError?: (error: unknown, taskId?: string) => void;
}

export const defaultTaskWorkerConcurrency = 4;

/** Shown on a batch-lane task that ran online (see docs/batch.md). */
export const batchLaneOnlineWarning =
  'Ran in the online lane at the online price: its batch job did not finish it before its deadline margin, or released it (its events say why).';

type AbortCause = 'cancel' | 'shutdown' | 'lease-lost';

interface RunningTask {
  abort(cause: AbortCause): void;
  /** Gives its concurrency slot back before it is done: its run is over, only its commit is left. */
  freeSlot(): void;
  /** Settles when the slot is free: early (`freeSlot`) or when the task is done. */
  slotFreed: Promise<void>;
  /** Whether it still holds its slot. */
  holdsSlot(): boolean;
  /** Why it was aborted, if it was. */
  cause(): AbortCause | undefined;
  done: Promise<void>;
}

/**
 * Claims tasks from the store and runs them. Images are stored (with provenance) before the task is
 * committed as done; a worker that has lost its lease drops its result quietly, because the task
 * belongs to whoever claimed it since. See docs/tasks.md for the guarantees.
 */
export class TaskWorker {
  private readonly store: TaskStore;
  private readonly blobs: BlobStore;
  private readonly run: TaskRunner;
  private readonly clock: Clock;
  readonly workerId: string;
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly pollIntervalMs: number;
  private idleWait: AbortController | undefined;
  private readonly maxTaskRuns: number;
  private readonly retryBaseDelayMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly parkHorizonMs: number;
  /** Routes (the tasks' model names) whose queued tasks this worker parked, and until when. */
  private readonly parkedRoutes = new Map<string, number>();
  private readonly events: TaskEventHub | undefined;
  private readonly onTaskFinished: ((task: TaskRecord) => void) | undefined;
  private readonly onError: (error: unknown, taskId?: string) => void;
  private readonly running = new Map<string, RunningTask>();
  /** Running tasks that still hold a concurrency slot. */
  private slotsInUse = 0;
  private claimLoop: Promise<void> | undefined;
  private stopPolling: AbortController | undefined;

  constructor(options: TaskWorkerOptions) {
    this.store = options.store;
    this.blobs = options.blobs;
    this.run = options.run;
    this.clock = options.clock ?? systemClock;
    this.workerId = options.workerId ?? `worker-${process.pid}-${randomBytes(4).toString('hex')}`;
    this.concurrency = positiveInteger('concurrency', options.concurrency ?? defaultTaskWorkerConcurrency);
    this.leaseMs = positiveInteger('leaseMs', options.leaseMs ?? 30_000);
    this.pollIntervalMs = positiveInteger('pollIntervalMs', options.pollIntervalMs ?? 250);
    this.maxTaskRuns = positiveInteger('maxTaskRuns', options.maxTaskRuns ?? 5);
    this.retryBaseDelayMs = positiveInteger('retryBaseDelayMs', options.retryBaseDelayMs ?? 30_000);
    this.maxRetryDelayMs = positiveInteger('maxRetryDelayMs', options.maxRetryDelayMs ?? 3_600_000);
    this.parkHorizonMs = positiveInteger('parkHorizonMs', options.parkHorizonMs ?? 60_000);
    this.events = options.events;
    this.onTaskFinished = options.onTaskFinished;
    this.onError =
      options.onError ??
      ((error, taskId) =>
        console.error(`task worker ${this.workerId}${taskId ? ` (${taskId})` : ''}:`, error));
  }

  /** Starts claiming in the background, up to `concurrency` tasks at once. */
  start(): void {
    if (this.claimLoop) return;
    const stopPolling = new AbortController();
    this.stopPolling = stopPolling;
    this.claimLoop = this.claimUntilStopped(stopPolling.signal);
  }

  /** Stops claiming; waits up to graceMs for in-flight tasks to finish, then aborts and releases them. */
  async stop(options: { graceMs?: number } = {}): Promise<void> {
    const graceMs = options.graceMs ?? 10_000;
    this.stopPolling?.abort();
    await this.claimLoop;
    this.claimLoop = undefined;
    const inFlight = () => Promise.allSettled([...this.running.values()].map((task) => task.done));
    if (this.running.size > 0) {
      const graceOver = new AbortController();
      await Promise.race([inFlight(), this.clock.sleep(graceMs, graceOver.signal).catch(() => undefined)]);
      graceOver.abort();
    }
    for (const task of this.running.values()) task.abort('shutdown');
    await inFlight();
  }

  /**
   * Ends an idle wait at once so a task submitted in this process starts without waiting for the next
   * poll. Tasks from other processes and scheduled retries are still found by polling.
   */
  wake(): void {
    this.idleWait?.abort();
  }

  /**
   * Aborts a task this worker is running because its cancel was committed, so the in-flight upstream call
   * stops now instead of at the next heartbeat. Tasks running elsewhere see the cancel at their heartbeat.
   */
  cancel(taskId: string): void {
    this.running.get(taskId)?.abort('cancel');
  }

  /** Claims and runs at most one task (tests drive the worker step by step with this). Returns the task id or undefined. */
  async runOnce(): Promise<string | undefined> {
    const started = await this.claimAndStart();
    if (!started) return undefined;
    await started.done;
    return started.taskId;
  }

  private async claimUntilStopped(stopSignal: AbortSignal): Promise<void> {
    let foundWork = false;
    while (!stopSignal.aborted) {
      if (this.slotsInUse >= this.concurrency) {
        // Only tasks still holding a slot: one that gave it back early is still running (its commit is
        // out), and its settled promise would spin this loop without ever letting that commit finish.
        const holding = [...this.running.values()].filter((task) => task.holdsSlot());
        await Promise.race(holding.map((task) => task.slotFreed));
        continue;
      }
      // While the last round found work, claim for every free slot at once (a store with group commit
      // takes them in one commit); an idle poll asks for one.
      const wanted: number = foundWork ? this.concurrency - this.slotsInUse : 1;
      const started = await Promise.all(
        Array.from({ length: wanted }, () =>
          this.claimAndStart().catch((error: unknown) => {
            this.onError(error);
            return undefined;
          }),
        ),
      );
      foundWork = started.some((claimed) => claimed !== undefined);
      // Claims are synchronous SQLite work: let HTTP and timers in between them.
      await yieldToEventLoop();
      if (!foundWork) {
        const idleWait = new AbortController();
        this.idleWait = idleWait;
        await this.clock
          .sleep(this.pollIntervalMs, AbortSignal.any([stopSignal, idleWait.signal]))
          .catch(() => undefined);
        this.idleWait = undefined;
      }
    }
  }

  private async claimAndStart(): Promise<{ taskId: string; done: Promise<void> } | undefined> {
    const claimed = await this.store.claim(this.workerId, this.clock.nowMs(), this.leaseMs);
    if (!claimed) return undefined;
    const { task, lease } = claimed;
    this.notify(task.id);
    const controller = new AbortController();
    let cause: AbortCause | undefined;
    const abort = (why: AbortCause) => {
      if (cause) return;
      cause = why;
      controller.abort(new Error(`Task ${task.id} aborted: ${why}.`));
    };
    this.slotsInUse += 1;
    let slotHeld = true;
    let slotFreedNow: () => void = () => {};
    const slotFreed = new Promise<void>((resolve) => (slotFreedNow = resolve));
    const freeSlot = () => {
      if (!slotHeld) return;
      slotHeld = false;
      this.slotsInUse -= 1;
      slotFreedNow();
    };
    const done = this.process(task, lease, controller.signal, abort, () => cause)
      .catch((error: unknown) => this.onError(error, task.id))
      .finally(() => {
        freeSlot();
        this.running.delete(task.id);
      });
    this.running.set(task.id, {
      abort,
      cause: () => cause,
      done,
      freeSlot,
      slotFreed,
      holdsSlot: () => slotHeld,
    });
    return { taskId: task.id, done };
  }

  private async process(
    task: TaskRecord,
    lease: Lease,
    signal: AbortSignal,
    abort: (cause: AbortCause) => void,
    causeOf: () => AbortCause | undefined,
  ): Promise<void> {
    if (task.claimCount > this.maxTaskRuns) {
      // Its earlier runs ended with no word from their worker (a crash, a lost lease): a poison task.
      await this.finish(task, lease, {
        status: 'failed',
        error: {
          type: 'internal_error',
          code: 'too_many_runs',
          message: `Gave up after ${task.claimCount - 1} runs that ended without a result (the worker stopped, crashed or lost its lease).`,
        },
        attempts: task.attempts,
        warnings: task.warnings,
      });
      return;
    }
    const heartbeatStop = new AbortController();
    const heartbeat = this.heartbeatUntilStopped(task.id, lease, abort, heartbeatStop.signal);
    let attemptWrites = Promise.resolve();
    const liveAttempts: Attempt[] = [];
    // Reported but not written yet: a successful attempt waits to ride on the commit that completes the
    // task (one commit instead of two); a later attempt, or any other ending, writes it first.
    const unwritten: Attempt[] = [];
    const writeUnwritten = () => this.recordAttempts(task.id, lease, unwritten.splice(0));
    // A batch-lane task reaches a worker only when the batch lane gave it up or its deadline came near.
    const liveWarnings: string[] = task.lane === 'batch' ? [batchLaneOnlineWarning] : [];
    try {
      let result: GenerationResult;
      let request: ImageRequest;
      try {
        request = await imageRequestFromTask(task.request, this.blobs);
        result = await this.run(request, {
          model: task.request.model,
          signal,
          onAttempt: (attempt) => {
            liveAttempts.push(attempt);
            unwritten.push(attempt);
            if (attempt.outcome === 'success') return;
            const reported = unwritten.splice(0);
            attemptWrites = attemptWrites.then(() => this.recordAttempts(task.id, lease, reported));
          },
          onWarning: (warning) => liveWarnings.push(warning),
        });
      } catch (error) {
        await attemptWrites;
        if (causeOf() !== 'lease-lost') await writeUnwritten();
        await this.afterFailure(task, lease, error, causeOf(), { liveAttempts, liveWarnings });
        return;
      }
      await attemptWrites;
      if (causeOf() === 'lease-lost') return;
      if (causeOf() === 'cancel') {
        await writeUnwritten();
        await this.finish(
          task,
          lease,
          cancelledCompletion(task, result.attempts, [...liveWarnings, ...result.warnings]),
        );
        return;
      }
      try {
        await this.afterSuccess(task, lease, request, result, liveWarnings, unwritten);
      } catch (error) {
        // The model answered but the images could not be stored: a full or failing disk may recover, so the
        // task runs again later; an image that is not a well-formed PNG or JPEG will not.
        const message = error instanceof Error ? error.message : String(error);
        await writeUnwritten();
        await this.rescheduleOrFail(
          task,
          lease,
          { type: 'internal_error', code: 'blob_store', message: `Storing the images failed: ${message}` },
          error instanceof MalformedImageError ? undefined : 0,
          {
            attempts: [...task.attempts, ...result.attempts],
            warnings: unique([...liveWarnings, ...result.warnings]),
          },
        );
      }
    } finally {
      heartbeatStop.abort();
      await heartbeat;
    }
  }

  private async afterSuccess(
    task: TaskRecord,
    lease: Lease,
    request: ImageRequest,
    result: GenerationResult,
    liveWarnings: string[],
    unwrittenAttempts: Attempt[],
  ): Promise<void> {
    const promptSha256 = createHash('sha256').update(task.request.prompt).digest('hex');
    const images: TaskImage[] = [];
    for (const image of result.images) {
      const provenance = {
        logicalModel: result.requestedModel,
        servedModel: result.servedBy.modelId,
        platform: result.servedBy.platform,
        promptSha256,
        taskId: task.id,
      };
      const stored =
        image.mimeType === 'image/png' || image.mimeType === 'image/jpeg'
          ? await this.blobs.putImage(image.bytes, image.mimeType, provenance)
          : await this.blobs.put(image.bytes, image.mimeType);
      images.push({
        sha256: stored.sha256,
        mimeType: image.mimeType,
        width: image.width,
        height: image.height,
      });
    }
    // The successful attempt and the 90 % mark ride on the completing commit, still logged in that order.
    const next = await nextTurnContents(task.request, result.modelContents, this.blobs);
    // The run is over and only its commit is left: the slot goes to the next claim, which then shares
    // this completion's commit (sent in the same turn) instead of waiting for it.
    this.running.get(task.id)?.freeSlot();
    const leading = [
      ...unwrittenAttempts
        .splice(0)
        .map((attempt) => (nowMs: number) => this.store.recordAttempt(lease, attempt, nowMs)),
      (nowMs: number) => this.store.setProgress(lease, 90, nowMs),
    ];
    await this.finish(
      task,
      lease,
      {
        status: 'success',
        result: {
          images,
          ...(result.text !== undefined ? { text: result.text } : {}),
          nextTurnContents: next,
        },
        attempts: [...task.attempts, ...result.attempts],
        warnings: unique([...task.warnings, ...liveWarnings, ...result.warnings]),
        usage: result.usage,
        ...(result.costUsd !== undefined ? { actualCostUsd: result.costUsd } : {}),
        servedBy: result.servedBy,
      },
      leading,
    );
    // The route answers again: its parked tasks come forward now, at the pace the engine's limits allow.
    const parkedUntilMs = this.parkedRoutes.get(task.request.model);
    if (parkedUntilMs !== undefined) {
      this.parkedRoutes.delete(task.request.model);
      // The task is committed: a failure here must not be taken for one of storing its images.
      await this.store
        .unparkQueued(task.request.model, parkedUntilMs, this.clock.nowMs())
        .then(() => this.wake())
        .catch((error: unknown) => this.onError(error, task.id));
    }
  }

  private async afterFailure(
    task: TaskRecord,
    lease: Lease,
    error: unknown,
    cause: AbortCause | undefined,
    live: { liveAttempts: Attempt[]; liveWarnings: string[] },
  ): Promise<void> {
    const runAttempts = error instanceof ImageGenerationError ? error.attempts : live.liveAttempts;
    const warnings = unique([
      ...task.warnings,
      ...live.liveWarnings,
      ...(error instanceof ImageGenerationError ? error.warnings : []),
    ]);
    if (cause === 'lease-lost') return;
    if (cause === 'shutdown') {
      if (await this.store.release(lease, this.clock.nowMs())) this.notify(task.id);
      return;
    }
    if (cause === 'cancel') {
      await this.finish(task, lease, cancelledCompletion(task, runAttempts, warnings));
      return;
    }
    const decision = decideFailure(error);
    if (decision.action === 'park') {
      // No model was reachable: the run does not count and waits for the next trial. The route's other
      // queued tasks are parked further ahead in one write (renewed only when that time has passed), so
      // they are neither claimed and parked one by one nor rewritten at every trial.
      const nowMs = this.clock.nowMs();
      const model = task.request.model;
      if ((this.parkedRoutes.get(model) ?? 0) <= decision.untilMs) {
        const horizonMs = decision.untilMs + this.parkHorizonMs;
        await this.store.parkQueued(model, horizonMs, nowMs);
        this.parkedRoutes.set(model, horizonMs);
      }
      const reason = `${decision.error.type}: ${decision.error.message}`;
      if (await this.store.park(lease, decision.untilMs, reason, nowMs)) this.notify(task.id);
      return;
    }
    if (decision.action === 'retry' && task.claimCount < this.maxTaskRuns) {
      // Attempts the runner did not report as they happened would otherwise be lost with this run.
      for (const unreported of runAttempts.slice(live.liveAttempts.length)) {
        await this.store.recordAttempt(lease, unreported, this.clock.nowMs());
      }
    }
    await this.rescheduleOrFail(
      task,
      lease,
      decision.error,
      decision.action === 'retry' ? (decision.retryAfterMs ?? 0) : undefined,
      { attempts: [...task.attempts, ...runAttempts], warnings },
    );
  }

  /**
   * Reschedules with backoff while runs are left (`retryAfterMs` undefined means the failure is
   * permanent); otherwise commits the failure.
   */
  private async rescheduleOrFail(
    task: TaskRecord,
    lease: Lease,
    error: TaskError,
    retryAfterMs: number | undefined,
    lists: { attempts: Attempt[]; warnings: string[] },
  ): Promise<void> {
    if (retryAfterMs !== undefined && task.claimCount < this.maxTaskRuns) {
      const nowMs = this.clock.nowMs();
      const backoffMs = Math.min(this.maxRetryDelayMs, this.retryBaseDelayMs * 2 ** (task.claimCount - 1));
      const delayMs = Math.max(backoffMs, retryAfterMs);
      const reason = `${error.type}: ${error.message}`;
      if (await this.store.reschedule(lease, nowMs + delayMs, reason, nowMs)) this.notify(task.id);
      return;
    }
    await this.finish(task, lease, { status: 'failed', error, ...lists });
  }

  /**
   * Commits a final state after `leading` writes (sent with it in one commit where the store allows);
   * false means another worker owns the task now, so nothing follows. `known` is the task as claimed: the
   * finished record is derived from it by the store's own transition rather than read back, which is the
   * stored record but for a cancel asked for in another process after this worker's last heartbeat.
   */
  private async finish(
    known: TaskRecord,
    lease: Lease,
    completion: TaskCompletion,
    leading: Array<(nowMs: number) => Promise<boolean>> = [],
  ): Promise<boolean> {
    const nowMs = this.clock.nowMs();
    const answers = await this.inCallOrder([
      ...leading.map((write) => () => write(nowMs)),
      () => this.store.complete(lease, completion, nowMs),
    ]);
    if (!answers.at(-1)) return false;
    this.notify(lease.taskId);
    if (!this.onTaskFinished) return true;
    // Fields other writers change while the lease is held: only `cancelRequested`, seen as an abort.
    const cancelRequested = known.cancelRequested || this.running.get(known.id)?.cause() === 'cancel';
    this.onTaskFinished(finished({ ...known, cancelRequested }, nowMs, completion).record);
    return true;
  }

  /** Writes reported attempts in order (one commit where the store allows); errors go to `onError`. */
  private async recordAttempts(taskId: string, lease: Lease, attempts: Attempt[]): Promise<void> {
    if (attempts.length === 0) return;
    const nowMs = this.clock.nowMs();
    await this.inCallOrder(attempts.map((attempt) => () => this.store.recordAttempt(lease, attempt, nowMs)))
      .then(() => this.notify(taskId))
      .catch((error: unknown) => this.onError(error, taskId));
  }

  /**
   * Sends writes that must land in order: all at once to a store that applies them in call order (they
   * share one commit), otherwise each after the previous one has committed.
   */
  private async inCallOrder(writes: Array<() => Promise<boolean>>): Promise<boolean[]> {
    if (this.store.appliesWritesInCallOrder) return Promise.all(writes.map((write) => write()));
    const answers: boolean[] = [];
    for (const write of writes) answers.push(await write());
    return answers;
  }

  /** Renews the lease every third of it and watches for a cancel; aborts the run when either says stop. */
  private async heartbeatUntilStopped(
    taskId: string,
    lease: Lease,
    abort: (cause: AbortCause) => void,
    stopSignal: AbortSignal,
  ): Promise<void> {
    const intervalMs = Math.max(1, Math.floor(this.leaseMs / 3));
    while (!stopSignal.aborted) {
      const slept = await this.clock.sleep(intervalMs, stopSignal).then(
        () => true,
        () => false,
      );
      if (!slept || stopSignal.aborted) return;
      try {
        if (!(await this.store.heartbeat(lease, this.clock.nowMs(), this.leaseMs))) {
          abort('lease-lost');
          return;
        }
        if ((await this.store.get(taskId))?.cancelRequested) abort('cancel');
      } catch (error) {
        this.onError(error, taskId);
      }
      // A clock that advances on every sleep (tests) must not starve the event loop.
      await yieldToEventLoop();
    }
  }

  private notify(taskId: string): void {
    this.events?.notify(taskId);
  }
}

function cancelledCompletion(task: TaskRecord, runAttempts: Attempt[], warnings: string[]): TaskCompletion {
  const error: TaskError = { type: 'cancelled', code: 'cancelled', message: 'Cancelled by request.' };
  return {
    status: 'cancelled',
    error,
    attempts: [...task.attempts, ...runAttempts],
    warnings: unique(warnings),
  };
}

/**
 * The conversation to send with the next turn: the history, this turn (prompt and references, as a chat
 * session sends them) and the model's reply unchanged but for its image bytes, which move to the blob
 * store (a reference takes their place), so its thought signatures survive and the record stays small.
 */
export async function nextTurnContents(
  request: TaskRequest,
  modelContents: readonly unknown[],
  blobs: BlobStore,
): Promise<unknown[]> {
  const reply = modelContents[0];
  if (reply === undefined) return [];
  const thisTurn = userTurn(
    request.prompt,
    request.references.map((reference) => ({
      fileData: { mimeType: reference.mimeType, fileUri: storedMediaUri(reference.sha256) },
    })),
  );
  const modelTurn = { ...(reply as ConversationContent), role: 'model' as const };
  return [...request.history, thisTurn, ...(await storeInlineMedia([modelTurn], blobs))];
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name}: must be a positive integer (got ${value}).`);
  }
  return value;
}
