import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Catalog } from '../catalog/index.js';
import type { Clock } from '../clock/index.js';
import { ConfigError } from './config-error.js';
import { builtInDefaultsSource, parseConfig, type LoadedConfig } from './parse-config.js';

/** The file looked for in the working directory when no path is given. */
export const defaultConfigFileName = 'imagegate.config.yaml';

/** The environment variable that names a config file. */
export const configPathEnvironmentVariable = 'IMAGEGATE_CONFIG';

export interface LoadConfigOptions {
  /** An explicit file (`--config`); must exist. Default: none. */
  path?: string;
  /** Where relative paths and `imagegate.config.yaml` are looked up. Default: `process.cwd()`. */
  cwd?: string;
  /** Read for IMAGEGATE_CONFIG. Default: `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** When lifecycle is judged. Default: the system clock. */
  clock?: Clock;
  /** Default: the built-in catalog. */
  catalog?: Catalog;
}

/**
 * Finds and loads the config: explicit path > env IMAGEGATE_CONFIG > ./imagegate.config.yaml > built-in
 * defaults. A file named explicitly or by the environment must exist; the working-directory file is
 * optional. Throws `ConfigError` naming file, line and field.
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const environmentPath = env[configPathEnvironmentVariable] || undefined;
  const named = options.path ?? environmentPath;
  const parseOptions = { clock: options.clock, catalog: options.catalog };
  if (named !== undefined) {
    const file = resolve(cwd, named);
    const origin =
      options.path !== undefined ? 'given with --config' : `named by ${configPathEnvironmentVariable}`;
    const text = await readText(file);
    if (text === undefined) {
      throw new ConfigError([{ severity: 'error', file, message: `config file not found (${origin})` }]);
    }
    return parseConfig(text, { fileName: file, ...parseOptions });
  }
  const file = resolve(cwd, defaultConfigFileName);
  const text = await readText(file);
  if (text !== undefined) return parseConfig(text, { fileName: file, ...parseOptions });
  // The defaults are checked like a file: their models may retire too.
  return parseConfig('', { fileName: builtInDefaultsSource, ...parseOptions });
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError([
      { severity: 'error', file, message: `cannot read the config file: ${(error as Error).message}` },
    ]);
  }
}
