import { describe, expect, it } from 'vitest';
import type { TaskEvent } from '../tasks/index.js';
import { lostRuns } from './flow-runner.js';

function events(...types: Array<TaskEvent['type']>): TaskEvent[] {
  return types.map((type, index) => ({ taskId: 'task_1', sequence: index + 1, type, atMs: index, data: {} }));
}

describe('lostRuns', () => {
  it('counts a run that ended without a reschedule, release or final event', () => {
    expect(lostRuns(events('queued', 'processing', 'attempt', 'success'))).toBe(0);
    expect(lostRuns(events('queued', 'processing', 'processing', 'attempt', 'success'))).toBe(1);
    expect(lostRuns(events('queued', 'processing', 'progress', 'processing', 'processing', 'success'))).toBe(
      2,
    );
  });

  it('does not count runs ended by a reschedule or a release (a graceful shutdown)', () => {
    expect(lostRuns(events('queued', 'processing', 'rescheduled', 'processing', 'success'))).toBe(0);
    expect(lostRuns(events('queued', 'processing', 'queued', 'processing', 'failed'))).toBe(0);
  });
});
