import type { Catalog } from '../catalog/index.js';
import { loadConfig } from '../config/index.js';
import type { CliIo } from './cli-io.js';

/**
 * The config a command runs with: `--config` when given, else the usual lookup from the command's working
 * directory, read with the command's environment and clock (lifecycle checks happen as of `io.clock`).
 */
export function loadCliConfig(io: CliIo, configPath: string | undefined, catalog?: Catalog) {
  return loadConfig({
    ...(configPath ? { path: configPath } : {}),
    cwd: io.cwd,
    env: io.env,
    clock: io.clock,
    ...(catalog ? { catalog } : {}),
  });
}
