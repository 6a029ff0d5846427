import { describe, expect, it } from 'vitest';
import type { GenerationResult, RunRequestOptions } from '../client/index.js';
import { imageRequestSchema, type ImageRequest } from '../request/index.js';
import { imagegateTaskRunner, type RunsImageRequests } from './task-runner.js';

describe('imagegateTaskRunner', () => {
  it('runs the request as it is, on the task model, with the worker signal and hooks', async () => {
    const calls: [ImageRequest, RunRequestOptions][] = [];
    const result = { requestedModel: 'image_fast' } as GenerationResult;
    const imagegate: RunsImageRequests = {
      runRequest: async (request, options) => {
        calls.push([request, options]);
        return result;
      },
    };
    const options = {
      model: 'image_fast',
      signal: new AbortController().signal,
      onAttempt: () => {},
      onWarning: () => {},
    };
    const request = imageRequestSchema.parse({ prompt: 'p', outputFormat: 'jpeg' });
    expect(await imagegateTaskRunner(imagegate)(request, options)).toBe(result);
    expect(calls).toEqual([[request, options]]);
  });
});
