import { describe, expect, it } from 'vitest';
import type { TaskRecord } from '../tasks/index.js';
import { imageUrl, taskView } from './task-view.js';

const base: TaskRecord = {
  id: 'task_img_01JZX3Q4W8E2R5T7Y9U1I3O5P7',
  status: 'queued',
  progress: 0,
  request: {
    model: 'image_fast',
    prompt: 'x',
    outputFormat: 'png',
    references: [],
    history: [],
    imageCount: 1,
  },
  metadata: { job: '9' },
  createdAtMs: 1_700_000_000_999,
  updatedAtMs: 1_700_000_001_000,
  runAfterMs: 0,
  claimCount: 0,
  fencingToken: 0,
  cancelRequested: false,
  attempts: [],
  warnings: [],
};

describe('taskView', () => {
  it('shows a queued task with nulls for what has not happened', () => {
    expect(taskView(base)).toMatchObject({
      id: base.id,
      object: 'generation.task',
      model: 'image_fast',
      status: 'queued',
      created_at: 1_700_000_000,
      started_at: null,
      finished_at: null,
      result: null,
      usage: null,
      cost: { estimated_usd: null, actual_usd: null },
      served_by: null,
      error: null,
      metadata: { job: '9' },
    });
  });

  it('shows a finished task in snake_case with image URLs', () => {
    const view = taskView(
      {
        ...base,
        status: 'success',
        progress: 100,
        finishedAtMs: 1_700_000_005_000,
        estimatedCostUsd: 0.04,
        actualCostUsd: 0.039,
        usage: {
          promptTokens: 5,
          outputTextTokens: 3,
          outputImageTokens: 1290,
          thoughtsTokens: 0,
          totalTokens: 1298,
        },
        servedBy: { modelId: 'gemini-3-pro-image', platform: 'vertex-ai' },
        attempts: [
          {
            modelId: 'gemini-3-pro-image',
            platform: 'vertex-ai',
            outcome: 'success',
            startedAtMs: 1,
            latencyMs: 2,
            waitedBeforeMs: 0,
          },
        ],
        result: {
          images: [{ sha256: 'ab'.repeat(32), mimeType: 'image/png', width: 10, height: 20 }],
          nextTurnContents: [],
        },
      },
      { imagesPath: '/img' },
    );
    expect(view.result).toEqual({
      images: [
        {
          url: `/img/${'ab'.repeat(32)}`,
          mime_type: 'image/png',
          width: 10,
          height: 20,
          sha256: 'ab'.repeat(32),
        },
      ],
      text: null,
      next_turn_contents: [],
    });
    expect(view.usage).toEqual({
      prompt_tokens: 5,
      output_text_tokens: 3,
      output_image_tokens: 1290,
      thoughts_tokens: 0,
      total_tokens: 1298,
    });
    expect(view.cost).toEqual({ estimated_usd: 0.04, actual_usd: 0.039 });
    expect(view.served_by).toEqual({ model: 'gemini-3-pro-image', platform: 'vertex-ai' });
    expect(view.attempts[0]).toMatchObject({ model: 'gemini-3-pro-image', http_status: null, latency_ms: 2 });
    expect(view.finished_at).toBe(1_700_000_005);
  });

  it('defaults image URLs to /v1/images', () => {
    expect(imageUrl('abc')).toBe('/v1/images/abc');
  });
});
