import { describe, expect, it } from 'vitest';
import { canonicalSubmission, generationBodySchema } from './request-body.js';

function canonical(input: unknown) {
  return canonicalSubmission(generationBodySchema.parse(input));
}

describe('canonicalSubmission', () => {
  it('fills the defaults', () => {
    expect(canonical({ prompt: 'a cat' })).toEqual({
      submission: {
        model: 'image_fast',
        prompt: 'a cat',
        outputFormat: 'png',
        images: [],
        history: [],
        imageCount: 1,
        metadata: {},
      },
    });
  });

  it('maps size, resolution and reference_images to their canonical fields', () => {
    const result = canonical({ prompt: 'x', size: '9:16', resolution: '4K', reference_images: ['file_a'] });
    expect(result).toMatchObject({
      submission: { aspectRatio: '9:16', imageSize: '4K', images: ['file_a'] },
    });
  });

  it('treats aspect ratio "auto" as the model default', () => {
    const result = canonical({ prompt: 'x', size: 'auto' });
    expect(result).toHaveProperty('submission');
    expect(result).not.toHaveProperty('submission.aspectRatio');
  });

  it('accepts an alias equal to its canonical field, refuses one that differs', () => {
    expect(canonical({ prompt: 'x', image_size: '2K', resolution: '2K' })).toHaveProperty('submission');
    const result = canonical({ prompt: 'x', image_size: '2K', resolution: '1K' });
    expect('error' in result && result.error.param).toBe('resolution');
  });

  it('keeps sampling, metadata and webhook fields', () => {
    const result = canonical({
      prompt: 'x',
      temperature: 0.5,
      top_p: 0.9,
      seed: 7,
      n: 2,
      metadata: { job: '1' },
      webhook_url: 'https://example.com/hook',
    });
    expect(result).toMatchObject({
      submission: {
        temperature: 0.5,
        topP: 0.9,
        seed: 7,
        imageCount: 2,
        metadata: { job: '1' },
        webhookUrl: 'https://example.com/hook',
      },
    });
  });
});
