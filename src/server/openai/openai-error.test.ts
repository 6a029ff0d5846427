import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../client/index.js';
import { ImageGenerationError, type Attempt } from '../../engine/index.js';
import { MediaInputError } from '../../media/index.js';
import { outcomeOf } from '../../outcome/index.js';
import { NoUsableCandidateError, UnknownModelError } from '../../registry/index.js';
import { openAiErrorFor } from './openai-error.js';

const attempt: Attempt = {
  modelId: 'gemini-3.1-flash-image',
  platform: 'gemini-api',
  outcome: 'unavailable',
  startedAtMs: 0,
  latencyMs: 10,
  waitedBeforeMs: 0,
};
const failed = (kind: Parameters<typeof outcomeOf>[0], retryAfterMs?: number) =>
  new ImageGenerationError(
    outcomeOf(kind, `${kind} happened`, retryAfterMs ? { retryAfterMs } : {}),
    [attempt],
    [],
  );

describe('openAiErrorFor', () => {
  it('names the OpenAI field of bad input', () => {
    const answer = openAiErrorFor(new InvalidInputError('Invalid imageCount: too big', 'imageCount'), {
      imageCount: 'n',
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      error: {
        type: 'invalid_request_error',
        code: 'invalid_value',
        message: 'Invalid imageCount: too big',
        param: 'n',
      },
    });
    expect(answer.headers).toEqual({});
    expect(openAiErrorFor(new MediaInputError('not an image', 'image[0]')).param).toBe('image[0]');
  });

  it('answers unknown and retired models on the model field', () => {
    expect(openAiErrorFor(new UnknownModelError('imgae_fast', ['image_fast'], ['image_fast']))).toMatchObject(
      {
        status: 404,
        code: 'model_not_found',
        param: 'model',
      },
    );
    expect(openAiErrorFor(new NoUsableCandidateError('old', ['retired']))).toMatchObject({
      status: 410,
      code: 'model_retired',
    });
    expect(openAiErrorFor(failed('model_retired'))).toMatchObject({ status: 410, param: 'model' });
  });

  it.each([
    ['blocked_prompt', 400, 'moderation_blocked'],
    ['blocked_output', 400, 'moderation_blocked'],
    ['invalid_request', 400, 'invalid_request'],
    ['quota_exhausted', 429, 'quota_exhausted'],
    ['auth_failed', 502, 'upstream_auth_failed'],
    ['no_image', 502, 'no_image'],
    ['unknown_error', 502, 'unknown_error'],
  ] as const)('maps the %s outcome to %i %s', (kind, status, code) => {
    const answer = openAiErrorFor(failed(kind));
    expect(answer.status).toBe(status);
    expect(answer.code).toBe(code);
    expect(answer.message).toBe(`${kind} happened`);
  });

  it('passes the upstream delay on as Retry-After seconds, rounded up', () => {
    expect(openAiErrorFor(failed('rate_limited', 12_300))).toMatchObject({
      status: 429,
      type: 'rate_limit_exceeded',
      code: 'rate_limit_exceeded',
      headers: { 'Retry-After': '13' },
    });
    expect(openAiErrorFor(failed('unavailable')).headers).toEqual({});
  });

  it('does not leak the message of an unexpected error', () => {
    const answer = openAiErrorFor(new Error('SQLITE_CORRUPT at /var/lib/imagegate.db'));
    expect(answer.status).toBe(500);
    expect(answer.message).not.toContain('SQLITE');
  });
});
