import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../client/index.js';
import { ImageGenerationError } from '../engine/index.js';
import { MediaInputError } from '../media/index.js';
import { outcomeOf } from '../outcome/outcome.js';
import { NoUsableCandidateError, UnknownModelError } from '../registry/index.js';
import { decideFailure } from './task-failure.js';

describe('decideFailure', () => {
  it('retries a retryable engine failure, carrying the server delay', () => {
    const error = new ImageGenerationError(
      outcomeOf('rate_limited', 'slow down', { httpStatus: 429, retryAfterMs: 45_000 }),
      [],
      [],
    );
    expect(decideFailure(error)).toEqual({
      action: 'retry',
      error: { type: 'rate_limited', code: '429', message: 'slow down' },
      retryAfterMs: 45_000,
    });
  });

  it('parks a run stopped by open circuit breakers until their next trial', () => {
    const error = new ImageGenerationError(outcomeOf('unavailable', 'circuit open'), [], [], {
      circuitOpenUntilMs: 123_000,
    });
    expect(decideFailure(error)).toEqual({
      action: 'park',
      error: { type: 'unavailable', code: 'unavailable', message: 'circuit open' },
      untilMs: 123_000,
    });
  });

  it('fails a permanent engine failure with the outcome kind and status', () => {
    const error = new ImageGenerationError(outcomeOf('model_retired', 'gone', { httpStatus: 404 }), [], []);
    expect(decideFailure(error)).toEqual({
      action: 'fail',
      error: { type: 'model_retired', code: '404', message: 'gone' },
    });
  });

  it('uses the kind as the code when there was no HTTP status, and honours isRetryable over the outcome', () => {
    const error = new ImageGenerationError(outcomeOf('unavailable', 'budget used up'), [], [], {
      isRetryable: false,
    });
    expect(decideFailure(error)).toEqual({
      action: 'fail',
      error: { type: 'unavailable', code: 'unavailable', message: 'budget used up' },
    });
  });

  it.each([
    [new InvalidInputError('prompt: required', 'prompt'), 'invalid_request', 'invalid_input'],
    [new MediaInputError('not an image', 'a.txt'), 'invalid_request', 'invalid_media'],
    [new UnknownModelError('imgae_fast', ['image_fast'], ['image_fast']), 'model_not_found', 'unknown_model'],
    [new NoUsableCandidateError('image_fast', ['retired']), 'model_retired', 'no_usable_model'],
    [new TypeError('boom'), 'internal_error', 'internal_error'],
  ])('fails %s at once as %s/%s', (error, type, code) => {
    const decision = decideFailure(error);
    expect(decision.action).toBe('fail');
    expect(decision.error).toEqual({ type, code, message: error.message });
  });
});
