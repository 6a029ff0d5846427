import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { BatchJob as RemoteBatchJob, GoogleGenAI, InlinedRequest, InlinedResponse } from '@google/genai';
import type Database from 'better-sqlite3';
import type { BlobStore } from '../blobs/index.js';
import { findModel, type Catalog } from '../catalog/index.js';
import { systemClock, type Clock } from '../clock/index.js';
import { costOfUsage, expectedImageFor, type Attempt } from '../engine/index.js';
import { classifyResponse, type Outcome } from '../outcome/index.js';
import type { Registry } from '../registry/index.js';
import {
  batchLaneOnlineWarning,
  imageRequestFromTask,
  nextTurnContents,
  type Lease,
  type TaskImage,
  type TaskRecord,
  type TaskStore,
} from '../tasks/index.js';
import { BatchJobStore, type BatchItemState, type BatchJob, type BatchJobItem } from './batch-job-store.js';
import {
  batchRequestFor,
  batchUnsupportedReason,
  inlineRequestBytes,
  jsonlLineFor,
} from './batch-request.js';
import { resultsFromFile } from './results-file.js';
import { outcomeOfItemError } from './item-outcome.js';

export interface BatchLaneOptions {
  /** The task database: the lane keeps its jobs there, beside the tasks. */
  database: Database.Database;
  store: TaskStore;
  blobs: BlobStore;
  registry: Registry;
  catalog: Catalog;
  /** An `@google/genai` client for the Gemini API (the Batch API is not used on Vertex AI here). */
  client: GoogleGenAI;
  /** Default: the system clock. Gathering windows, polling backoff and the online margin read it. */
  clock?: Clock;
  /** Most tasks in one job. Default 100. */
  maxTasksPerJob?: number;
  /** A job with fewer tasks is sent once its oldest task has waited this long. Default 60 000 ms. */
  gatherWindowMs?: number;
  /** Largest inline job input; kept under the Batch API's 20 MB inline limit. Default 19 MB. */
  maxInlineBytes?: number;
  /**
   * Largest job input: a job over `fileInputAboveBytes` (or `maxInlineBytes`) goes as a JSONL file, which
   * the Batch API takes up to 2 GB. Default 1 GiB.
   */
  maxJobInputBytes?: number;
  /** A job whose input is larger goes as a JSONL file through the Files API, not inline. Default 1 MB. */
  fileInputAboveBytes?: number;
  /** Tries of a results file download answered 503 or 504 (waits double from `pollBaseMs`). Default 4. */
  downloadAttempts?: number;
  /** Where results files are downloaded to, briefly. Default: the system's temporary folder. */
  downloadDirectory?: string;
  /** First wait between polls of a job, doubled per poll. Default 30 000 ms. */
  pollBaseMs?: number;
  /** Longest wait between polls. Default 600 000 ms. */
  pollMaxMs?: number;
  /** Wait between rounds of `start()`. Default 5 000 ms. */
  tickIntervalMs?: number;
  /**
   * Batch tries of one task: an item that fails transiently (the outcome table's retryable outcomes) goes
   * into a later job until it has been tried this often, then online. Default 3.
   */
  maxItemAttempts?: number;
  /**
   * Lease held while a result is written to a task (a write takes milliseconds); after a crash the task is
   * claimed back by the restarted lane once it has expired. Default 15 000 ms.
   */
  leaseMs?: number;
  workerId?: string;
  /** Told after every task write. Default: nothing. */
  notify?: (taskId: string) => void;
  /** Called once a task is final through this lane. Default: nothing. */
  onTaskFinished?: (task: TaskRecord) => void;
  /** Upstream or store errors the lane survived (it tries again next round). Default: stderr. */
  onError?: (error: unknown) => void;
}

const finalRemoteStates = new Set(['JOB_STATE_FAILED', 'JOB_STATE_CANCELLED', 'JOB_STATE_EXPIRED']);

/**
 * The batch lane: gathers queued batch-lane tasks into Gemini Batch API jobs, polls them, and finishes
 * their tasks from the results as the worker would (images in the blob store, usage, cost at the batch
 * price). Tasks the lane cannot finish go to the online lane. See docs/batch.md.
 */
