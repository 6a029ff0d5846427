import type { CliIo } from './cli-io.js';
import { loadCliConfig } from './load-cli-config.js';

/** The `--data-dir` help text every command that reads the server's data shares. */
export const dataDirectoryFlagHelp =
  "the server's data directory (default: server.dataDirectory in the config, ./.imagegate)";

/**
 * The data directory a command works on: `--data-dir` when given, else the config's
 * `server.dataDirectory`, the same lookup `imagegate serve` makes, so keys made here reach that server.
 */
export async function dataDirectoryFromFlags(
  io: CliIo,
  flags: { dataDir?: string | undefined; config?: string | undefined },
): Promise<string> {
  if (flags.dataDir !== undefined) return flags.dataDir;
  const loaded = await loadCliConfig(io, flags.config);
  return loaded.config.server.dataDirectory;
}
