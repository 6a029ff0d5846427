import { describe, expect, it } from 'vitest';
import type { TaskRecord } from './task-record.js';
import { claimed, finished, parked, rescheduled } from './task-transitions.js';

const queued: TaskRecord = {
  id: 'task_img_01jx0000000000000000000001',
  status: 'queued',
  progress: 0,
  request: {
    model: 'image_fast',
    prompt: 'p',
    outputFormat: 'png',
    references: [],
    history: [],
    imageCount: 1,
  },
  metadata: {},
  createdAtMs: 1_000,
  updatedAtMs: 1_000,
  runAfterMs: 1_000,
  claimCount: 0,
  fencingToken: 0,
  cancelRequested: false,
  attempts: [],
  warnings: [],
};

describe('task transitions', () => {
  it('a claim leases the task with a new fencing token and counts the run', () => {
    const change = claimed(queued, 'worker-a', 2_000, 30_000, false);
    expect(change.record).toMatchObject({
      status: 'processing',
      claimCount: 1,
      fencingToken: 1,
      leaseOwner: 'worker-a',
      leaseExpiresAtMs: 32_000,
      startedAtMs: 2_000,
    });
    expect(change.lease).toEqual({ taskId: queued.id, workerId: 'worker-a', fencingToken: 1 });
    expect(change.event?.type).toBe('processing');
  });

  it('a reschedule counts the run; a park gives it back', () => {
    const running = claimed(queued, 'worker-a', 2_000, 30_000, false).record;
    const later = rescheduled(9_000, 'unavailable')(running).record;
    const waiting = parked(9_000, 'circuit open')(running).record;
    expect([later.claimCount, waiting.claimCount]).toEqual([1, 0]);
    for (const record of [later, waiting]) {
      expect(record).toMatchObject({ status: 'queued', runAfterMs: 9_000 });
      expect(record.leaseOwner).toBeUndefined();
    }
  });

  it('a success is final, complete and unleased', () => {
    const running = claimed(queued, 'worker-a', 2_000, 30_000, false).record;
    const change = finished(running, 3_000, {
      status: 'success',
      result: {
        images: [{ sha256: 'a'.repeat(64), mimeType: 'image/png', width: 8, height: 8 }],
        nextTurnContents: [],
      },
      attempts: [],
      warnings: [],
      servedBy: { modelId: 'gemini-3.1-flash-image', platform: 'gemini-api' },
    });
    expect(change.record).toMatchObject({ status: 'success', progress: 100, finishedAtMs: 3_000 });
    expect(change.record.leaseExpiresAtMs).toBeUndefined();
    expect(change.event).toMatchObject({ type: 'success', data: { images: ['a'.repeat(64)] } });
  });
});
