// The codes and their help text, apart from the error checks in exit-codes.ts: those import the engine,
// and every run of the CLI (even `--version`) needs this table.

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
