/**
 * Still frames from a video with ffmpeg, for requests that send a video where an image is expected.
 * ffmpeg runs without a shell on a private temporary copy of the bytes, which is always removed.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evenlySpacedFrameIndices } from './evenly-spaced-frames.js';
import {
  FfmpegNotFoundError,
  ffmpegMissingMessage,
  ffmpegPathVariable,
  locateFfmpeg,
  type FfmpegLocation,
  type LoadFfmpegPackage,
} from '../../media/index.js';

/** The bytes are not a video ffmpeg can decode; the message carries what ffmpeg reported. */
export class VideoDecodeError extends Error {
  override readonly name = 'VideoDecodeError';
}

export interface ExtractVideoFramesOptions {
  /** How many frames to return, evenly spaced over the video. Default 3; allowed 1..100. */
  frameCount?: number;
  /** ffmpeg is killed after this long on each pass. Default 60 000 ms. */
  timeoutMs?: number;
  /** Environment to find ffmpeg in (IMAGEGATE_FFMPEG, PATH). Default `process.env`. */
  environment?: NodeJS.ProcessEnv;
  /** Loads the npm package that ships ffmpeg (default: the installed one); tests stand in for none. */
  loadFfmpegPackage?: LoadFfmpegPackage;
}

const defaultFrameCount = 3;
const maximumFrameCount = 100;
const defaultTimeoutMs = 60_000;
/** Keep only the tail of ffmpeg's stderr; the cause is at the end, and a hostile file can be chatty. */
const stderrKeptCharacters = 2_000;

/** `frameCount` PNG frames of the video, evenly spaced, in playback order. */
export async function extractVideoFrames(
  video: Uint8Array,
  options: ExtractVideoFramesOptions = {},
): Promise<Buffer[]> {
  const frameCount = options.frameCount ?? defaultFrameCount;
  if (!Number.isInteger(frameCount) || frameCount < 1 || frameCount > maximumFrameCount) {
    throw new RangeError(`frameCount must be an integer from 1 to ${maximumFrameCount} (got ${frameCount})`);
  }
  if (video.length === 0) throw new VideoDecodeError('the video is empty (0 bytes)');

  const location = await locateFfmpeg(options.environment, options.loadFfmpegPackage);
  if (!location) throw new FfmpegNotFoundError(ffmpegMissingMessage());
  const ffmpeg: FfmpegRunner = {
    executable: location.executable,
    source: location.source,
    timeoutMs: options.timeoutMs ?? defaultTimeoutMs,
  };
  const workDirectory = await mkdtemp(join(tmpdir(), 'imagegate-video-'));
  try {
    const inputPath = join(workDirectory, 'input');
    await writeFile(inputPath, video);
    const totalFrames = await countVideoFrames(ffmpeg, inputPath, workDirectory);
    const wantedIndices = evenlySpacedFrameIndices(totalFrames, frameCount);
    const distinctIndices = [...new Set(wantedIndices)];
    const framePaths = await writeSelectedFrames(ffmpeg, inputPath, workDirectory, distinctIndices);
    const frames = await Promise.all(framePaths.map((path) => readFile(path)));
    return wantedIndices.map((frameIndex) => {
      // The packet count can exceed what decodes (a damaged tail); fall back to the last good frame.
      const position = Math.min(distinctIndices.indexOf(frameIndex), frames.length - 1);
      return frames[position] as Buffer;
    });
  } finally {
    await rm(workDirectory, { recursive: true, force: true });
  }
}

interface FfmpegRunner {
  executable: string;
  source: FfmpegLocation['source'];
  timeoutMs: number;
}

async function countVideoFrames(
  ffmpeg: FfmpegRunner,
  inputPath: string,
  workDirectory: string,
): Promise<number> {
  // Stream copy counts packets without decoding, so long videos are counted in milliseconds.
  const result = await runFfmpeg(
    ffmpeg,
    ['-i', inputPath, '-map', '0:v:0', '-c', 'copy', '-f', 'null', '-progress', 'pipe:1', '-'],
    workDirectory,
  );
  const frameLines = [...result.stdout.matchAll(/^frame=(\d+)$/gm)];
  const totalFrames = Number(frameLines.at(-1)?.[1] ?? 0);
  if (totalFrames < 1) throw new VideoDecodeError('ffmpeg found a video stream but no frames in it');
  return totalFrames;
}

async function writeSelectedFrames(
  ffmpeg: FfmpegRunner,
  inputPath: string,
  workDirectory: string,
  frameIndices: readonly number[],
): Promise<string[]> {
  const selection = frameIndices.map((frameIndex) => `eq(n\\,${frameIndex})`).join('+');
  // Passthrough keeps only the selected frames (constant frame rate would pad the gaps with copies).
  // ffmpeg 5.1 named the option -fps_mode; the npm package's static build (4.x) knows only -vsync.
  const args = (syncOption: string) => [
    '-i',
    inputPath,
    '-map',
    '0:v:0',
    '-vf',
    `select='${selection}'`,
    syncOption,
    'passthrough',
    '-frames:v',
    String(frameIndices.length),
    '-f',
    'image2',
    join(workDirectory, 'frame-%04d.png'),
  ];
  await runFfmpeg(ffmpeg, args('-fps_mode'), workDirectory).catch((error: unknown) => {
    if (error instanceof VideoDecodeError && error.message.includes("Unrecognized option 'fps_mode'")) {
      return runFfmpeg(ffmpeg, args('-vsync'), workDirectory);
    }
    throw error;
  });
  const frameFiles = (await readdir(workDirectory)).filter((name) => /^frame-\d{4}\.png$/.test(name)).sort();
  if (frameFiles.length === 0) throw new VideoDecodeError('ffmpeg decoded no frames from the video');
  return frameFiles.map((name) => join(workDirectory, name));
}

interface FfmpegResult {
  stdout: string;
}

function runFfmpeg(
  ffmpeg: FfmpegRunner,
  args: readonly string[],
  workDirectory: string,
): Promise<FfmpegResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg.executable, ['-nostdin', '-hide_banner', '-loglevel', 'error', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: ffmpeg.timeoutMs,
      killSignal: 'SIGKILL',
      windowsHide: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-stderrKeptCharacters);
    });
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'ENOENT'
          ? new FfmpegNotFoundError(
              `ffmpeg from ${ffmpeg.source} could not be started at '${ffmpeg.executable}'; install ffmpeg or set ${ffmpegPathVariable} to its path`,
            )
          : error,
      );
    });
    child.once('close', (exitCode, signal) => {
      if (exitCode === 0) {
        resolve({ stdout });
        return;
      }
      // Name the video, not our temporary file, in what the caller sees.
      const report = stderr
        .replaceAll(join(workDirectory, 'input'), 'the video')
        .replaceAll(workDirectory, '.')
        .trim();
      reject(
        new VideoDecodeError(
          signal === null
            ? `ffmpeg could not decode the video (exit code ${exitCode}): ${report || 'no message'}`
            : `ffmpeg was stopped by ${signal} after at most ${ffmpeg.timeoutMs} ms: ${report || 'no message'}`,
        ),
      );
    });
  });
}
