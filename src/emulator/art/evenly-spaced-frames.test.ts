import { describe, expect, it } from 'vitest';
import { evenlySpacedFrameIndices } from './evenly-spaced-frames.js';

describe('evenlySpacedFrameIndices', () => {
  it('takes the centre of each equal slice', () => {
    expect(evenlySpacedFrameIndices(10, 3)).toEqual([1, 5, 8]);
    expect(evenlySpacedFrameIndices(300, 3)).toEqual([50, 150, 250]);
    expect(evenlySpacedFrameIndices(10, 1)).toEqual([5]);
    expect(evenlySpacedFrameIndices(4, 4)).toEqual([0, 1, 2, 3]);
  });

  it('repeats frames when the video is shorter than the request', () => {
    expect(evenlySpacedFrameIndices(1, 3)).toEqual([0, 0, 0]);
    expect(evenlySpacedFrameIndices(2, 4)).toEqual([0, 0, 1, 1]);
  });

  it('names the bad argument', () => {
    expect(() => evenlySpacedFrameIndices(0, 3)).toThrow('totalFrames must be a positive integer (got 0)');
    expect(() => evenlySpacedFrameIndices(10, 1.5)).toThrow(
      'frameCount must be a positive integer (got 1.5)',
    );
  });
});
