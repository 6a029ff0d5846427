import type { BlobStore } from '../blobs/index.js';
import type { Clock } from '../clock/index.js';
import { defaultRetentionDays } from '../config/index.js';
import type { TaskStore } from './task-store.js';

const DAY_MS = 86_400_000;

/** How often a running server sweeps. Finished work ages by days, so once an hour is plenty. */
export const retentionSweepIntervalMs = 3_600_000;

export interface RetentionOptions {
  store: TaskStore;
  blobs: BlobStore;
  clock: Clock;
  /** Default `defaultRetentionDays` (the config's `server.retentionDays` default). */
  retentionDays?: number;
}

export interface RetentionSweep {
  tasks: number;
  blobs: number;
}

/**
 * Deletes what has outlived the retention age on the clock: final tasks finished before it (with their
 * events and idempotency keys), then blobs that no remaining task refers to and that were written before
 * it. Queued and processing tasks are never touched, however old.
 */
export async function sweepExpired(options: RetentionOptions): Promise<RetentionSweep> {
  const cutoffMs = options.clock.nowMs() - (options.retentionDays ?? defaultRetentionDays) * DAY_MS;
  const tasks = await options.store.pruneFinished(cutoffMs);
  const blobs = await options.blobs.pruneUnreferenced(await options.store.referencedBlobs(), cutoffMs);
  return { tasks, blobs };
}

/**
 * Sweeps at once, then every `retentionSweepIntervalMs` on the clock, until the signal aborts. Errors go to
 * `onError` and the next sweep tries again.
 */
export async function sweepUntilStopped(
  options: RetentionOptions & { signal: AbortSignal; onError: (error: unknown) => void },
): Promise<void> {
  while (!options.signal.aborted) {
    await sweepExpired(options).catch(options.onError);
    await options.clock.sleep(retentionSweepIntervalMs, options.signal).catch(() => undefined);
  }
}
