import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffmpegPathVariable } from '../../media/index.js';
import { ffmpegAvailableForTests, makeTestAudio, makeTestVideo } from './test-support/test-video.js';
import { extractVideoFrames, VideoDecodeError } from './video-frames.js';
import { FfmpegNotFoundError } from '../../media/index.js';

const ffmpegAvailable = await ffmpegAvailableForTests();

/** Ten 32x32 frames whose grey level is 20 * frame number, so each frame says where it came from. */
const rampSource = "color=c=black:size=32x32:rate=10:duration=1,format=gray,geq=lum='20*N'";

async function meanGrey(png: Buffer): Promise<number> {
  const { channels } = await sharp(png).stats();
  return channels[0]?.mean ?? Number.NaN;
}

async function leftoverWorkDirectories(): Promise<string[]> {
  return (await readdir(tmpdir())).filter((name) => name.startsWith('imagegate-video-'));
}

describe('extractVideoFrames argument checks', () => {
  it('rejects a frame count outside 1..100, naming it', async () => {
    await expect(extractVideoFrames(new Uint8Array([1]), { frameCount: 0 })).rejects.toThrow(
      'frameCount must be an integer from 1 to 100 (got 0)',
    );
  });

  it('rejects empty bytes as an undecodable video', async () => {
    await expect(extractVideoFrames(new Uint8Array())).rejects.toThrow(VideoDecodeError);
  });

  it('reports a missing ffmpeg distinctly, with the variable to set', async () => {
    const attempt = extractVideoFrames(new Uint8Array([1, 2, 3]), {
      environment: { [ffmpegPathVariable]: '/nonexistent/imagegate-test/ffmpeg' },
    });
    await expect(attempt).rejects.toThrow(FfmpegNotFoundError);
    await expect(attempt).rejects.toThrow(ffmpegPathVariable);
  });

  it('says what was tried when neither PATH nor the npm package has ffmpeg', async () => {
    const attempt = extractVideoFrames(new Uint8Array([1, 2, 3]), {
      environment: { PATH: '' },
      loadFfmpegPackage: () => Promise.reject(new Error('not installed')),
    });
    await expect(attempt).rejects.toThrow(FfmpegNotFoundError);
    await expect(attempt).rejects.toThrow(/not on PATH and the optional npm package @ffmpeg-installer/);
  });
});

describe.skipIf(!ffmpegAvailable)('extractVideoFrames with ffmpeg', () => {
  let fixtureDirectory = '';
  let workDirectoriesBefore: string[] = [];

  beforeAll(async () => {
    fixtureDirectory = await mkdtemp(join(tmpdir(), 'imagegate-art-fixture-'));
    workDirectoriesBefore = await leftoverWorkDirectories();
  });

  afterAll(async () => {
    await rm(fixtureDirectory, { recursive: true, force: true });
  });

  it('returns three PNG frames from the centres of three equal slices, in order', async () => {
    const video = await makeTestVideo(fixtureDirectory, 'mp4', rampSource);
    const frames = await extractVideoFrames(video);
    expect(frames).toHaveLength(3);
    for (const frame of frames) {
      expect(await sharp(frame).metadata()).toMatchObject({ format: 'png', width: 32, height: 32 });
    }
    // Frames 1, 5 and 8 of 10 have grey levels 20, 100 and 160 (lossy coding moves them a little).
    const greys = await Promise.all(frames.map(meanGrey));
    expect(greys[0]).toBeGreaterThan(10);
    expect(greys[0]).toBeLessThan(30);
    expect(greys[1]).toBeGreaterThan(90);
    expect(greys[1]).toBeLessThan(110);
    expect(greys[2]).toBeGreaterThan(150);
    expect(greys[2]).toBeLessThan(170);
  });

  it('honours frameCount', async () => {
    const video = await makeTestVideo(fixtureDirectory, 'mp4', rampSource);
    const frames = await extractVideoFrames(video, { frameCount: 5 });
    const greys = await Promise.all(frames.map(meanGrey));
    expect(greys).toHaveLength(5);
    expect([...greys].sort((first, second) => first - second)).toEqual(greys);
  });

  it('decodes WebM and QuickTime as well as MP4', async () => {
    for (const container of ['webm', 'mov'] as const) {
      const video = await makeTestVideo(fixtureDirectory, container);
      const frames = await extractVideoFrames(video, { frameCount: 2 });
      expect(frames).toHaveLength(2);
      expect(await sharp(frames[0]).metadata()).toMatchObject({ format: 'png', width: 64, height: 64 });
      expect(frames[0]?.equals(frames[1] ?? Buffer.alloc(0))).toBe(false);
    }
  });

  it('repeats the only frame of a one-frame video', async () => {
    const video = await makeTestVideo(fixtureDirectory, 'mp4', 'testsrc=size=48x32:rate=1:duration=1');
    const frames = await extractVideoFrames(video, { frameCount: 3 });
    expect(frames).toHaveLength(3);
    expect(frames[1]?.equals(frames[0] ?? Buffer.alloc(0))).toBe(true);
    expect(frames[2]?.equals(frames[0] ?? Buffer.alloc(0))).toBe(true);
  });

  it("throws VideoDecodeError with ffmpeg's reason for bytes that are not a video", async () => {
    const attempt = extractVideoFrames(new TextEncoder().encode('definitely not a video'));
    await expect(attempt).rejects.toThrow(VideoDecodeError);
    await expect(attempt).rejects.toThrow(/ffmpeg could not decode the video.*Invalid data/);
    await expect(attempt).rejects.not.toThrow('imagegate-video-');
  });

  it('throws VideoDecodeError for a file with sound but no picture', async () => {
    const audio = await makeTestAudio(fixtureDirectory);
    await expect(extractVideoFrames(audio)).rejects.toThrow(VideoDecodeError);
  });

  it('removes its temporary files after success and failure alike', async () => {
    expect(await leftoverWorkDirectories()).toEqual(workDirectoriesBefore);
  });
});
