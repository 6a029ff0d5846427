import { describe, expect, it } from 'vitest';
import { parseRenderRequest, RenderRequestError, type RenderRequest } from './render-request.js';

const valid: RenderRequest = {
  family: 'family-a',
  modelId: 'model-a',
  prompt: 'a lighthouse at dusk',
  seed: undefined,
  width: 1024,
  height: 1024,
  mimeType: 'image/png',
  referenceImages: [],
};

describe('parseRenderRequest', () => {
  it('accepts a well-formed request unchanged', () => {
    expect(parseRenderRequest(valid)).toEqual(valid);
    expect(parseRenderRequest({ ...valid, seed: -7, referenceImages: [new Uint8Array([1])] }).seed).toBe(-7);
  });

  it('names the field, the value and what is allowed', () => {
    expect(() => parseRenderRequest({ ...valid, width: 0 })).toThrow(
      'invalid render request: width must be at least 1 pixel (width was 0)',
    );
    expect(() => parseRenderRequest({ ...valid, height: 20_000 })).toThrow(
      'height must be at most 16384 pixels (height was 20000)',
    );
    expect(() => parseRenderRequest({ ...valid, width: 10.5 })).toThrow(
      'width must be a whole number of pixels',
    );
    expect(() => parseRenderRequest({ ...valid, seed: 1.5 })).toThrow(
      'seed must be an integer (seed was 1.5)',
    );
    expect(() => parseRenderRequest({ ...valid, mimeType: 'image/webp' as 'image/png' })).toThrow(
      'mimeType must be image/png or image/jpeg (mimeType was "image/webp")',
    );
  });

  it('rejects outputs with too many pixels in total', () => {
    expect(() => parseRenderRequest({ ...valid, width: 16_000, height: 16_000 })).toThrow(
      'width x height must be at most 40000000 pixels',
    );
  });

  it('reports every problem at once with its own error type', () => {
    let caught: unknown;
    try {
      parseRenderRequest({ ...valid, modelId: '', referenceImages: ['x' as unknown as Uint8Array] });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RenderRequestError);
    expect((caught as Error).message).toContain('modelId must not be empty (modelId was "")');
    expect((caught as Error).message).toContain(
      'each reference image must be a Uint8Array (referenceImages[0] was "x")',
    );
  });
});
