import { describe, expect, it } from 'vitest';
import { workingSize } from './working-size.js';

describe('workingSize', () => {
  it('shrinks large sizes to a 512-pixel longer side, keeping the aspect ratio', () => {
    expect(workingSize({ width: 4096, height: 4096 })).toEqual({ width: 512, height: 512 });
    expect(workingSize({ width: 5504, height: 3072 })).toEqual({ width: 512, height: 286 });
    expect(workingSize({ width: 12288, height: 1536 })).toEqual({ width: 512, height: 64 });
    expect(workingSize({ width: 2048, height: 8192 })).toEqual({ width: 128, height: 512 });
  });

  it('never enlarges and never reaches zero', () => {
    expect(workingSize({ width: 300, height: 200 })).toEqual({ width: 300, height: 200 });
    expect(workingSize({ width: 100_000, height: 10 })).toEqual({ width: 512, height: 1 });
  });

  it('honours a custom maximum side', () => {
    expect(workingSize({ width: 1024, height: 768 }, 256)).toEqual({ width: 256, height: 192 });
  });
});
