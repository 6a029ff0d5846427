import { describe, expect, it } from 'vitest';
import { ffmpegPath, ffmpegPathVariable, isFfmpegAvailable } from './ffmpeg-location.js';

describe('ffmpegPath', () => {
  it('uses IMAGEGATE_FFMPEG when set and PATH lookup otherwise', () => {
    expect(ffmpegPath({ [ffmpegPathVariable]: '/opt/ffmpeg/bin/ffmpeg' })).toBe('/opt/ffmpeg/bin/ffmpeg');
    expect(ffmpegPath({ [ffmpegPathVariable]: '  ' })).toBe('ffmpeg');
    expect(ffmpegPath({})).toBe('ffmpeg');
  });
});

describe('isFfmpegAvailable', () => {
  it('is false when the configured executable does not exist', async () => {
    expect(await isFfmpegAvailable({ [ffmpegPathVariable]: '/nonexistent/imagegate-test/ffmpeg' })).toBe(
      false,
    );
  });

  it('is false when the configured executable exits with an error', async () => {
    // `false` is a real program that ignores its arguments and exits 1.
    expect(await isFfmpegAvailable({ [ffmpegPathVariable]: 'false', PATH: process.env.PATH })).toBe(false);
  });
});
