/** A batch task's deadline when the caller names none: the Batch API's target turnaround. */
export const defaultBatchDeadlineMs = 24 * 60 * 60 * 1000;
/** Earliest deadline accepted: the batch lane needs some time before the online margin starts. */
export const minBatchDeadlineMs = 2 * 60 * 60 * 1000;
/** Latest deadline accepted: the Batch API expires jobs that run longer than 48 h. */
export const maxBatchDeadlineMs = 48 * 60 * 60 * 1000;
/** An unfinished batch task moves to the online lane this long before its deadline. */
export const onlineMarginMs = 60 * 60 * 1000;

export interface BatchDeadline {
  deadlineMs: number;
  /** When the task becomes claimable by online workers if no batch result has finished it. */
  onlineFromMs: number;
}

/**
 * The deadline of a new batch task (`requestedMs` absent: 24 h from now) and the instant it moves online,
 * or why the requested deadline is refused.
 */
export function batchDeadline(nowMs: number, requestedMs?: number): BatchDeadline | { error: string } {
  const deadlineMs = requestedMs ?? nowMs + defaultBatchDeadlineMs;
  const hours = (ms: number) => `${ms / 3_600_000} h`;
  if (deadlineMs < nowMs + minBatchDeadlineMs || deadlineMs > nowMs + maxBatchDeadlineMs) {
    return {
      error: `must be from ${hours(minBatchDeadlineMs)} to ${hours(maxBatchDeadlineMs)} after now (${new Date(nowMs).toISOString()})`,
    };
  }
  return { deadlineMs, onlineFromMs: deadlineMs - onlineMarginMs };
}
