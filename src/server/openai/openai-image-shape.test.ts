import { describe, expect, it } from 'vitest';
import { imageShapeFor } from './openai-image-shape.js';

describe('imageShapeFor', () => {
  it.each([
    ['1024x1024', { aspectRatio: '1:1', imageSize: '1K' }],
    ['1536x1024', { aspectRatio: '3:2', imageSize: '1K' }],
    ['1024x1536', { aspectRatio: '2:3', imageSize: '1K' }],
    ['1792x1024', { aspectRatio: '16:9', imageSize: '1K' }],
    ['1024x1792', { aspectRatio: '9:16', imageSize: '1K' }],
    ['256x256', { aspectRatio: '1:1', imageSize: '1K' }],
    ['2048x2048', { aspectRatio: '1:1', imageSize: '2K' }],
    ['3840x2160', { aspectRatio: '16:9', imageSize: '2K' }],
    ['4096x2304', { aspectRatio: '16:9', imageSize: '4K' }],
    ['2560x1080', { aspectRatio: '21:9', imageSize: '2K' }],
  ])('maps %s to %j', (size, shape) => {
    expect(imageShapeFor(size, undefined)).toEqual(shape);
  });

  it('leaves the shape to the model for auto or no size', () => {
    expect(imageShapeFor('auto', undefined)).toEqual({});
    expect(imageShapeFor(undefined, 'auto')).toEqual({});
    expect(imageShapeFor(undefined, 'low')).toEqual({});
  });

  it('raises the size to at least 2K for high quality, never lowers it', () => {
    expect(imageShapeFor(undefined, 'high')).toEqual({ imageSize: '2K' });
    expect(imageShapeFor('1536x1024', 'hd')).toEqual({ aspectRatio: '3:2', imageSize: '2K' });
    expect(imageShapeFor('4096x4096', 'high')).toEqual({ aspectRatio: '1:1', imageSize: '4K' });
    expect(imageShapeFor('2048x2048', 'low')).toEqual({ aspectRatio: '1:1', imageSize: '2K' });
  });
});
