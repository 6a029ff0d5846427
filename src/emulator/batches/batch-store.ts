import { createHash } from 'node:crypto';
import type { Clock } from '../../clock/index.js';
import { parseDurationMs, type BatchEnd, type Scenario } from '../faults/index.js';
import type { GoogleErrorBody } from '../google-error.js';
import type { GenerateContentResponse } from '../response-shape.js';

/**
 * Batch jobs in memory. A job's state is read from the emulated clock, not scheduled: PENDING for the
 * first quarter of its duration, RUNNING until it has passed, then how it ends (SUCCEEDED unless told
 * otherwise); so moving the emulated clock finishes a batch. A job keeps the duration, end and download
 * failures in force when it was created (the scenario's `batches` section over the emulator's options).
 */

export type BatchState =
  | 'BATCH_STATE_PENDING'
  | 'BATCH_STATE_RUNNING'
  | 'BATCH_STATE_SUCCEEDED'
  | 'BATCH_STATE_FAILED'
  | 'BATCH_STATE_CANCELLED'
  | 'BATCH_STATE_EXPIRED';

/** The states a job does not leave. */
export const finalBatchStates: ReadonlySet<BatchState> = new Set([
  'BATCH_STATE_SUCCEEDED',
  'BATCH_STATE_FAILED',
  'BATCH_STATE_CANCELLED',
  'BATCH_STATE_EXPIRED',
]);

const endStates: Record<BatchEnd, BatchState> = {
  succeeded: 'BATCH_STATE_SUCCEEDED',
  expired: 'BATCH_STATE_EXPIRED',
  failed: 'BATCH_STATE_FAILED',
};

/** What a job was created with. */
export interface BatchSettings {
  durationMs: number;
  end: BatchEnd;
  resultDownloadFailures: number;
}

export interface BatchItem {
  /** The item's GenerateContentRequest as sent (camelCase keys), validated when the batch runs. */
  request: unknown;
  metadata?: unknown;
}

export type BatchItemResult =
  | { response: GenerateContentResponse; metadata?: unknown }
  | { error: GoogleErrorBody['error']; metadata?: unknown };

export interface StoredBatch {
  id: string;
  /** The model ID as the caller named it (no `models/` prefix). */
  modelId: string;
  displayName: string | undefined;
  createTimeMs: number;
  items: BatchItem[];
  /** Where the results go: inline in the operation, or a generated JSONL file (for a file input). */
  outputKind: 'inline' | 'file';
  resourceBaseUrl: string;
  /** The key that created it: the scenario's item rules may name one. */
  apiKey?: string;
  cancelledAtMs?: number;
  settings: BatchSettings;
  /** Set once the results are computed, when the batch is first read after it finished. */
  results?: BatchItemResult[];
}

export interface BatchStoreOptions {
  /** Emulated time from creation to SUCCEEDED (default 60 000 ms). */
  batchDurationMs?: number;
  /**
   * Jobs end EXPIRED, with no results, when `batchDurationMs` has passed, instead of SUCCEEDED: the job
   * real users see stuck in PENDING/RUNNING until the platform gives up on it (default false).
   */
  expireBatches?: boolean;
  /**
   * How many times each batch's results file download answers 503 before it succeeds: the failure users
   * see on large results although every item succeeded (default 0).
   */
  resultDownloadFailures?: number;
}

export class BatchStore {
  private readonly batches = new Map<string, StoredBatch>();
  private createdCount = 0;
  private readonly defaults: BatchSettings;
  private readonly failedDownloads = new Map<string, number>();

  /** `scenario` answers the live scenario's `batches` section, read at each creation. */
  constructor(
    private readonly clock: Clock,
    options: BatchStoreOptions = {},
    private readonly scenario: () => Partial<
      Pick<Scenario['batches'], 'duration' | 'end' | 'resultDownloadFailures'>
    > = () => ({}),
  ) {
    this.defaults = {
      durationMs: options.batchDurationMs ?? 60_000,
      end: options.expireBatches ? 'expired' : 'succeeded',
      resultDownloadFailures: options.resultDownloadFailures ?? 0,
    };
  }

  /** The settings a job created now takes. */
  currentSettings(): BatchSettings {
    const live = this.scenario();
    return {
      durationMs: live.duration !== undefined ? parseDurationMs(live.duration) : this.defaults.durationMs,
      end: live.end ?? this.defaults.end,
      resultDownloadFailures: live.resultDownloadFailures ?? this.defaults.resultDownloadFailures,
    };
  }

  add(input: Omit<StoredBatch, 'id' | 'createTimeMs' | 'settings'>): StoredBatch {
    this.createdCount += 1;
    const batch: StoredBatch = {
      ...input,
      id: batchId(this.createdCount),
      createTimeMs: this.clock.nowMs(),
      settings: this.currentSettings(),
    };
    this.batches.set(batch.id, batch);
    return batch;
  }

  get(id: string): StoredBatch | undefined {
    return this.batches.get(id);
  }

  /** Newest first. */
  list(): StoredBatch[] {
    return [...this.batches.values()].sort((a, b) => b.createTimeMs - a.createTimeMs);
  }

  delete(id: string): boolean {
    return this.batches.delete(id);
  }

  /** Whether this download of the batch's results file fails (counting it), per `resultDownloadFailures`. */
  failResultDownload(batchId: string): boolean {
    const failed = this.failedDownloads.get(batchId) ?? 0;
    const allowed = this.batches.get(batchId)?.settings.resultDownloadFailures ?? 0;
    if (failed >= allowed) return false;
    this.failedDownloads.set(batchId, failed + 1);
    return true;
  }

  endTimeMs(batch: StoredBatch): number {
    return batch.cancelledAtMs ?? batch.createTimeMs + batch.settings.durationMs;
  }

  stateOf(batch: StoredBatch): BatchState {
    if (batch.cancelledAtMs !== undefined) return 'BATCH_STATE_CANCELLED';
    const elapsedMs = this.clock.nowMs() - batch.createTimeMs;
    const { durationMs, end } = batch.settings;
    if (elapsedMs >= durationMs) return endStates[end];
    return elapsedMs < durationMs / 4 ? 'BATCH_STATE_PENDING' : 'BATCH_STATE_RUNNING';
  }
}

/** Real batch IDs are lowercase letters and digits; these are reproducible from the counter. */
export function batchId(sequence: number): string {
  const digest = createHash('sha256').update(`batch-${sequence}`).digest();
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(digest.subarray(0, 16), (byte) => alphabet[byte % alphabet.length]).join('');
}
