import { ConfigError } from '../config/index.js';
import { InvalidInputError } from '../client/index.js';
import { FfmpegNotFoundError } from '../media/index.js';
import { ImageGenerationError } from '../engine/index.js';
import { MediaInputError } from '../media/index.js';
import { UnknownModelError } from '../registry/index.js';

/** Exit codes of the generating commands (`generate`, `edit`, `thumbnail`, `models`). */
export const ExitCode = {
  ok: 0,
  /** The input was refused before any call: fix the command or the file. */
  badInput: 2,
  /** The platform gave a permanent answer (retired with no fallback, blocked, auth, invalid request). */
  permanentFailure: 3,
  /** Only transient failures (rate limits, outages) until the retry budget ran out: try again later. */
  transientExhausted: 4,
} as const;

export const exitCodesHelp = `
Exit codes:
  0  success
  2  bad input: nothing was sent (a flag, a file, an -o that cannot be written, the config, an unknown
     model name, no ffmpeg for a video on the built-in emulator)
  3  permanent failure: retired with no fallback, blocked by safety filters, auth, invalid request
  4  transient failures exhausted: rate limits or outages outlasted the retry budget; try again later`;

/** Whether an error means the user's input must change, and so exit code 2. */
export function isBadInput(error: unknown): boolean {
  return (
    error instanceof InvalidInputError ||
    error instanceof MediaInputError ||
    error instanceof ConfigError ||
    error instanceof UnknownModelError ||
    // A missing tool is fixed on this machine, not by waiting: not an outage (exit 4).
    error instanceof FfmpegNotFoundError ||
    isPortInUse(error) ||
    (error instanceof ImageGenerationError &&
      error.outcome.kind === 'invalid_request' &&
      error.attempts.length === 0)
  );
}

/** `listen` failed because another process holds the port: the user picks another `--port`. */
export function isPortInUse(error: unknown): error is NodeJS.ErrnoException & { port?: number } {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
}

export function exitCodeFor(error: unknown): number {
  if (isBadInput(error)) return ExitCode.badInput;
  if (error instanceof ImageGenerationError) {
    return error.isRetryable ? ExitCode.transientExhausted : ExitCode.permanentFailure;
  }
  return ExitCode.permanentFailure;
}
