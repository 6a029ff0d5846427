import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { builtInCatalog, isoDateSchema } from '../../catalog/index.js';
import { InvalidInputError, parseInput } from '../../errors/index.js';
import { Registry } from '../../registry/index.js';
import type { TaskRecord, TaskStore } from '../../tasks/index.js';
import {
  aggregateCosts,
  costPlanSchema,
  projectCostPlan,
  renderCostPlanText,
  renderCostReportText,
} from '../../tools/cost/index.js';
import type { CliIo } from '../cli-io.js';
import { dataDirectoryFlagHelp } from '../data-directory-flag.js';
import { databaseUrlFlagHelp, openServerStore, serverStoreFlagsSchema } from '../server-store.js';
import { parseFlags } from '../parse-flags.js';
import { exitCodesHelp } from '../exit-codes.js';
import { guardedAction } from '../guarded-action.js';
import { loadCliConfig } from '../load-cli-config.js';

const planFlagsSchema = z.object({ config: z.string().min(1).optional(), json: z.boolean().optional() });

const reportFlagsSchema = serverStoreFlagsSchema.extend({
  from: isoDateSchema.optional(),
  to: isoDateSchema.optional(),
  by: z.enum(['day', 'key', 'model', 'logical', 'lane']).default('day'),
  json: z.boolean().optional(),
});

export function costCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  const cost = new Command('cost').description(
    'Project a month of spend from a plan, or report actual spend',
  );
  cost
    .command('plan')
    .description('Project a month from a plan file (per logical name: images per day, size, online or batch)')
    .argument('<plan>', 'plan YAML file')
    .option('--config <path>', 'config file (its routes decide which model serves each logical name)')
    .option('--json', 'print JSON')
    .addHelpText('after', exitCodesHelp)
    .action(
      guardedAction(io, setExitCode, async (planPath: string, raw: Record<string, unknown>) => {
        const flags = parseFlags(planFlagsSchema, raw);
        const file = resolve(io.cwd, planPath);
        const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
          throw new InvalidInputError(`cannot read the plan file ${file}: ${error.code ?? error.message}`);
        });
        const plan = parseInput(costPlanSchema, parsePlanYaml(text, file), `plan ${planPath}`);
        const catalog = builtInCatalog();
        const loaded = await loadCliConfig(io, flags.config, catalog);
        const projection = projectCostPlan(
          plan,
          new Registry({ config: loaded.config, catalog, clock: io.clock }),
          catalog,
        );
        io.stdout(flags.json ? `${JSON.stringify(projection, null, 2)}\n` : renderCostPlanText(projection));
        return 0;
      }),
    );
  cost
    .command('report')
    .description(
      'Actual spend from the task store, per day, key, served model or logical name, against estimates',
    )
    .option('--from <date>', 'first day included (YYYY-MM-DD, UTC)')
    .option('--to <date>', 'last day included (YYYY-MM-DD, UTC)')
    .option('--by <grouping>', 'day, key, model, logical or lane', 'day')
    .option('--data-dir <path>', dataDirectoryFlagHelp)
    .option('--config <path>', 'imagegate.config.yaml naming the data directory')
    .option('--database-url <url>', databaseUrlFlagHelp)
    .option('--json', 'print JSON')
    .addHelpText('after', exitCodesHelp)
    .action(
      guardedAction(io, setExitCode, async (raw: Record<string, unknown>) => {
        const flags = parseFlags(reportFlagsSchema, raw);
        const fromMs = flags.from ? Date.parse(`${flags.from}T00:00:00Z`) : undefined;
        const toMs = flags.to ? Date.parse(`${flags.to}T00:00:00Z`) + 86_400_000 : undefined;
        const opened = await openServerStore(io, flags, { create: false });
        try {
          const tasks = await allTasks(opened.tasks, fromMs, toMs);
          const report = aggregateCosts(tasks, {
            by: flags.by,
            ...(fromMs !== undefined ? { fromMs } : {}),
            ...(toMs !== undefined ? { toMs } : {}),
          });
          io.stdout(flags.json ? `${JSON.stringify(report, null, 2)}\n` : renderCostReportText(report));
          return 0;
        } finally {
          await opened.close();
        }
      }),
    );
  return cost;
}

function parsePlanYaml(text: string, file: string): unknown {
  try {
    return parseYaml(text) ?? {};
  } catch (error) {
    throw new InvalidInputError(`the plan file ${file} is not valid YAML: ${(error as Error).message}`);
  }
}

/** Every task in the range, page by page. */
async function allTasks(
  store: TaskStore,
  fromMs: number | undefined,
  toMs: number | undefined,
): Promise<TaskRecord[]> {
  const tasks: TaskRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.list({
      limit: 100,
      ...(fromMs !== undefined ? { createdAfterMs: fromMs - 1 } : {}),
      ...(toMs !== undefined ? { createdBeforeMs: toMs } : {}),
      ...(cursor ? { cursor } : {}),
    });
    tasks.push(...page.tasks);
    cursor = page.nextCursor;
  } while (cursor);
  return tasks;
}
