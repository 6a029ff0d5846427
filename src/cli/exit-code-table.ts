// The codes and their help text, apart from the error checks in exit-codes.ts: every run of the CLI (even
// `--version`) prints or reads this table, so it imports nothing heavy. The codes are errors' (src/errors).

export { ExitCode } from '../errors/index.js';

export const exitCodesHelp = `
Exit codes:
  0  success
  2  bad input: nothing was sent (a flag, a file, an -o that cannot be written, the config, an unknown
     model name, no ffmpeg for a video on the built-in emulator)
  3  permanent failure: retired with no fallback, blocked by safety filters, auth, invalid request
  4  transient failures exhausted: rate limits or outages outlasted the retry budget; try again later`;
