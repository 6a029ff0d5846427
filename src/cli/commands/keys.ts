import { Command } from 'commander';
import { z } from 'zod';
import { AmbiguousApiKeyError, type ApiKeyDirectory, type ApiKeyRecord } from '../../server/auth/index.js';
import type { CliIo } from '../cli-io.js';
import { dataDirectoryFlagHelp } from '../data-directory-flag.js';
import {
  databaseUrlFlagHelp,
  openServerStore,
  serverStoreFlagsSchema,
  type ServerStoreFlags,
} from '../server-store.js';
import { ExitCode } from '../exit-codes.js';
import { guardedAction } from '../guarded-action.js';
import { parseFlags } from '../parse-flags.js';

const createFlagsSchema = serverStoreFlagsSchema.extend({
  name: z.string({ error: 'a name is required (--name)' }).trim().min(1, 'a name is required (--name)'),
  rateLimit: z.coerce
    .number({ error: 'expected a number of requests per minute' })
    .int('expected a whole number of requests per minute')
    .positive('expected more than 0 requests per minute')
    .optional(),
  monthlyBudget: z.coerce
    .number({ error: 'expected an amount in US dollars' })
    .positive('expected an amount in US dollars above 0')
    .finite()
    .optional(),
  admin: z.boolean().optional(),
  json: z.boolean().optional(),
});
const listFlagsSchema = serverStoreFlagsSchema.extend({ json: z.boolean().optional() });
const revokeFlagsSchema = listFlagsSchema;

/** `imagegate keys create|list|revoke`: API keys of the server, in the server's database. */
export function keysCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  const keys = new Command('keys').description('Create, list and revoke API keys for "imagegate serve"');
  const dataDirOption = ['--data-dir <dir>', dataDirectoryFlagHelp] as const;
  const configOption = ['--config <file>', 'imagegate.config.yaml naming the data directory'] as const;
  const databaseUrlOption = ['--database-url <url>', databaseUrlFlagHelp] as const;

  keys
    .command('create')
    .description('Create a key; its secret is printed once and cannot be shown again')
    .requiredOption('--name <name>', 'what the key is for (shown in lists and errors)')
    .option('--rate-limit <per-minute>', 'requests per minute (default: the server default)')
    .option('--monthly-budget <usd>', 'spending cap per calendar month in US dollars (default: none)')
    .option('--admin', "an admin key: sees and acts on every key's tasks, files, images and dead letters")
    .option('--json', 'print JSON')
    .option(...dataDirOption)
    .option(...configOption)
    .option(...databaseUrlOption)
    .action(
      guardedAction(io, setExitCode, async (raw: Record<string, unknown>) => {
        const flags = parseFlags(createFlagsSchema, raw);
        return withStore(io, flags, async (store) => {
          const { record, secret } = await store.create({
            name: flags.name,
            ...(flags.rateLimit !== undefined ? { rateLimitPerMinute: flags.rateLimit } : {}),
            ...(flags.monthlyBudget !== undefined ? { monthlyBudgetUsd: flags.monthlyBudget } : {}),
            ...(flags.admin ? { admin: true } : {}),
          });
          if (flags.json) {
            io.stdout(`${JSON.stringify({ ...keyView(record), secret }, null, 2)}\n`);
          } else {
            io.stdout(
              `Created API key "${record.name}" (${record.id}${limitsText(record)}).\n\n  ${secret}\n\n` +
                'Store this secret now: only its hash is kept, so it cannot be shown again.\n' +
                'Send it as "Authorization: Bearer <secret>".\n',
            );
          }
          return ExitCode.ok;
        });
      }),
    );

  keys
    .command('list')
    .description('List keys (never their secrets), revoked ones included')
    .option('--json', 'print JSON')
    .option(...dataDirOption)
    .option(...configOption)
    .option(...databaseUrlOption)
    .action(
      guardedAction(io, setExitCode, async (raw: Record<string, unknown>) => {
        const flags = parseFlags(listFlagsSchema, raw);
        return withStore(io, flags, async (store) => {
          const records = await store.list();
          if (flags.json) io.stdout(`${JSON.stringify(records.map(keyView), null, 2)}\n`);
          else io.stdout(renderList(records));
          return ExitCode.ok;
        });
      }),
    );

  keys
    .command('revoke')
    .description(
      'Revoke a key by its id (key_…) or its prefix (igk_…); requests with it get 401 from then on',
    )
    .argument('<id-or-prefix>', 'the key id or the prefix shown by "keys list"')
    .option('--json', 'print JSON')
    .option(...dataDirOption)
    .option(...configOption)
    .option(...databaseUrlOption)
    .action(
      guardedAction(io, setExitCode, async (idOrPrefix: string, raw: Record<string, unknown>) => {
        const flags = parseFlags(revokeFlagsSchema, raw);
        return withStore(io, flags, async (store) => {
          let record: ApiKeyRecord | undefined;
          try {
            record = await store.revoke(idOrPrefix);
          } catch (error) {
            if (!(error instanceof AmbiguousApiKeyError)) throw error;
            io.stderr(`${error.message}\n`);
            return ExitCode.badInput;
          }
          if (!record) {
            io.stderr(
              `No API key has the id or prefix "${idOrPrefix}"; run "imagegate keys list" to see them.\n`,
            );
            return ExitCode.badInput;
          }
          if (flags.json) io.stdout(`${JSON.stringify(keyView(record), null, 2)}\n`);
          else io.stdout(`Revoked API key "${record.name}" (${record.id}, ${record.prefix}…).\n`);
          return ExitCode.ok;
        });
      }),
    );
  // Subcommands report usage errors through the CLI's io and never exit the process themselves.
  for (const command of [keys, ...keys.commands]) {
    command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  }
  return keys;
}

