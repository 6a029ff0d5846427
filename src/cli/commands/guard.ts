import { Command } from 'commander';
import { z } from 'zod';
import { builtInCatalog, isoDateSchema, platforms, type Platform } from '../../catalog/index.js';
import { Imagegate } from '../../client/index.js';
import type { ImagegateConfig } from '../../config/index.js';
import { runAudit } from '../../tools/audit/index.js';
import {
  buildGuardReport,
  guardSlackPayload,
  renderGuardText,
  sendGuardNotification,
} from '../../tools/guard/index.js';
import type { CliIo } from '../cli-io.js';
import { dataDirectoryFlagHelp } from '../data-directory-flag.js';
import { parseFlags } from '../parse-flags.js';
import { describeError } from '../describe-error.js';
import { publishedFlowUsages } from '../published-flow-usages.js';
import { loadCliConfig } from '../load-cli-config.js';

const guardExitCodesHelp = `
Exit codes (for cron and CI):
  0  every model is fine
  1  warnings: a shutdown inside a warning window, a preview without a date, an ID the catalog lacks
  2  errors: a model past its shutdown, a configured model this key cannot see, or the guard could not run`;

const flagsSchema = z.object({
  config: z.string().min(1).optional(),
  at: isoDateSchema.optional(),
  warnDays: z
    .string()
    .regex(/^\d+(,\d+)*$/, 'expected whole days separated by commas, for example 90,30,7')
    .transform((text) => text.split(',').map(Number))
    .refine((days) => days.every((day) => day > 0), 'every window must be at least 1 day')
    .optional(),
  audit: z.array(z.string().min(1)).optional(),
  json: z.boolean().optional(),
  webhook: z.url({ protocol: /^https?$/ }).optional(),
  allowPrivateNetwork: z.boolean().optional(),
  visibility: z.boolean().default(true),
  dataDir: z.string().min(1).optional(),
  flows: z.boolean().default(true),
});

export function guardCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  return new Command('guard')
    .description(
      'Report the lifecycle of every model the config (and, with --audit, the code) uses; warn inside the windows, fail after shutdown',
    )
    .option('--config <path>', 'config file')
    .option('--at <date>', 'judge on this day (YYYY-MM-DD) instead of today: "what breaks on that date"')
    .option('--warn-days <list>', 'warning windows in days (default: lifecycle.warnDays, 90,30,7)')
    .option('--audit <paths...>', 'also check every model ID `imagegate audit` finds under these paths')
    .option('--json', 'print JSON')
    .option('--webhook <url>', 'also post the report to a Slack-compatible webhook (retried)')
    .option('--allow-private-network', 'let --webhook reach a private or loopback address')
    .option('--no-visibility', 'do not ask models.list whether the key can see each model')
    .option('--data-dir <dir>', `published flow versions are read from here (${dataDirectoryFlagHelp})`)
    .option('--no-flows', 'leave published flow versions out of the report')
    .addHelpText('after', guardExitCodesHelp)
    .action(async (raw: Record<string, unknown>) => {
      try {
        setExitCode(await runGuard(io, raw));
      } catch (error) {
        io.stderr(`${describeError(error)}\n`);
        setExitCode(2);
      }
    });
}

async function runGuard(io: CliIo, raw: Record<string, unknown>): Promise<number> {
  const flags = parseFlags(flagsSchema, raw);
  const catalog = builtInCatalog();
  const atMs = flags.at ? Date.parse(`${flags.at}T00:00:00Z`) : io.clock.nowMs();
  // The config is checked as of today: a model that retires on --at must not stop the report about it.
  const loaded = await loadCliConfig(io, flags.config, catalog);
  const auditedIds = flags.audit ? await auditedModelIds(io, flags.audit, loaded, catalog, atMs) : undefined;
  const visibleModelIds = flags.visibility ? await listVisible(io, loaded.config) : undefined;
  const flowUsages = flags.flows
    ? await publishedFlowUsages(io, { dataDir: flags.dataDir, config: flags.config }, loaded.config, catalog)
    : [];
  const report = buildGuardReport({
    config: loaded.config,
    catalog,
    atMs,
    flowUsages,
    ...(flags.warnDays ? { warnDays: flags.warnDays } : {}),
    ...(visibleModelIds ? { visibleModelIds } : {}),
    ...(auditedIds ? { auditedIds } : {}),
  });
  io.stdout(flags.json ? `${JSON.stringify(report, null, 2)}\n` : renderGuardText(report));
  if (flags.webhook) {
    const result = await sendGuardNotification({
      url: flags.webhook,
      payload: guardSlackPayload(report),
      clock: io.clock,
      allowPrivateNetwork: flags.allowPrivateNetwork ?? false,
    });
    if (!result.delivered) {
      io.stderr(
        `error: the webhook notification failed after ${result.attempts} attempts: ${result.error}\n`,
      );
      return 2;
    }
    io.stderr(`notified the webhook (${result.attempts} attempt${result.attempts === 1 ? '' : 's'})\n`);
  }
  return report.exitCode;
}

async function auditedModelIds(
  io: CliIo,
  paths: string[],
  loaded: { config: ImagegateConfig; source: string },
  catalog: ReturnType<typeof builtInCatalog>,
  atMs: number,
): Promise<{ id: string; location: string }[]> {
  const { report } = await runAudit({
    paths,
    cwd: io.cwd,
    catalog,
    config: loaded.config,
    configFile: loaded.source,
    atMs,
  });
  return report.findings
    .filter((finding) => !finding.allowed)
    .map((finding) => ({ id: finding.id, location: `${finding.path}:${finding.line}:${finding.column}` }));
}

async function listVisible(
  io: CliIo,
  config: ImagegateConfig,
): Promise<Partial<Record<Platform, Set<string>>>> {
  const client = await Imagegate.create({
    config,
    env: io.env,
    clock: io.clock,
    onNotice: (line) => io.stderr(`${line}\n`),
  });
  const visible: Partial<Record<Platform, Set<string>>> = {};
  try {
    for (const platform of platforms) {
      try {
        visible[platform] = new Set(await client.listVisibleModelIds(platform));
      } catch (error) {
        const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
        io.stderr(`note: visibility on ${platform} not checked: ${reason}\n`);
      }
    }
  } finally {
    await client.close();
  }
  return visible;
}
