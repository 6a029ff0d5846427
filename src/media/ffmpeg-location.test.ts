import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ffmpegMissingMessage,
  ffmpegPackage,
  ffmpegPathVariable,
  isFfmpegAvailable,
  locateFfmpeg,
} from './ffmpeg-location.js';

/** Stands for a machine where the optional npm package is not installed (importing it throws). */
const noPackage = () => Promise.reject(new Error(`Cannot find package '${ffmpegPackage}'`));

describe('locateFfmpeg', () => {
  let pathDirectory: string;
  let fakeFfmpeg: string;
  beforeAll(async () => {
    pathDirectory = await mkdtemp(join(tmpdir(), 'imagegate-ffmpeg-path-'));
    fakeFfmpeg = join(pathDirectory, 'ffmpeg');
    await writeFile(fakeFfmpeg, '#!/bin/sh\nexit 0\n');
    await chmod(fakeFfmpeg, 0o755);
  });

  it('uses IMAGEGATE_FFMPEG first', async () => {
    expect(
      await locateFfmpeg({ [ffmpegPathVariable]: '/opt/ffmpeg/bin/ffmpeg', PATH: pathDirectory }),
    ).toEqual({ executable: '/opt/ffmpeg/bin/ffmpeg', source: ffmpegPathVariable });
  });

  it('finds an executable ffmpeg on PATH before the npm package', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'imagegate-ffmpeg-empty-'));
    expect(await locateFfmpeg({ PATH: [empty, pathDirectory].join(delimiter) })).toEqual({
      executable: fakeFfmpeg,
      source: 'PATH',
    });
  });

  it('falls back to the binary the npm package ships when PATH has none', async () => {
    const found = await locateFfmpeg({ PATH: '' });
    expect(found?.source).toBe(ffmpegPackage);
    expect(found?.executable).toMatch(/@ffmpeg-installer[\\/][^\\/]+[\\/]ffmpeg(\.exe)?$/);
    expect(await isFfmpegAvailable({ PATH: '' })).toBe(true);
  });

  it('finds nothing with no PATH entry and no package, and says what to do', async () => {
    expect(await locateFfmpeg({ PATH: '' }, noPackage)).toBeUndefined();
    expect(await isFfmpegAvailable({ PATH: '' }, noPackage)).toBe(false);
    expect(ffmpegMissingMessage()).toMatch(/not on PATH.*@ffmpeg-installer\/ffmpeg.*IMAGEGATE_FFMPEG/);
  });

  it('ignores a package export that is not a path to an executable', async () => {
    expect(await locateFfmpeg({ PATH: '' }, async () => ({ default: { path: 42 } }))).toBeUndefined();
    expect(
      await locateFfmpeg({ PATH: '' }, async () => ({ default: { path: join(pathDirectory, 'nope') } })),
    ).toBeUndefined();
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
