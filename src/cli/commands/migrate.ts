import { Command } from 'commander';
import { z } from 'zod';
import { InvalidInputError } from '../../client/index.js';
import { postgresUrlSchema, resolveDeploymentSettings } from '../../config/index.js';
import {
  loadPostgresAdapter,
  openDataDirectory,
  postgresSchemaNameSchema,
  type PostgresAdapter,
} from '../../tasks/index.js';
import type { CliIo } from '../cli-io.js';
import { ExitCode } from '../exit-codes.js';
import { guardedAction } from '../guarded-action.js';
import { loadCliConfig } from '../load-cli-config.js';

export const migrateFlagsSchema = z.strictObject({
  from: z
    .string()
    .regex(/^sqlite:.+/, 'sqlite:<data directory>, e.g. sqlite:./.imagegate')
    .transform((value) => value.slice('sqlite:'.length))
    .optional(),
  to: postgresUrlSchema.optional(),
  schema: postgresSchemaNameSchema.optional(),
  config: z.string().min(1, 'a config file is required').optional(),
  json: z.boolean().optional(),
});
export type MigrateFlags = z.infer<typeof migrateFlagsSchema>;

/** Checks the flags; the error names the flag, its value and what is allowed. */
export function parseMigrateFlags(raw: Record<string, unknown>): MigrateFlags {
  const parsed = migrateFlagsSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const key = String(issue?.path[0] ?? '');
  const value = raw[key] === undefined ? '' : ` ${JSON.stringify(raw[key])}`;
  throw new InvalidInputError(`Invalid --${key}${value}: ${issue?.message ?? 'invalid'}.`, `--${key}`);
}

/**
 * `imagegate migrate [--to postgres://…] [--schema s] [--from sqlite:DIR]`: brings the PostgreSQL schema
 * up to date (the configured `server.store` unless `--to`), then, with `--from`, copies a single-instance
 * installation's tasks, events, idempotency keys, API keys, webhook deliveries and flows (versions, runs, node
 * cache) into it.
 */
export function migrateCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  return new Command('migrate')
    .description('Create or update the PostgreSQL tables; with --from, copy a SQLite installation into them')
    .option('--to <url>', 'PostgreSQL URL (default: server.store.url, or IMAGEGATE_POSTGRES_URL)')
    .option('--schema <name>', 'PostgreSQL schema for the tables (default: server.store.schema, or public)')
    .option('--from <sqlite:dir>', 'a data directory of a single-instance server, as sqlite:<dir>')
    .option('--config <file>', 'imagegate.config.yaml naming the store')
    .option('--json', 'print JSON')
    .action(
      guardedAction(io, setExitCode, async (raw: Record<string, unknown>) => {
        const flags = parseMigrateFlags(raw);
        const { url, schema } = await target(io, flags);
        const { migratePostgres, openPostgresPool } = await loadPostgresAdapter();
        const pool = openPostgresPool(url, { ...(schema ? { schema } : {}), max: 2 });
        try {
          const { applied } = await migratePostgres(pool, schema ? { schema } : {});
          const copied = flags.from ? await copyFrom(io, flags.from, pool) : undefined;
          if (flags.json) {
            io.stdout(`${JSON.stringify({ applied, ...(copied ? { copied } : {}) }, null, 2)}\n`);
          } else {
            io.stdout(
              applied.length > 0
                ? `Applied migrations: ${applied.join(', ')}.\n`
                : 'The schema is up to date.\n',
            );
            for (const [table, counts] of Object.entries(copied ?? {})) {
              io.stdout(`Copied ${table}: ${counts.inserted} new of ${counts.read} read.\n`);
            }
          }
          return ExitCode.ok;
        } finally {
          await pool.end();
        }
      }),
    );
}

async function target(io: CliIo, flags: MigrateFlags): Promise<{ url: string; schema?: string }> {
  if (flags.to) return { url: flags.to, ...(flags.schema ? { schema: flags.schema } : {}) };
  const { config } = await loadCliConfig(io, flags.config);
  const { store } = resolveDeploymentSettings(config.server, io.env);
  if (store.kind !== 'postgres') {
    throw new InvalidInputError(
      'Nothing to migrate: the store is sqlite. Pass --to postgres://… or set server.store (or IMAGEGATE_STORE=postgres).',
      '--to',
    );
  }
  const schema = flags.schema ?? store.schema;
  return { url: store.url, ...(schema ? { schema } : {}) };
}

async function copyFrom(
  io: CliIo,
  directory: string,
  pool: Parameters<PostgresAdapter['copySqliteToPostgres']>[1],
) {
  const { handle } = openDataDirectory(directory, { cwd: io.cwd, create: false });
  try {
    const { copySqliteToPostgres } = await loadPostgresAdapter();
    return await copySqliteToPostgres(handle, pool);
  } finally {
    handle.close();
  }
}
