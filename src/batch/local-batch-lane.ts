import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GoogleGenAI } from '@google/genai';
import type Database from 'better-sqlite3';
import { BlobStore } from '../blobs/index.js';
import type { Catalog } from '../catalog/index.js';
import type { Clock } from '../clock/index.js';
import type { GenerationResult, Imagegate } from '../client/index.js';
import { ImageGenerationError } from '../engine/index.js';
import { outcomeKindSchema, outcomeOf, zeroUsage } from '../outcome/index.js';
import {
  finalStatuses,
  imagegateTaskRunner,
  newTaskId,
  openSqliteDatabase,
  SqliteTaskStore,
  TaskWorker,
  type TaskRecord,
  type TaskRequest,
} from '../tasks/index.js';
import { batchDeadline } from './batch-deadline.js';
import { BatchLane, type BatchLaneOptions } from './batch-lane.js';
import {
  generationParametersOf,
  generationParametersSchema,
  type GenerationParameters,
  type MediaInput,
} from '../request/index.js';

/** The lane settings a local run may change; the rest keep the server's defaults. */
export type LocalBatchLaneSettings = Pick<
  BatchLaneOptions,
  'maxTasksPerJob' | 'gatherWindowMs' | 'fileInputAboveBytes' | 'pollBaseMs' | 'pollMaxMs' | 'tickIntervalMs'
>;

export interface LocalBatchLaneOptions {
  /** Runs the tasks the lane moves online (at the online price); also resolves model names. */
  imagegate: Imagegate;
  /** An `@google/genai` client for the Gemini API, where batch jobs are created. */
  client: GoogleGenAI;
  catalog: Catalog;
  clock: Clock;
  /** Every task's deadline (Unix ms). Default: 24 h after it is submitted (`batchDeadline`). */
  deadlineMs?: number;
  settings?: LocalBatchLaneSettings;
  /** Where the run keeps its task database and images while it lasts. Default: a new temporary folder. */
  parentDirectory?: string;
  /** One line per change worth telling a waiting user (a job created, polled, finished, a task online). */
  onProgress?: (line: string) => void;
}

/** What a waiting `generate` needs from the request; references are image bytes, stored for the task. */
/** One image request for the local lane: the generation parameters (defaults as usual), model and prompt. */
export type LocalBatchRequest = Partial<GenerationParameters> & {
  model: string;
  prompt: string;
  references?: Array<Pick<MediaInput, 'bytes' | 'mimeType'>>;
};

interface Waiter {
  taskId: string;
  resolve: (task: TaskRecord) => void;
  reject: (error: unknown) => void;
}

/**
 * The batch lane without a server, for the CLI (`generate --batch`, `regress --batch`): tasks in a private
 * SQLite database, a `BatchLane` gathering them into jobs and an online worker for what the lane moves
 * online, driven by one loop on the injected clock while anyone waits. A run that is killed loses its
 * waiting tasks (the server keeps them; see docs/batch.md), so the folder is temporary.
 */
export class LocalBatchLane {
  private readonly waiters = new Map<string, Waiter>();
  private loop: Promise<void> | undefined;
  private readonly lastStates = new Map<string, string>();
  private readonly submitted: string[] = [];

  private constructor(
    private readonly options: LocalBatchLaneOptions,
    private readonly folder: string,
    private readonly database: Database.Database,
    private readonly store: SqliteTaskStore,
    readonly blobs: BlobStore,
    readonly lane: BatchLane,
    private readonly worker: TaskWorker,
  ) {}

  static async open(options: LocalBatchLaneOptions): Promise<LocalBatchLane> {
    const folder = await mkdtemp(join(options.parentDirectory ?? tmpdir(), 'imagegate-batch-run-'));
    const database = openSqliteDatabase(join(folder, 'tasks.db'));
    const store = new SqliteTaskStore(database, { clock: options.clock, closeDatabase: false });
    const blobs = new BlobStore({ directory: join(folder, 'blobs') });
    const lane = new BatchLane({
      database,
      store,
      blobs,
      registry: options.imagegate.registry,
      catalog: options.catalog,
      client: options.client,
      clock: options.clock,
      downloadDirectory: folder,
      ...options.settings,
      onError: (error) =>
        options.onProgress?.(`batch lane: ${error instanceof Error ? error.message : String(error)}`),
    });
    const worker = new TaskWorker({
      store,
      blobs,
      clock: options.clock,
      run: imagegateTaskRunner(options.imagegate),
      onError: (error) =>
        options.onProgress?.(`online lane: ${error instanceof Error ? error.message : String(error)}`),
    });
    return new LocalBatchLane(options, folder, database, store, blobs, lane, worker);
  }

