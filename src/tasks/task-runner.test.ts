import { describe, expect, it } from 'vitest';
import type { GenerationResult } from '../client/index.js';
import { imageRequestSchema } from '../request/image-request.js';
import { imagegateTaskRunner, type RunsImageRequests } from './task-runner.js';

describe('imagegateTaskRunner', () => {
  it('runs the request on the model with the route choosing the platform and the request choosing the format', async () => {
    const calls: unknown[][] = [];
    const result = { requestedModel: 'image_fast' } as GenerationResult;
    const imagegate: RunsImageRequests = {
      run: async (...args) => {
        calls.push(args);
        return result;
      },
    };
    const signal = new AbortController().signal;
    const onAttempt = () => {};
    const onWarning = () => {};
    const request = imageRequestSchema.parse({ prompt: 'p', outputMimeType: 'image/jpeg' });
    expect(
      await imagegateTaskRunner(imagegate)(request, 'image_fast', { signal, onAttempt, onWarning }),
    ).toBe(result);
    expect(calls).toEqual([
      ['image_fast', undefined, request, { outputFormat: 'jpeg', signal }, { onAttempt, onWarning }],
    ]);
    const pngRequest = imageRequestSchema.parse({ prompt: 'p' });
    await imagegateTaskRunner(imagegate)(pngRequest, 'image_fast', { signal, onAttempt, onWarning });
    expect((calls[1]?.[3] as { outputFormat: string }).outputFormat).toBe('png');
  });
});