export class BatchLane {
  readonly jobs: BatchJobStore;
  readonly workerId: string;
  private readonly clock: Clock;
  private readonly maxTasksPerJob: number;
  private readonly gatherWindowMs: number;
  private readonly maxInlineBytes: number;
  private readonly maxJobInputBytes: number;
  private readonly fileInputAboveBytes: number;
  private readonly downloadAttempts: number;
  private readonly pollBaseMs: number;
  private readonly pollMaxMs: number;
  private readonly tickIntervalMs: number;
  private readonly leaseMs: number;
  private readonly maxItemAttempts: number;
  private readonly onError: (error: unknown) => void;
  private loop: Promise<void> | undefined;
  private stopSignal: AbortController | undefined;

  constructor(private readonly options: BatchLaneOptions) {
    this.jobs = new BatchJobStore(options.database);
    this.clock = options.clock ?? systemClock;
    this.workerId = options.workerId ?? `batch-lane-${process.pid}-${randomBytes(4).toString('hex')}`;
    this.maxTasksPerJob = positiveInteger('maxTasksPerJob', options.maxTasksPerJob ?? 100);
    this.gatherWindowMs = nonNegative('gatherWindowMs', options.gatherWindowMs ?? 60_000);
    this.maxInlineBytes = positiveInteger('maxInlineBytes', options.maxInlineBytes ?? 19 * 1024 * 1024);
    this.maxJobInputBytes = positiveInteger('maxJobInputBytes', options.maxJobInputBytes ?? 1024 ** 3);
    // Inline only up to the inline limit, whatever the threshold says.
    this.fileInputAboveBytes = Math.min(
      this.maxInlineBytes,
      nonNegative('fileInputAboveBytes', options.fileInputAboveBytes ?? 1024 * 1024),
    );
    this.downloadAttempts = positiveInteger('downloadAttempts', options.downloadAttempts ?? 4);
    this.pollBaseMs = positiveInteger('pollBaseMs', options.pollBaseMs ?? 30_000);
    this.pollMaxMs = positiveInteger('pollMaxMs', options.pollMaxMs ?? 600_000);
    this.tickIntervalMs = positiveInteger('tickIntervalMs', options.tickIntervalMs ?? 5_000);
    this.leaseMs = positiveInteger('leaseMs', options.leaseMs ?? 15_000);
    this.maxItemAttempts = positiveInteger('maxItemAttempts', options.maxItemAttempts ?? 3);
    this.onError = options.onError ?? ((error) => console.error('batch lane:', error));
  }