  /** Submits one request to the batch lane and waits for its task to end; rejects as the engine would. */
  async generate(request: LocalBatchRequest): Promise<GenerationResult> {
    const task = await this.waitFor(await this.submit(request));
    return this.resultOf(task, request.model);
  }

  /** Stores the request as a batch-lane task; answers its id. */
  async submit(request: LocalBatchRequest): Promise<string> {
    const nowMs = this.options.clock.nowMs();
    const window = batchDeadline(nowMs, this.options.deadlineMs);
    if ('error' in window) throw new RangeError(`deadline: ${window.error}`);
    const references = [];
    for (const reference of request.references ?? []) {
      const stored = await this.blobs.put(reference.bytes, reference.mimeType);
      references.push({ sha256: stored.sha256, mimeType: reference.mimeType });
    }
    const taskRequest: TaskRequest = {
      model: request.model,
      prompt: request.prompt,
      ...generationParametersSchema.parse(generationParametersOf(request)),
      references,
      history: [],
    };
    const { task } = await this.store.create({
      id: newTaskId(nowMs),
      request: taskRequest,
      metadata: {},
      createdAtMs: nowMs,
      batch: window,
    });
    this.submitted.push(task.id);
    this.options.onProgress?.(
      `${task.id} waits for a batch job (online from ${new Date(window.onlineFromMs).toISOString()}, deadline ${new Date(window.deadlineMs).toISOString()})`,
    );
    return task.id;
  }

  /** Waits until the task is final, driving the lane and the online worker meanwhile. */
  waitFor(taskId: string): Promise<TaskRecord> {
    const waiting = new Promise<TaskRecord>((resolve, reject) => {
      this.waiters.set(taskId, { taskId, resolve, reject });
    });
    this.loop ??= this.drive().finally(() => {
      this.loop = undefined;
    });
    return waiting;
  }

  /** The run's task records (for totals), oldest first. */
  async tasks(): Promise<TaskRecord[]> {
    const tasks: TaskRecord[] = [];
    for (const id of this.submitted) {
      const task = await this.store.get(id);
      if (task) tasks.push(task);
    }
    return tasks;
  }

  async close(): Promise<void> {
    await this.loop?.catch(() => undefined);
    this.database.close();
    await rm(this.folder, { recursive: true, force: true });
  }

  private async drive(): Promise<void> {
    const tickIntervalMs = this.options.settings?.tickIntervalMs ?? 5_000;
    try {
      while (this.waiters.size > 0) {
        await this.lane.tick();
        while ((await this.worker.runOnce()) !== undefined) {
          // Tasks the lane moved online run one after the other, as soon as they are due.
        }
        this.reportJobs();
        for (const waiter of [...this.waiters.values()]) {
          const task = await this.store.get(waiter.taskId);
          if (!task || !finalStatuses.includes(task.status)) continue;
          this.waiters.delete(waiter.taskId);
          waiter.resolve(task);
        }
        if (this.waiters.size > 0) await this.options.clock.sleep(tickIntervalMs);
      }
    } catch (error) {
      for (const waiter of this.waiters.values()) waiter.reject(error);
      this.waiters.clear();
    }
  }

  private reportJobs(): void {
    for (const job of this.lane.jobs.list()) {
      const counts = `${job.counts.pending} pending, ${job.counts.succeeded} succeeded, ${job.counts.failed} failed, ${job.counts.online} online`;
      const line = `batch job ${job.name ?? job.id}: ${job.state} (${counts})`;
      if (this.lastStates.get(job.id) === line) continue;
      this.lastStates.set(job.id, line);
      this.options.onProgress?.(line);
    }
  }

  /** The task's images read back from the run's blobs, or the engine's error for a failed task. */
  private async resultOf(task: TaskRecord, requestedModel: string): Promise<GenerationResult> {
    if (task.status !== 'success' || !task.result || !task.servedBy) {
      const kind = outcomeKindSchema.safeParse(task.error?.type);
      throw new ImageGenerationError(
        outcomeOf(kind.success ? kind.data : 'unknown_error', task.error?.message ?? `task ${task.status}`),
        task.attempts,
        task.warnings,
      );
    }
    const images = [];
    for (const image of task.result.images) {
      const blob = await this.blobs.get(image.sha256);
      if (!blob) throw new Error(`image ${image.sha256} of ${task.id} is missing from the run's blobs`);
      images.push({ ...image, bytes: blob.bytes });
    }
    return {
      requestedModel,
      images,
      ...(task.result.text !== undefined ? { text: task.result.text } : {}),
      usage: task.usage ?? zeroUsage,
      ...(task.actualCostUsd !== undefined ? { costUsd: task.actualCostUsd } : {}),
      attempts: task.attempts,
      servedBy: task.servedBy,
      warnings: task.warnings,
      modelContents: [],
    };
  }
}
