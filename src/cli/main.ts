#!/usr/bin/env node
import { IMAGEGATE_VERSION } from '../version.js';

const argv = process.argv.slice(2);
// A bare `--version` answers before the CLI is imported: commander and the exit-code table reach the
// error taxonomy, whose zod schemas alone cost more than node's own start (issue 12: ≤ 2x `node -e 0`).
// The text is commander's for `.version()`: the version and a newline.
if (argv.length > 0 && argv.every((argument) => argument === '--version' || argument === '-V')) {
  process.stdout.write(`${IMAGEGATE_VERSION}\n`);
} else {
  const [{ processIo }, { runCli }] = await Promise.all([import('./cli-io.js'), import('./run-cli.js')]);
  process.exitCode = await runCli(argv, processIo());
}
