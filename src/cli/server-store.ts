import { z } from 'zod';
import {
  deploymentEnvironmentVariables,
  loadConfig,
  postgresUrlSchema,
  resolveDeploymentSettings,
  describeStore,
} from '../config/index.js';
import { InvalidInputError } from '../client/index.js';
import { PostgresFlowStore, SqliteFlowStore, type FlowStore } from '../flows/index.js';
import { ApiKeyStore, PostgresApiKeyStore, type ApiKeyDirectory } from '../server/auth/index.js';
import {
  loadPostgresAdapter,
  MissingDataDirectoryError,
  openDataDirectory,
  SqliteTaskStore,
  type TaskStore,
} from '../tasks/index.js';
import type { CliIo } from './cli-io.js';

/** The `--database-url` flag: a PostgreSQL store instead of the data directory's SQLite file. */
export const databaseUrlFlag = postgresUrlSchema.max(2_048).optional();

export const databaseUrlFlagHelp =
  `the PostgreSQL store of several instances (default: server.store in the config, or ` +
  `${deploymentEnvironmentVariables.store}=postgres with ${deploymentEnvironmentVariables.postgresUrl})`;

export interface ServerStoreFlags {
  dataDir?: string | undefined;
  config?: string | undefined;
  databaseUrl?: string | undefined;
}

/** The keys, tasks and flows `imagegate serve` reads, opened for a command. */
export interface OpenedServerStore {
  /** What is used, as `serve` prints it (no passwords). */
  description: string;
  keys: ApiKeyDirectory;
  tasks: TaskStore;
  flows: FlowStore;
  close(): Promise<void>;
}

/**
 * Opens the store `imagegate serve` would use with the same config and environment: the data directory's
 * SQLite file by default, PostgreSQL when the config or `IMAGEGATE_STORE` says so. `--database-url` wins
 * over both, as `IMAGEGATE_POSTGRES_URL` with `IMAGEGATE_STORE=postgres` would. With `create: false` a
 * missing data directory is a bad flag, not an empty store.
 */
export async function openServerStore(
  io: CliIo,
  flags: ServerStoreFlags,
  options: { create: boolean },
): Promise<OpenedServerStore> {
  const loaded = await loadConfig({
    ...(flags.config ? { path: flags.config } : {}),
    cwd: io.cwd,
    env: io.env,
  });
  const names = deploymentEnvironmentVariables;
  const env = flags.databaseUrl
    ? { ...io.env, [names.store]: 'postgres', [names.postgresUrl]: flags.databaseUrl }
    : io.env;
  const settings = resolveDeploymentSettings(loaded.config.server, env);
  const description = `store: ${describeStore(settings.store)}`;
  if (settings.store.kind === 'postgres') {
    const { url, schema, poolSize, migrate } = settings.store;
    const { migratePostgres, openPostgresPool, PostgresTaskStore } = await loadPostgresAdapter();
    const pool = openPostgresPool(url, { ...(schema ? { schema } : {}), max: Math.min(poolSize, 2) });
    try {
      if (migrate) await migratePostgres(pool, schema ? { schema } : {});
    } catch (error) {
      await pool.end();
      throw error;
    }
    const tasks = new PostgresTaskStore(pool, { clock: io.clock, closePool: false });
    const flows = new PostgresFlowStore(pool, { clock: io.clock });
    return {
      description,
      keys: new PostgresApiKeyStore(pool, { clock: io.clock }),
      tasks,
      flows,
      close: async () => {
        await tasks.close();
        await flows.close();
        await pool.end();
      },
    };
  }
  const directory = flags.dataDir ?? loaded.config.server.dataDirectory;
  let handle;
  try {
    handle = openDataDirectory(directory, { cwd: io.cwd, create: options.create }).handle;
  } catch (error) {
    if (!(error instanceof MissingDataDirectoryError)) throw error;
    throw new InvalidInputError(`${error.message}: pass the server's --data-dir`, 'dataDir');
  }
  const database = handle;
  const tasks = new SqliteTaskStore(database, { closeDatabase: false });
  return {
    description,
    keys: new ApiKeyStore(database, { clock: io.clock }),
    tasks,
    flows: new SqliteFlowStore(database, { clock: io.clock }),
    close: async () => {
      await tasks.close();
      database.close();
    },
  };
}

export const serverStoreFlagsSchema = z.object({
  dataDir: z.string().min(1, 'a directory is required').optional(),
  config: z.string().min(1, 'a config file is required').optional(),
  databaseUrl: databaseUrlFlag,
});
