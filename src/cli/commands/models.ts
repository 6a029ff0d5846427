import { Command } from 'commander';
import { z } from 'zod';
import { builtInCatalog } from '../../catalog/index.js';
import { lifecycleOn, type LifecycleStatus } from '../../catalog/index.js';
import { platforms, type Platform } from '../../catalog/index.js';
import { Imagegate } from '../../client/index.js';
import type { CliIo } from '../cli-io.js';
import { describeError } from '../describe-error.js';
import { exitCodeFor, exitCodesHelp } from '../exit-codes.js';
import { parseFlags } from '../parse-flags.js';
import { guardedAction } from '../guarded-action.js';

const flagsSchema = z.object({
  config: z.string().min(1).optional(),
  json: z.boolean().optional(),
});

interface ModelRow {
  model: string;
  platform: Platform;
  stage: string;
  shutdownDate: string | null;
  daysLeft: number | null;
  successor: string | null;
  /** Whether models.list on this platform shows the ID to the current credentials; null if it could not be asked. */
  visible: boolean | null;
}

export function modelsCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  return new Command('models')
    .description('Show the configured routes and every catalog model beside what the current key can see')
    .option('--config <path>', 'config file')
    .option('--json', 'print JSON')
    .addHelpText('after', exitCodesHelp)
    .action(
      guardedAction(io, setExitCode, async (raw: Record<string, unknown>) => {
        const flags = parseFlags(flagsSchema, raw);
        const client = await Imagegate.create({
          ...(flags.config ? { config: flags.config } : {}),
          env: io.env,
          clock: io.clock,
          onNotice: (line) => io.stderr(`${line}\n`),
        });
        try {
          const visibleByPlatform = await listVisible(client, io);
          const nowMs = io.clock.nowMs();
          const rowFor = (
            model: string,
            platform: Platform,
            lifecycle: LifecycleStatus | undefined,
          ): ModelRow => ({
            model,
            platform,
            stage: lifecycle?.stage ?? 'unknown',
            shutdownDate: lifecycle?.shutdownDate ?? null,
            daysLeft: lifecycle?.daysToShutdown ?? null,
            successor: lifecycle?.successor ?? null,
            visible: visibleByPlatform.get(platform)?.has(model) ?? null,
          });
          const routes = client.registry.logicalNames().map((name) => {
            const route = client.resolve(name);
            return {
              name,
              candidates: route.candidates.map((candidate) =>
                rowFor(candidate.modelId, candidate.platform, candidate.lifecycle),
              ),
              warnings: route.warnings,
            };
          });
          const catalogRows = builtInCatalog().models.flatMap((model) =>
            platforms
              .map((platform) => ({ platform, lifecycle: lifecycleOn(model, platform, nowMs) }))
              .filter(({ lifecycle }) => lifecycle !== undefined)
              .map(({ platform, lifecycle }) => rowFor(model.id, platform, lifecycle)),
          );
          if (flags.json) {
            io.stdout(`${JSON.stringify({ routes, models: catalogRows }, null, 2)}\n`);
          } else {
            io.stdout(renderText(routes, catalogRows));
          }
          return 0;
        } catch (error) {
          io.stderr(`${describeError(error)}\n`);
          return exitCodeFor(error);
        } finally {
          await client.close();
        }
      }),
    );
}

async function listVisible(client: Imagegate, io: CliIo): Promise<Map<Platform, Set<string>>> {
  const visible = new Map<Platform, Set<string>>();
  for (const platform of platforms) {
    try {
      visible.set(platform, new Set(await client.listVisibleModelIds(platform)));
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      io.stderr(`note: could not list models on ${platform}: ${reason}\n`);
    }
  }
  return visible;
}

function renderText(
  routes: { name: string; candidates: ModelRow[]; warnings: string[] }[],
  models: ModelRow[],
): string {
  const lines = ['Routes'];
  for (const route of routes) {
    lines.push(`  ${route.name}`);
    route.candidates.forEach((row, index) => lines.push(`    ${index + 1}. ${formatRow(row)}`));
    for (const warning of route.warnings) lines.push(`    warning: ${warning}`);
  }
  lines.push('', 'Catalog');
  for (const row of models) lines.push(`  ${formatRow(row)}`);
  return `${lines.join('\n')}\n`;
}

function formatRow(row: ModelRow): string {
  const shutdown = row.shutdownDate
    ? `shutdown ${row.shutdownDate} (${row.daysLeft !== null && row.daysLeft < 0 ? `${-row.daysLeft} days ago` : `${row.daysLeft} days left`})`
    : 'no shutdown announced';
  const visible =
    row.visible === null ? 'visibility unknown' : row.visible ? 'visible' : 'NOT visible to this key';
  const successor = row.successor ? `, successor ${row.successor}` : '';
  return `${row.model.padEnd(42)} ${row.platform.padEnd(10)} ${row.stage.padEnd(10)} ${shutdown}${successor}, ${visible}`;
}
