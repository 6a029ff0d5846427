import { describe, expect, it } from 'vitest';
import type { Attempt } from '../engine/index.js';
import { foldTaskEvents, unfoldTaskEvents } from './folded-task-events.js';
import type { TaskRecord } from './task-record.js';
import type { TaskEvent } from './task-store.js';
import { created } from './task-transitions.js';

const startMs = Date.UTC(2026, 4, 2, 8);
const taskId = 'task_img_01M8MCJAD5A22N26FMF3D8DBJ1';

function attempt(outcome: Attempt['outcome'], startedAtMs: number): Attempt {
  return {
    modelId: 'gemini-3.1-flash-image',
    platform: 'gemini-api',
    outcome,
    message: outcome,
    startedAtMs,
    latencyMs: 12.5,
    waitedBeforeMs: 0,
  };
}

function finishedRecord(attempts: Attempt[]): TaskRecord {
  const record = created({
    id: taskId,
    request: {
      model: 'image_fast',
      prompt: 'p',
      outputFormat: 'png',
      references: [],
      history: [],
      imageCount: 1,
    },
    metadata: {},
    createdAtMs: startMs,
  });
  return { ...record, status: 'success', attempts };
}

function event(sequence: number, type: TaskEvent['type'], data: Record<string, unknown> = {}): TaskEvent {
  return { taskId, sequence, type, atMs: startMs + sequence, data };
}

describe('folded task events', () => {
  const attempts = [attempt('unavailable', startMs), attempt('success', startMs + 5)];
  const events = [
    event(1, 'queued'),
    event(2, 'processing', { workerId: 'w', claimCount: 1 }),
    event(3, 'attempt', { attempt: attempts[0] }),
    event(4, 'attempt', { attempt: attempts[1] }),
    event(5, 'progress', { progress: 90 }),
    event(6, 'success', { images: ['abc'] }),
  ];

  it('unfolds to the events as logged, attempts pointing into the record and empty data left out', () => {
    const record = finishedRecord(attempts);
    const folded = foldTaskEvents(events, record)!;
    expect(JSON.parse(folded)).toEqual([
      ['queued', startMs + 1],
      ['processing', startMs + 2, { workerId: 'w', claimCount: 1 }],
      ['attempt', startMs + 3, 0],
      ['attempt', startMs + 4, 1],
      ['progress', startMs + 5, { progress: 90 }],
      ['success', startMs + 6, { images: ['abc'] }],
    ]);
    expect(unfoldTaskEvents(taskId, folded, () => record, 0)).toEqual(events);
    expect(unfoldTaskEvents(taskId, folded, () => record, 4)).toEqual(events.slice(4));
  });

  it('keeps an attempt in full when the record holds another one at its place', () => {
    const record = finishedRecord([attempts[0]!, attempt('success', startMs + 99)]);
    const folded = foldTaskEvents(events, record)!;
    expect(JSON.parse(folded)[3]).toEqual(['attempt', startMs + 4, { attempt: attempts[1] }]);
    expect(unfoldTaskEvents(taskId, folded, () => record, 0)).toEqual(events);
  });

  it('does not fold a log whose sequence numbers are not 1, 2, 3…', () => {
    expect(foldTaskEvents([event(1, 'queued'), event(3, 'processing')], finishedRecord([]))).toBeUndefined();
  });

  it('refuses a folded log that points at an attempt the record does not have, or is not a log', () => {
    const folded = JSON.stringify([['attempt', startMs, 2]]);
    expect(() => unfoldTaskEvents(taskId, folded, () => finishedRecord(attempts), 0)).toThrow(
      /attempt 2 is not in the task's attempts/,
    );
    expect(() =>
      unfoldTaskEvents(taskId, JSON.stringify([['exploded', 1]]), () => finishedRecord([]), 0),
    ).toThrow();
  });
});
