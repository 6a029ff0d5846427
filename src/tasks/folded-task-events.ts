import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { taskEventDataSchema, taskRecordSchema } from './task-record-schema.js';
import type { TaskRecord } from './task-record.js';
import type { TaskEvent } from './task-store.js';

/*
 * A finished task's event log, folded into one JSON array on its row by the commit that makes it final,
 * instead of one row (and one index entry) per event: the log of a finished task never changes again.
 * Event n (sequence n, from 1) is element n - 1:
 *   [type, atMs]                 data {}
 *   [type, atMs, attemptIndex]   an `attempt` event whose attempt is the record's `attempts[attemptIndex]`
 *   [type, atMs, data]           any other data, as logged
 * Nothing is dropped: unfolding gives back the events as they were logged.
 */

type FoldedEvent =
  [TaskEvent['type'], number] | [TaskEvent['type'], number, number | Record<string, unknown>];

const eventTypeSchema = z.enum([
  'queued',
  'processing',
  'progress',
  'attempt',
  'rescheduled',
  'success',
  'failed',
  'cancelled',
]) satisfies z.ZodType<TaskEvent['type']>;

const foldedEventsSchema = z.array(
  z.union([
    z.tuple([eventTypeSchema, z.number()]),
    z.tuple([eventTypeSchema, z.number(), z.union([z.number().int().nonnegative(), taskEventDataSchema])]),
  ]),
);

/**
 * The folded form of `events` (all of the task's events, in order), or undefined when they are not
 * numbered 1, 2, 3… (then they stay rows). `record` is the task as finally written.
 */
export function foldTaskEvents(events: readonly TaskEvent[], record: TaskRecord): string | undefined {
  if (events.some((event, index) => event.sequence !== index + 1)) return undefined;
  // The record's attempts as they read back from the stored row, so equal means the pointer unfolds to the same data.
  const attempts = taskRecordSchema.shape.attempts.parse(JSON.parse(JSON.stringify(record.attempts)));
  let attemptEvents = 0;
  const folded = events.map((event): FoldedEvent => {
    if (event.type === 'attempt') {
      // The n-th attempt logged is the n-th of the record's list when nothing was lost in between.
      const index = attemptEvents++;
      if (isDeepStrictEqual(event.data.attempt, attempts[index])) return [event.type, event.atMs, index];
    }
    return Object.keys(event.data).length === 0
      ? [event.type, event.atMs]
      : [event.type, event.atMs, event.data];
  });
  return JSON.stringify(folded);
}

/** The events of a folded log with a sequence above `afterSequence`. */
export function unfoldTaskEvents(
  taskId: string,
  foldedJson: string,
  record: () => TaskRecord,
  afterSequence: number,
): TaskEvent[] {
  const folded = foldedEventsSchema.parse(JSON.parse(foldedJson));
  const events: TaskEvent[] = [];
  folded.forEach(([type, atMs, data], index) => {
    const sequence = index + 1;
    if (sequence <= afterSequence) return;
    events.push({ taskId, sequence, type, atMs, data: unfoldedData(data, record) });
  });
  return events;
}

function unfoldedData(
  data: number | Record<string, unknown> | undefined,
  record: () => TaskRecord,
): Record<string, unknown> {
  if (data === undefined) return {};
  if (typeof data !== 'number') return data;
  const attempt = record().attempts[data];
  if (!attempt) throw new RangeError(`folded task events: attempt ${data} is not in the task's attempts.`);
  return { attempt };
}
