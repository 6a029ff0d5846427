import { describe, expect, it } from 'vitest';
import { outcomeOfItemError } from './item-outcome.js';

describe('outcomeOfItemError', () => {
  it('reads an HTTP-style code through the outcome table', () => {
    const outcome = outcomeOfItemError({ code: 400, message: 'imageSize 4K is not supported' }, 'm');
    expect(outcome.retryable).toBe(false);
    expect(outcome.kind).toBe('invalid_request');
  });

  it('reads a gRPC code as its HTTP status', () => {
    expect(outcomeOfItemError({ code: 14, message: 'unavailable' }, 'm')).toMatchObject({
      kind: 'unavailable',
      retryable: true,
    });
    expect(outcomeOfItemError({ code: 8, message: 'quota' }, 'm').retryable).toBe(true);
  });
});