/** Runs `use` on the key store `imagegate serve` reads (its data directory, or PostgreSQL). */
async function withStore(
  io: CliIo,
  flags: ServerStoreFlags,
  use: (store: ApiKeyDirectory) => Promise<number>,
): Promise<number> {
  const opened = await openServerStore(io, flags, { create: true });
  try {
    return await use(opened.keys);
  } finally {
    await opened.close();
  }
}

/** A key as the CLI's JSON shows it (snake_case, ISO times, like the HTTP API). */
function keyView(record: ApiKeyRecord) {
  return {
    id: record.id,
    name: record.name,
    prefix: record.prefix,
    created_at: new Date(record.createdAtMs).toISOString(),
    revoked_at: record.revokedAtMs === undefined ? null : new Date(record.revokedAtMs).toISOString(),
    rate_limit_per_minute: record.rateLimitPerMinute ?? null,
    monthly_budget_usd: record.monthlyBudgetUsd ?? null,
    admin: record.admin === true,
  };
}

function limitsText(record: ApiKeyRecord): string {
  const parts = [
    record.rateLimitPerMinute !== undefined ? `${record.rateLimitPerMinute} requests/minute` : undefined,
    record.monthlyBudgetUsd !== undefined ? `$${record.monthlyBudgetUsd.toFixed(2)}/month` : undefined,
    record.admin ? 'admin' : undefined,
  ].filter((part) => part !== undefined);
  return parts.length > 0 ? `, ${parts.join(', ')}` : '';
}

function renderList(records: ApiKeyRecord[]): string {
  if (records.length === 0)
    return 'No API keys yet. Create one with "imagegate keys create --name <name>".\n';
  const rows = records.map((record) => [
    record.id,
    `${record.prefix}…`,
    record.name,
    new Date(record.createdAtMs).toISOString().slice(0, 10),
    record.revokedAtMs === undefined
      ? 'active'
      : `revoked ${new Date(record.revokedAtMs).toISOString().slice(0, 10)}`,
    record.rateLimitPerMinute !== undefined ? `${record.rateLimitPerMinute}/min` : 'default',
    record.monthlyBudgetUsd !== undefined ? `$${record.monthlyBudgetUsd.toFixed(2)}` : 'none',
    record.admin ? 'yes' : 'no',
  ]);
  const header = ['ID', 'PREFIX', 'NAME', 'CREATED', 'STATUS', 'RATE LIMIT', 'MONTHLY BUDGET', 'ADMIN'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}
