/** Where the ffmpeg executable is, and whether it runs. */
import { spawn } from 'node:child_process';

/** Environment variable naming the ffmpeg executable; default: `ffmpeg` looked up on PATH. */
export const ffmpegPathVariable = 'IMAGEGATE_FFMPEG';

export function ffmpegPath(environment: NodeJS.ProcessEnv = process.env): string {
  const configured = environment[ffmpegPathVariable]?.trim();
  return configured === undefined || configured === '' ? 'ffmpeg' : configured;
}

/** True when the configured ffmpeg (IMAGEGATE_FFMPEG, else PATH) starts and answers `-version`. */
export function isFfmpegAvailable(environment: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(ffmpegPath(environment), ['-hide_banner', '-version'], {
      stdio: 'ignore',
      windowsHide: true,
    });
    child.once('error', () => resolve(false));
    child.once('close', (exitCode) => resolve(exitCode === 0));
  });
}
