/** Tiny real videos made by ffmpeg itself, so the frame tests decode what a camera would write. */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import { ffmpegMissingMessage, isFfmpegAvailable, locateFfmpeg } from '../../../media/index.js';

const run = promisify(execFile);

export type TestVideoContainer = 'mp4' | 'webm' | 'mov';

const encoderArgs: Record<TestVideoContainer, string[]> = {
  mp4: ['-c:v', 'mpeg4', '-pix_fmt', 'yuv420p'],
  mov: ['-c:v', 'mpeg4', '-pix_fmt', 'yuv420p'],
  webm: ['-c:v', 'libvpx', '-pix_fmt', 'yuv420p', '-b:v', '200k'],
};

/**
 * Encodes `lavfiSource` (an ffmpeg lavfi graph, default a 1-second 64x64 test pattern at 10 fps)
 * into `directory` and returns the bytes.
 */
export async function makeTestVideo(
  directory: string,
  container: TestVideoContainer,
  lavfiSource = 'testsrc=duration=1:size=64x64:rate=10',
): Promise<Buffer> {
  const outputPath = join(directory, `test.${container}`);
  await run(await testFfmpeg(), [
    '-nostdin',
    '-loglevel',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    lavfiSource,
    ...encoderArgs[container],
    outputPath,
  ]);
  return readFile(outputPath);
}

/** The ffmpeg the code under test would use (PATH, else the npm package's). */
async function testFfmpeg(): Promise<string> {
  const location = await locateFfmpeg();
  if (!location) throw new Error(ffmpegMissingMessage());
  return location.executable;
}

/**
 * Whether ffmpeg tests can run. Missing ffmpeg skips them with a message locally, but fails under
 * CI=true, where a silently skipped video suite would hide a broken runner image.
 */
export async function ffmpegAvailableForTests(): Promise<boolean> {
  const available = await isFfmpegAvailable();
  if (!available) {
    const message = `${ffmpegMissingMessage()}: video tests are skipped`;
    if (process.env.CI === 'true') expect.fail(`${message}, which CI does not allow`);
    console.warn(message);
  }
  return available;
}

/** A short audio-only MP4 (AAC), which has no video stream to take frames from. */
export async function makeTestAudio(directory: string): Promise<Buffer> {
  const outputPath = join(directory, 'audio.m4a');
  await run(await testFfmpeg(), [
    '-nostdin',
    '-loglevel',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:duration=0.5',
    '-c:a',
    'aac',
    outputPath,
  ]);
  return readFile(outputPath);
}
