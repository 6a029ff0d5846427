import { IMAGEGATE_VERSION } from '../../version.js';
import { writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import { Command } from 'commander';
import { z } from 'zod';
import { builtInCatalog, isoDateSchema } from '../../catalog/index.js';
import { builtInDefaultsSource } from '../../config/index.js';
import { auditSarif, planFixes, renderAuditText, runAudit, unifiedDiff } from '../../tools/audit/index.js';
import type { CliIo } from '../cli-io.js';
import { parseFlags } from '../parse-flags.js';
import { guardedAction } from '../guarded-action.js';
import { loadCliConfig } from '../load-cli-config.js';

const auditExitCodesHelp = `
Exit codes:
  0  no retired model and no preview with a shutdown date (GA and unknown IDs are listed, not failed)
  1  at least one retired or dated-preview ID; or --fix without --yes where nobody can confirm
  2  bad input: a path that does not exist, a bad flag, an invalid config`;

const flagsSchema = z.object({
  config: z.string().min(1).optional(),
  at: isoDateSchema.optional(),
  format: z.enum(['text', 'json', 'sarif']).default('text'),
  json: z.boolean().optional(),
  exclude: z.array(z.string().min(1)).optional(),
  fix: z.boolean().optional(),
  fixTo: z.enum(['logical', 'model']).default('logical'),
  yes: z.boolean().optional(),
});

/** Asks on the terminal; injected so tests never wait for a keyboard. */
export type Confirm = (question: string) => Promise<boolean>;

export function auditCommand(
  io: CliIo,
  setExitCode: (code: number) => void,
  confirm: Confirm = terminalConfirm,
): Command {
  return new Command('audit')
    .description('Find hard-coded Gemini model IDs in code and config, classified against the catalog')
    .argument('[paths...]', 'files and folders to scan (default: the working directory)')
    .option('--config <path>', 'config file (its logical names are suggested; its own IDs are allowed)')
    .option('--at <date>', 'judge lifecycle on this day (YYYY-MM-DD) instead of today')
    .option('--format <format>', 'text, json or sarif', 'text')
    .option('--json', 'same as --format json')
    .option('--exclude <rules...>', 'extra .gitignore-style rules, relative to the working directory')
    .option(
      '--fix',
      'rewrite retired and preview IDs to their successor or logical name (shows the diff first)',
    )
    .option(
      '--fix-to <target>',
      'logical: a logical name where the config has one; model: always the model ID',
      'logical',
    )
    .option('--yes', 'apply --fix without asking')
    .addHelpText('after', auditExitCodesHelp)
    .action(
      guardedAction(io, setExitCode, async (paths: string[], raw: Record<string, unknown>) => {
        const flags = parseFlags(flagsSchema, raw);
        const format = flags.json ? 'json' : flags.format;
        const catalog = builtInCatalog();
        const atMs = flags.at ? Date.parse(`${flags.at}T00:00:00Z`) : io.clock.nowMs();
        const loaded = await loadCliConfig(io, flags.config, catalog);
        const { report, files } = await runAudit({
          paths,
          cwd: io.cwd,
          catalog,
          config: loaded.config,
          ...(loaded.source !== builtInDefaultsSource ? { configFile: loaded.source } : {}),
          atMs,
          ...(flags.exclude ? { excludeRules: flags.exclude } : {}),
        });
        if (!flags.fix) {
          if (format === 'json') io.stdout(`${JSON.stringify(report, null, 2)}\n`);
          else if (format === 'sarif')
            io.stdout(`${JSON.stringify(auditSarif(report, IMAGEGATE_VERSION), null, 2)}\n`);
          else io.stdout(renderAuditText(report));
          return report.exitCode;
        }
        const patches = planFixes(report.findings, files, { target: flags.fixTo });
        if (patches.length === 0) {
          io.stdout('Nothing to fix: no retired or preview ID with a GA successor.\n');
          return report.exitCode;
        }
        for (const patch of patches) io.stdout(unifiedDiff(patch));
        const count = patches.reduce((sum, patch) => sum + patch.replacements.length, 0);
        const summary = `${count} replacement${count === 1 ? '' : 's'} in ${patches.length} file${patches.length === 1 ? '' : 's'}`;
        if (!flags.yes) {
          if (!(io.isInteractive && process.stdin.isTTY)) {
            io.stderr(
              `Not applied (${summary}): nobody can confirm here; run again with --yes to write the files.\n`,
            );
            return 1;
          }
          if (!(await confirm(`Apply ${summary}? [y/N] `))) {
            io.stderr('Not applied.\n');
            return 1;
          }
        }
        for (const patch of patches) await writeFile(patch.absolutePath, patch.after, 'utf8');
        io.stderr(`Applied ${summary}.\n`);
        const fixedOffsets = new Set(
          patches.flatMap((patch) =>
            patch.replacements.map((replacement) => `${patch.path}:${replacement.offset}`),
          ),
        );
        const stillFailing = report.findings.some(
          (finding) =>
            finding.failsAudit && !finding.allowed && !fixedOffsets.has(`${finding.path}:${finding.offset}`),
        );
        return stillFailing ? 1 : 0;
      }),
    );
}

async function terminalConfirm(question: string): Promise<boolean> {
  const readline = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await readline.question(question)).trim());
  } finally {
    readline.close();
  }
}
