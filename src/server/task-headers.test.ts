import { describe, expect, it } from 'vitest';
import { builtInCatalog } from '../catalog/index.js';
import type { TaskRecord } from '../tasks/index.js';
import { taskHeaders } from './task-headers.js';

const catalog = builtInCatalog();
const task = { id: 'task_img_01JZX3Q4W8E2R5T7Y9U1I3O5P7' } as TaskRecord;

describe('taskHeaders', () => {
  it('always gives the Location of the task', () => {
    expect(taskHeaders(task, catalog)).toEqual({ Location: `/v1/tasks/${task.id}` });
  });

  it('adds Sunset for the model that served the task, over the expected one', () => {
    const served = {
      ...task,
      servedBy: { modelId: 'gemini-3-pro-image-preview', platform: 'gemini-api' as const },
    };
    const headers = taskHeaders(served, catalog, { modelId: 'gemini-3-pro-image', platform: 'gemini-api' });
    expect(headers.Sunset).toBe('Thu, 25 Jun 2026 00:00:00 GMT');
  });

  it('uses the expected model before the task has run', () => {
    expect(
      taskHeaders(task, catalog, { modelId: 'nano-banana-pro-preview', platform: 'gemini-api' }).Sunset,
    ).toBe('Thu, 25 Jun 2026 00:00:00 GMT');
    expect(
      taskHeaders(task, catalog, { modelId: 'gemini-3-pro-image', platform: 'gemini-api' }).Sunset,
    ).toBeUndefined();
  });
});
