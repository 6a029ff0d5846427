import { describe, expect, it } from 'vitest';
import type { TaskRecord } from '../../tasks/task-record.js';
import { aggregateCosts, renderCostReportText } from './cost-report.js';

const day = (date: string, hour = 12) => Date.parse(`${date}T${String(hour).padStart(2, '0')}:00:00Z`);

function task(overrides: Partial<TaskRecord> & { createdAtMs: number }): TaskRecord {
  return {
    id: `task_img_${overrides.createdAtMs}`,
    status: 'success',
    progress: 100,
    request: {
      model: 'image_fast',
      prompt: 'p',
      outputFormat: 'png',
      references: [],
      history: [],
      imageCount: 1,
    },
    metadata: {},
    updatedAtMs: overrides.createdAtMs,
    runAfterMs: overrides.createdAtMs,
    claimCount: 1,
    fencingToken: 1,
    cancelRequested: false,
    attempts: [],
    warnings: [],
    ...overrides,
  };
}

const image = { sha256: 'a', mimeType: 'image/png', width: 1, height: 1 };
const tasks: TaskRecord[] = [
  task({
    createdAtMs: day('2026-06-01', 9),
    apiKeyId: 'key_a',
    estimatedCostUsd: 0.067,
    actualCostUsd: 0.07,
    servedBy: { modelId: 'flash', platform: 'gemini-api' },
    result: { images: [image], nextTurnContents: [] },
  }),
  task({
    createdAtMs: day('2026-06-01', 23),
    apiKeyId: 'key_b',
    estimatedCostUsd: 0.134,
    actualCostUsd: 0.134,
    servedBy: { modelId: 'pro', platform: 'gemini-api' },
    request: {
      model: 'image_quality',
      prompt: 'p',
      outputFormat: 'png',
      references: [],
      history: [],
      imageCount: 2,
    },
    result: { images: [image, image], nextTurnContents: [] },
  }),
  task({
    createdAtMs: day('2026-06-02'),
    apiKeyId: 'key_a',
    estimatedCostUsd: 0.067,
    servedBy: { modelId: 'flash', platform: 'gemini-api' },
    result: { images: [image], nextTurnContents: [] },
  }),
  task({ createdAtMs: day('2026-06-02', 13), status: 'queued', estimatedCostUsd: 0.067, lane: 'batch' }),
  task({ createdAtMs: day('2026-05-31'), apiKeyId: 'key_a', estimatedCostUsd: 1, actualCostUsd: 1 }),
];

describe('aggregateCosts', () => {
  it('groups by UTC day inside the range, estimate beside actual', () => {
    const report = aggregateCosts(tasks, {
      by: 'day',
      fromMs: day('2026-06-01', 0),
      toMs: day('2026-06-03', 0),
    });
    expect(report.groups.map(({ key, tasks: count, images }) => ({ key, count, images }))).toEqual([
      { key: '2026-06-01', count: 2, images: 3 },
      { key: '2026-06-02', count: 2, images: 1 },
    ]);
    expect(report.groups[0]!.actualUsd).toBeCloseTo(0.204, 10);
    expect(report.groups[1]!.estimatedUsd).toBeCloseTo(0.134, 10);
    // The successful task with no actual cost is counted; the queued one is not finished yet.
    expect(report.groups[1]!.tasksWithoutActualCost).toBe(1);
    expect(report.total).toMatchObject({ tasks: 4, images: 4 });
    expect(report.total.actualUsd).toBeCloseTo(0.204, 10);
  });

  it('groups by key, served model and requested logical name', () => {
    const byKey = aggregateCosts(tasks, { by: 'key' });
    expect(byKey.groups.map((group) => [group.key, group.tasks])).toEqual([
      ['(no key)', 1],
      ['key_a', 3],
      ['key_b', 1],
    ]);
    expect(byKey.groups[1]!.actualUsd).toBeCloseTo(1.07, 10);
    const byModel = aggregateCosts(tasks, { by: 'model' });
    expect(byModel.groups.map((group) => [group.key, group.tasks])).toEqual([
      ['flash', 2],
      ['image_fast (not served)', 2],
      ['pro', 1],
    ]);
    const byLogical = aggregateCosts(tasks, { by: 'logical' });
    expect(byLogical.groups.map((group) => [group.key, group.tasks])).toEqual([
      ['image_fast', 4],
      ['image_quality', 1],
    ]);
    const byLane = aggregateCosts(tasks, { by: 'lane' });
    expect(byLane.groups.map((group) => [group.key, group.tasks, group.estimatedUsd])).toEqual([
      ['batch', 1, 0.067],
      ['online', 4, expect.any(Number)],
    ]);
  });

  it('renders a table with the difference and a note about unpriced tasks', () => {
    const text = renderCostReportText(aggregateCosts(tasks, { by: 'key' }));
    expect(text).toMatch(/key_b\s+1\s+2\s+0\.1340\s+0\.1340\s+0\.0000/);
    expect(text).toContain('1 finished tasks have no actual cost');
  });
});
