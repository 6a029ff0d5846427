import type { TaskRecord } from './task-record.js';

/** A task's record as stored, and the row version (`xmin`) that holds it. */
export interface VersionedRecord {
  record: TaskRecord;
  version: string;
}

/** Tasks remembered at most; beyond, the oldest entry goes (it then costs one read, nothing else). */
export const defaultRowVersionCapacity = 1024;

/**
 * What this store last wrote (or read) for each task it leases, so a leased write can be computed without
 * reading the row first: the write applies only while the row is still that version, and a task changed
 * elsewhere since (a cancel request, another instance's claim) simply misses and is read again. A hint,
 * never the truth: a wrong or old entry costs a read, not a lost write.
 */
export class PostgresRowVersions {
  private readonly entries = new Map<string, VersionedRecord>();

  constructor(private readonly capacity = defaultRowVersionCapacity) {}

  get(taskId: string): VersionedRecord | undefined {
    return this.entries.get(taskId);
  }

  /** Remembers a processing task; a task that left `processing` has no further leased writes and is forgotten. */
  remember(entry: VersionedRecord): void {
    const taskId = entry.record.id;
    this.entries.delete(taskId);
    if (entry.record.status !== 'processing') return;
    this.entries.set(taskId, entry);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  forget(taskId: string): void {
    this.entries.delete(taskId);
  }

  get size(): number {
    return this.entries.size;
  }
}