  /** Runs `tick()` every `tickIntervalMs` until `stop()`. */
  start(): void {
    if (this.loop) return;
    const stop = new AbortController();
    this.stopSignal = stop;
    this.loop = (async () => {
      while (!stop.signal.aborted) {
        await this.tick().catch((error: unknown) => this.onError(error));
        await yieldToEventLoop();
        await this.clock.sleep(this.tickIntervalMs, stop.signal).catch(() => undefined);
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopSignal?.abort();
    await this.loop;
    this.loop = undefined;
  }

  /** One round: resumes or polls every due job, then gathers waiting tasks into new jobs. */
  async tick(): Promise<void> {
    for (const job of this.jobs.due(this.clock.nowMs())) {
      try {
        if (job.name === undefined) await this.resumeSubmission(job);
        else await this.poll(job);
      } catch (error) {
        this.onError(error);
        this.schedulePoll(job);
      }
    }
    await this.gather();
  }

  private async gather(): Promise<void> {
    const nowMs = this.clock.nowMs();
    const waiting = await this.options.store.queuedForBatch(nowMs, this.maxTasksPerJob * 10);
    // Only each line's size is kept while gathering; the lines are built again, one at a time, at submission.
    const byModel = new Map<string, Array<{ task: TaskRecord; bytes: number }>>();
    for (const task of waiting) {
      const prepared = await this.prepare(task).catch((error: unknown) => ({
        reason: `its request could not be prepared: ${error instanceof Error ? error.message : String(error)}`,
      }));
      if ('reason' in prepared) {
        await this.sendOnline(task.id, prepared.reason);
        continue;
      }
      const group = byModel.get(prepared.modelId) ?? [];
      group.push({ task, bytes: inlineRequestBytes(prepared.request) });
      byModel.set(prepared.modelId, group);
    }
    for (const [modelId, group] of byModel) {
      let chunk: typeof group = [];
      let chunkBytes = 0;
      const flush = async (force: boolean) => {
        const oldest = chunk[0];
        if (!oldest) return;
        if (force || nowMs - oldest.task.createdAtMs >= this.gatherWindowMs) {
          await this.submitNew(
            modelId,
            chunk.map((entry) => entry.task),
          );
        }
        chunk = [];
        chunkBytes = 0;
      };
      for (const entry of group) {
        if (chunk.length >= this.maxTasksPerJob || chunkBytes + entry.bytes > this.maxJobInputBytes) {
          await flush(true);
        }
        chunk.push(entry);
        chunkBytes += entry.bytes;
      }
      await flush(chunk.length >= this.maxTasksPerJob);
    }
  }

  /** The model a task's batch line goes to and the line itself, or why it must run online. */
  private async prepare(
    task: TaskRecord,
  ): Promise<{ modelId: string; request: InlinedRequest } | { reason: string }> {
    let primary;
    try {
      primary = this.options.registry.resolve(task.request.model).candidates[0];
    } catch (error) {
      return { reason: `no batch model: ${error instanceof Error ? error.message : String(error)}` };
    }
    if (primary?.platform !== 'gemini-api') {
      return { reason: 'its first model is not on the Gemini API, where the batch lane runs' };
    }
    const request = await imageRequestFromTask(task.request, this.options.blobs);
    const unsupported = batchUnsupportedReason(request);
    if (unsupported) return { reason: unsupported };
    return { modelId: primary.modelId, request: batchRequestFor(task.id, request) };
  }

  /** Stores the job and its items, marks the tasks as gathered, then creates the job upstream. */
  private async submitNew(modelId: string, tasks: TaskRecord[]): Promise<void> {
    const nowMs = this.clock.nowMs();
    const id = `batchjob_${createHash('sha256').update(`${nowMs}:${tasks[0]?.id}`).digest('hex').slice(0, 10)}${randomBytes(3).toString('hex')}`;
    this.jobs.insert({
      id,
      modelId,
      nowMs,
      items: tasks.map((task) => ({
        taskId: task.id,
        key: task.id,
        ...(task.apiKeyId !== undefined ? { apiKeyId: task.apiKeyId } : {}),
      })),
    });
    const job = this.jobs.get(id);
    if (!job) return;
    try {
      await this.resumeSubmission(job, { fresh: true });
    } catch (error) {
      // The job stays `submitting`: a later round looks for it upstream before creating it.
      this.onError(error);
      this.schedulePoll(job);
    }
  }

  /**
   * Finishes a submission that may have been cut short: gathers the items' tasks (again), looks the job up
   * upstream by its display name, and creates it only if it is not there.
   */
  private async resumeSubmission(job: BatchJob, options: { fresh?: boolean } = {}): Promise<void> {
    const { store } = this.options;
    const nowMs = this.clock.nowMs();
    const items = this.jobs.items(job.id);
    await store.assignBatchJob(
      items.map((item) => item.taskId),
      job.id,
      nowMs,
    );
    const gathered: BatchJobItem[] = [];
    const dropped: string[] = [];
    for (const item of items) {
      const task = await store.get(item.taskId);
      if (task?.status === 'queued' && task.batchJobId === job.id) gathered.push(item);
      else dropped.push(item.key);
    }
    this.jobs.removeItems(job.id, dropped);
    if (gathered.length === 0) {
      this.jobs.update(job.id, { state: 'EMPTY', finished: true }, nowMs);
      return;
    }
    // A job stored in this very round cannot exist upstream yet: only a resumed one is looked up.
    const existing = options.fresh ? undefined : await this.findUpstream(job.id);
    const created =
      existing ??
      (await this.options.client.batches.create({
        model: job.modelId,
        src: await this.inputOf(job, gathered),
        config: { displayName: job.id },
      }));
    if (!created.name) throw new Error(`The Batch API answered the creation of ${job.id} without a name.`);
    this.jobs.update(
      job.id,
      {
        name: created.name,
        state: created.state ?? 'JOB_STATE_PENDING',
        nextPollAtMs: nowMs + this.pollBaseMs,
      },
      this.clock.nowMs(),
    );
  }

  /**
   * Inline requests for a small job; otherwise a JSONL file uploaded through the Files API, named. Each
   * task's request is built once and written to a private temporary file before the next is read (the
   * SDK uploads the file from disk in chunks); inline requests are kept only while the total stays within
   * `fileInputAboveBytes`, so a large job is never held whole in memory.
   */
  private async inputOf(job: BatchJob, items: BatchJobItem[]): Promise<InlinedRequest[] | string> {
    const folder = await mkdtemp(join(this.options.downloadDirectory ?? tmpdir(), 'imagegate-batch-input-'));
    try {
      const path = join(folder, 'input.jsonl');
      const file = await open(path, 'w');
      let inline: InlinedRequest[] | undefined = [];
      let totalBytes = 0;
      try {
        for (const item of items) {
          const task = await this.options.store.get(item.taskId);
          if (!task) continue;
          const request = await imageRequestFromTask(task.request, this.options.blobs);
          const inlineRequest = batchRequestFor(item.key, request);
          totalBytes += inlineRequestBytes(inlineRequest);
          if (inline && totalBytes <= this.fileInputAboveBytes) inline.push(inlineRequest);
          else inline = undefined;
          await file.write(`${jsonlLineFor(item.key, request)}\n`);
        }
      } finally {
        await file.close();
      }
      if (inline) return inline;
      const uploaded = await this.options.client.files.upload({
        file: path,
        config: { mimeType: 'application/jsonl', displayName: `${job.id}-input` },
      });
      if (!uploaded.name) {
        throw new Error(`The Files API answered the upload of ${job.id}'s input without a name.`);
      }
      return uploaded.name;
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }

  /**
   * Downloads a results file to a private temporary folder (the SDK streams it to disk), retrying 503 and
   * 504 with doubling waits, then maps its lines one at a time.
   */
  private async mapResultsFile(job: BatchJob, fileName: string): Promise<void> {
    const folder = await mkdtemp(join(this.options.downloadDirectory ?? tmpdir(), 'imagegate-batch-'));
    try {
      const path = join(folder, 'results.jsonl');
      for (let attempt = 1; ; attempt += 1) {
        try {
          await this.options.client.files.download({ file: fileName, downloadPath: path });
          break;
        } catch (error) {
          const status = (error as { status?: unknown }).status;
          if ((status !== 503 && status !== 504) || attempt >= this.downloadAttempts) throw error;
          await this.clock.sleep(Math.min(this.pollMaxMs, this.pollBaseMs * 2 ** (attempt - 1)));
        }
      }
      await this.mapResults(job, resultsFromFile(path));
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }

  private async findUpstream(displayName: string): Promise<RemoteBatchJob | undefined> {
    for await (const remote of await this.options.client.batches.list({ config: { pageSize: 100 } })) {
      if (remote.displayName === displayName) return remote;
    }
    return undefined;
  }

  private async poll(job: BatchJob): Promise<void> {
    if (job.name === undefined) return;
    const remote = await this.options.client.batches.get({ name: job.name });
    const state = remote.state ?? 'JOB_STATE_UNSPECIFIED';
    const nowMs = this.clock.nowMs();
    if (state === 'JOB_STATE_SUCCEEDED') {
      this.jobs.update(job.id, { state }, nowMs);
      const resultsFile = remote.dest?.fileName;
      if (resultsFile) await this.mapResultsFile(job, resultsFile);
      else await this.mapResults(job, remote.dest?.inlinedResponses ?? []);
      // An item whose task is still leased to a crashed writer is mapped again at a later poll.
      if (this.jobs.items(job.id).some((item) => item.state === 'pending')) this.schedulePoll(job);
      else this.jobs.update(job.id, { finished: true }, this.clock.nowMs());
      return;
    }
    if (finalRemoteStates.has(state)) {
      this.jobs.update(job.id, { state }, nowMs);
      for (const item of this.jobs.items(job.id)) {
        if (item.state !== 'pending') continue;
        await this.sendOnline(item.taskId, `batch job ${job.name} ended ${state}`);
        this.jobs.setItemState(job.id, item.key, 'online');
      }
      this.jobs.update(job.id, { finished: true }, this.clock.nowMs());
      return;
    }
    this.jobs.update(job.id, { state }, nowMs);
    this.schedulePoll({ ...job, state });
  }

  private schedulePoll(job: BatchJob): void {
    const waitMs = Math.min(this.pollMaxMs, this.pollBaseMs * 2 ** job.polls);
    const nowMs = this.clock.nowMs();
    this.jobs.update(job.id, { nextPollAtMs: nowMs + waitMs, polls: job.polls + 1 }, nowMs);
  }

  /**
   * Results are matched by `metadata.key`, or by position when the platform dropped the key; read one at a
   * time. Items without a result move online.
   */
  private async mapResults(
    job: BatchJob,
    results: Iterable<InlinedResponse> | AsyncIterable<InlinedResponse>,
  ): Promise<void> {
    const items = this.jobs.items(job.id);
    const byKey = new Map(items.map((item) => [item.key, item]));
    const answered = new Set<string>();
    let index = 0;
    for await (const result of results) {
      const key = result.metadata?.key;
      const item = key !== undefined ? byKey.get(key) : items[index];
      index += 1;
      if (!item || item.state !== 'pending' || answered.has(item.key)) continue;
      answered.add(item.key);
      try {
        this.jobs.setItemState(job.id, item.key, await this.finishItem(job, item, result));
      } catch (error) {
        this.onError(error);
        await this.sendOnline(item.taskId, `its batch result could not be stored: ${String(error)}`);
        this.jobs.setItemState(job.id, item.key, 'online');
      }
    }
    for (const item of items) {
      if (item.state !== 'pending' || answered.has(item.key)) continue;
      await this.sendOnline(item.taskId, `batch job ${job.name ?? job.id} returned no result for it`);
      this.jobs.setItemState(job.id, item.key, 'online');
    }
  }

  /** Writes one result to its task; answers the item's new state. */
  private async finishItem(
    job: BatchJob,
    item: BatchJobItem,
    response: InlinedResponse,
  ): Promise<BatchItemState> {
    const { store, blobs } = this.options;
    const model = findModel(this.options.catalog, job.modelId);
    const claimed = await store.claimTask(item.taskId, this.workerId, this.clock.nowMs(), this.leaseMs);
    if (!claimed) {
      // Finished by this very job before a crash cut the item's own write short: the result is already in.
      const current = await store.get(item.taskId);
      if (
        current?.status === 'success' &&
        current.batchJobId === job.id &&
        !current.warnings.includes(batchLaneOnlineWarning)
      ) {
        return 'succeeded';
      }
      // Still held by a lane that died writing it: claimed back once its lease has expired (a later poll).
      if (current?.status === 'processing' && current.batchJobId === job.id) return 'pending';
      // Taken online at its deadline, cancelled or finished: the task is not this result's any more.
      return 'online';
    }
    const { task, lease } = claimed;
    const request = await imageRequestFromTask(task.request, blobs);
    const started = { startedAtMs: job.createdAtMs, latencyMs: this.clock.nowMs() - job.createdAtMs };
    let outcome: Outcome;
    if (response.error) {
      outcome = outcomeOfItemError(response.error, job.modelId);
    } else if (!response.response || !model) {
      outcome = outcomeOfItemError(
        {
          code: 500,
          message: model
            ? 'the item has neither a response nor an error'
            : `${job.modelId} is not in the catalog`,
        },
        job.modelId,
      );
    } else {
      const classification = await classifyResponse(response.response, expectedImageFor(model, request));
      outcome = classification.outcome;
      if (outcome.kind === 'success') {
        const usage = classification.usage;
        const attempt: Attempt = {
          modelId: job.modelId,
          platform: 'gemini-api',
          outcome: 'success',
          ...started,
          waitedBeforeMs: 0,
          ...(usage ? { usage } : {}),
        };
        const cost = usage ? costOfUsage(usage, model, { batch: true }) : undefined;
        const images = await this.storeImages(task, job.modelId, classification.images);
        await this.complete(lease, {
          status: 'success',
          result: {
            images,
            ...(classification.text !== undefined ? { text: classification.text } : {}),
            nextTurnContents: await nextTurnContents(
              task.request,
              classification.modelContent === undefined ? [] : [classification.modelContent],
              blobs,
            ),
          },
          attempts: [...task.attempts, attempt],
          warnings: task.warnings,
          ...(usage ? { usage } : {}),
          ...(cost && 'costUsd' in cost ? { actualCostUsd: cost.costUsd } : {}),
          servedBy: { modelId: job.modelId, platform: 'gemini-api' },
        });
        return 'succeeded';
      }
    }
    const attempt: Attempt = {
      modelId: job.modelId,
      platform: 'gemini-api',
      outcome: outcome.kind,
      ...(outcome.httpStatus !== undefined ? { httpStatus: outcome.httpStatus } : {}),
      message: outcome.message,
      ...started,
      waitedBeforeMs: 0,
    };
    await store.recordAttempt(lease, attempt, this.clock.nowMs());
    // A transient failure goes into a later job while tries are left and the task is not yet due online
    // (`runAfterMs` is its online margin; a claim leaves it as it was).
    const tries = task.attempts.length + 1;
    if (outcome.retryable && tries < this.maxItemAttempts && this.clock.nowMs() < task.runAfterMs) {
      const reason = `batch item failed (${outcome.kind}): ${outcome.message}; try ${tries + 1} of ${this.maxItemAttempts} in a later batch job`;
      if (await store.returnToBatch(lease, task.runAfterMs, reason, this.clock.nowMs())) {
        this.options.notify?.(lease.taskId);
      }
      return 'retried';
    }
    if (outcome.retryable || outcome.fallbackEligible) {
      await this.park(lease, `batch item failed (${outcome.kind}): ${outcome.message}; running online`);
      return 'online';
    }
    await this.complete(lease, {
      status: 'failed',
      error: {
        type: outcome.kind,
        code: outcome.httpStatus !== undefined ? String(outcome.httpStatus) : outcome.kind,
        message: outcome.message,
      },
      attempts: [...task.attempts, attempt],
      warnings: task.warnings,
    });
    return 'failed';
  }

  private async storeImages(
    task: TaskRecord,
    servedModel: string,
    images: Array<{ bytes: Buffer; mimeType: string; width: number; height: number }>,
  ): Promise<TaskImage[]> {
    const promptSha256 = createHash('sha256').update(task.request.prompt).digest('hex');
    const stored: TaskImage[] = [];
    for (const image of images) {
      const blob =
        image.mimeType === 'image/png' || image.mimeType === 'image/jpeg'
          ? await this.options.blobs.putImage(image.bytes, image.mimeType, {
              logicalModel: task.request.model,
              servedModel,
              platform: 'gemini-api',
              promptSha256,
              taskId: task.id,
            })
          : await this.options.blobs.put(image.bytes, image.mimeType);
      stored.push({
        sha256: blob.sha256,
        mimeType: image.mimeType,
        width: image.width,
        height: image.height,
      });
    }
    return stored;
  }

  private async complete(lease: Lease, completion: Parameters<TaskStore['complete']>[1]): Promise<void> {
    if (!(await this.options.store.complete(lease, completion, this.clock.nowMs()))) return;
    this.options.notify?.(lease.taskId);
    const finished = await this.options.store.get(lease.taskId);
    if (finished) this.options.onTaskFinished?.(finished);
  }

  /** Makes a still-queued task claimable by online workers now. */
  private async sendOnline(taskId: string, reason: string): Promise<void> {
    const claimed = await this.options.store.claimTask(
      taskId,
      this.workerId,
      this.clock.nowMs(),
      this.leaseMs,
    );
    if (claimed) await this.park(claimed.lease, `${reason}; moved to the online lane`);
  }

  private async park(lease: Lease, reason: string): Promise<void> {
    const nowMs = this.clock.nowMs();
    if (await this.options.store.park(lease, nowMs, reason, nowMs)) this.options.notify?.(lease.taskId);
  }
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name}: must be a positive integer (got ${value}).`);
  }
  return value;
}

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0)
    throw new RangeError(`${name}: must be 0 or more (got ${value}).`);
  return value;
}
