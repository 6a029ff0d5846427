/**
 * The one place that finds ffmpeg. The emulator needs it only to take frames from videos; a bare machine
 * (Node and `npm ci`, nothing else) gets it from the optional npm package that ships a static build.
 */
import { spawn } from 'node:child_process';
import { z } from 'zod';
import { findOnPath, isExecutableFile } from './find-on-path.js';
import { ImagegateError, type ImagegateErrorOptions } from '../errors/index.js';

/** Environment variable naming the ffmpeg executable; it wins over PATH and the npm package. */
export const ffmpegPathVariable = 'IMAGEGATE_FFMPEG';

/** The optional dependency whose platform package holds an ffmpeg binary (Linux, macOS, Windows). */
export const ffmpegPackage = '@ffmpeg-installer/ffmpeg';

export interface FfmpegLocation {
  /** What to spawn: a path, or the bare name from IMAGEGATE_FFMPEG. */
  executable: string;
  /** Where it came from, for messages. */
  source: typeof ffmpegPathVariable | 'PATH' | typeof ffmpegPackage;
}

/** Loads the npm package; tests replace it to stand for a machine where it is not installed. */
export type LoadFfmpegPackage = () => Promise<unknown>;

const loadInstalledPackage: LoadFfmpegPackage = () => import(ffmpegPackage);

/** What the package exports (CommonJS, so under `default` when imported): the binary's path. */
const ffmpegPackageSchema = z.object({ default: z.object({ path: z.string().min(1) }) });

/**
 * IMAGEGATE_FFMPEG when set, else `ffmpeg` on the environment's PATH, else the binary of the
 * `@ffmpeg-installer/ffmpeg` package; `undefined` when none exists.
 */
export async function locateFfmpeg(
  environment: NodeJS.ProcessEnv = process.env,
  loadPackage: LoadFfmpegPackage = loadInstalledPackage,
): Promise<FfmpegLocation | undefined> {
  const configured = environment[ffmpegPathVariable]?.trim();
  if (configured) return { executable: configured, source: ffmpegPathVariable };
  const onPath = await findOnPath('ffmpeg', environment);
  if (onPath) return { executable: onPath, source: 'PATH' };
  const packaged = await packagedFfmpeg(loadPackage);
  return packaged ? { executable: packaged, source: ffmpegPackage } : undefined;
}

/** ffmpeg could not be found or started (not installed, or IMAGEGATE_FFMPEG points nowhere). */
export class FfmpegNotFoundError extends ImagegateError {
  constructor(message: string, options: ImagegateErrorOptions = {}) {
    super('missing_tool', message, options);
  }
}

/** The sentence a user reads when `locateFfmpeg` found nothing: what was tried and what to do. */
export function ffmpegMissingMessage(): string {
  return (
    `ffmpeg was not found: it is not on PATH and the optional npm package ${ffmpegPackage} is not ` +
    `installed for this platform. Install ffmpeg, or set ${ffmpegPathVariable} to its path`
  );
}

/** True when ffmpeg is found and answers `-version`. */
export async function isFfmpegAvailable(
  environment: NodeJS.ProcessEnv = process.env,
  loadPackage: LoadFfmpegPackage = loadInstalledPackage,
): Promise<boolean> {
  const location = await locateFfmpeg(environment, loadPackage);
  if (!location) return false;
  return new Promise((resolve) => {
    const child = spawn(location.executable, ['-hide_banner', '-version'], {
      stdio: 'ignore',
      windowsHide: true,
    });
    child.once('error', () => resolve(false));
    child.once('close', (exitCode) => resolve(exitCode === 0));
  });
}

async function packagedFfmpeg(loadPackage: LoadFfmpegPackage): Promise<string | undefined> {
  let loaded: unknown;
  try {
    loaded = await loadPackage();
  } catch {
    // Not installed (optional, or no build for this platform): the package throws on import.
    return undefined;
  }
  const parsed = ffmpegPackageSchema.safeParse(loaded);
  if (!parsed.success) return undefined;
  return (await isExecutableFile(parsed.data.default.path)) ? parsed.data.default.path : undefined;
}
