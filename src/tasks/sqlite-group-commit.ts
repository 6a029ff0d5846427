import type Database from 'better-sqlite3';

/** How a batch's flush is scheduled. Default: `setImmediate`, after the current event-loop turn. */
export type FlushScheduler = (flush: () => void) => void;

export interface SqliteGroupCommitOptions {
  schedule?: FlushScheduler;
  /** Operations committed together at most; more wait for the next commit. Default 256. */
  maxOperationsPerCommit?: number;
}

interface PendingOperation {
  operation: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

const defaultMaxOperationsPerCommit = 256;

/**
 * Group commit for one better-sqlite3 connection: the write operations requested in one event-loop turn
 * (several workers' claims and completions, concurrent submits) run, in the order requested, in ONE
 * `BEGIN IMMEDIATE` transaction committed with one fsync at `synchronous=FULL`. Each operation runs in its
 * own savepoint (a nested `db.transaction`), so one that throws is rolled back alone and rejects only its
 * own promise. Every promise settles only after the COMMIT returned: a caller told "done" is on disk.
 * If the transaction as a whole fails (the write lock not obtained in time, the COMMIT refused, SQLite
 * rolling everything back after an I/O error), every operation of the batch rejects with that error.
 *
 * Operations are synchronous functions: nothing else runs on the connection between BEGIN and COMMIT, so
 * a read on the same connection never sees a write that is not committed yet.
 */
export class SqliteGroupCommit {
  private readonly schedule: FlushScheduler;
  private readonly maxOperationsPerCommit: number;
  private pending: PendingOperation[] = [];
  private scheduled = false;

  constructor(
    private readonly database: Database.Database,
    options: SqliteGroupCommitOptions = {},
  ) {
    this.schedule = options.schedule ?? ((flush) => void setImmediate(flush));
    this.maxOperationsPerCommit = options.maxOperationsPerCommit ?? defaultMaxOperationsPerCommit;
    if (!Number.isInteger(this.maxOperationsPerCommit) || this.maxOperationsPerCommit < 1) {
      throw new RangeError(
        `maxOperationsPerCommit: must be a positive integer (got ${this.maxOperationsPerCommit}).`,
      );
    }
  }

  /** Runs `operation` in the next group commit; resolves with its result once that commit is durable. */
  run<T>(operation: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ operation, resolve: resolve as (value: unknown) => void, reject });
      this.scheduleFlush();
    });
  }

  /** Commits whatever is waiting now, synchronously (before closing the connection). */
  flush(): void {
    while (this.pending.length > 0) this.commitBatch();
  }

  private scheduleFlush(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => {
      this.scheduled = false;
      this.commitBatch();
      // What did not fit in this commit goes in the next turn's, so one commit never holds the loop long.
      if (this.pending.length > 0) this.scheduleFlush();
    });
  }

  private commitBatch(): void {
    const batch = this.pending.splice(0, this.maxOperationsPerCommit);
    if (batch.length === 0) return;
    let outcomes: Outcome[];
    try {
      outcomes = this.database
        .transaction(() => batch.map((pending) => this.runInSavepoint(pending)))
        .immediate();
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    batch.forEach((pending, index) => {
      const outcome = outcomes[index]!;
      if (outcome.ok) pending.resolve(outcome.value);
      else pending.reject(outcome.error);
    });
  }

  private runInSavepoint(pending: PendingOperation): Outcome {
    try {
      return { ok: true, value: this.database.transaction(pending.operation)() };
    } catch (error) {
      // SQLite rolled the whole transaction back (I/O error, disk full): the earlier operations went
      // with it, so the batch fails as one.
      if (!this.database.inTransaction) throw error;
      return { ok: false, error };
    }
  }
}
