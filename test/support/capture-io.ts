import type { CliIo } from '../../src/cli/cli-io.js';
import { ManualClock } from '../../src/clock/index.js';
import type { Clock } from '../../src/clock/index.js';

/**
 * The day CLI tests run on unless they pass their own clock: after the 3.1 Flash preview's shutdown on the
 * Gemini API (2026-06-25), so results never depend on the day the suite runs.
 */
export const cliTestNowMs = Date.UTC(2026, 10, 21);

/** A CliIo that records everything a command prints, on a pinned clock by default. */
export function captureIo(options: { cwd: string; env?: NodeJS.ProcessEnv; clock?: Clock }): CliIo & {
  out: () => string;
  err: () => string;
} {
  let stdout = '';
  let stderr = '';
  return {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env: options.env ?? {},
    cwd: options.cwd,
    isInteractive: false,
    clock: options.clock ?? new ManualClock(cliTestNowMs),
    out: () => stdout,
    err: () => stderr,
  };
}
