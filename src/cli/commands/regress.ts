import { resolve } from 'node:path';
import { Command } from 'commander';
import { z } from 'zod';
import { aspectRatioSchema, imageSizeSchema, platformSchema } from '../../catalog/index.js';
import { InvalidInputError } from '../../client/index.js';
import {
  defaultRegressConcurrency,
  formatTerminalSummary,
  loadPromptSet,
  ProgressRenderer,
  PromptSetError,
  reportJson,
  resolveThresholds,
  runRegress,
  StateFileError,
  ThresholdsError,
  writeReports,
} from '../../tools/regress/index.js';
import { builtInCatalog } from '../../catalog/index.js';
import {
  addBatchFlags,
  interactiveBatchSettings,
  loadCommandConfig,
  openBatchEndpoint,
  takeBatchFlags,
  type BatchEndpoint,
  type BatchFlags,
} from '../batch-flags.js';
import type { CliIo } from '../cli-io.js';
import { describeError } from '../describe-error.js';
import { ExitCode, exitCodeFor } from '../exit-codes.js';
import { parseFlags } from '../parse-flags.js';
import { guardedAction } from '../guarded-action.js';

/** Exit code when the run finished but the candidate needs a look (different, blocked or failed pairs). */
export const regressionsFoundExitCode = 1;

const regressHelp = `
Exit codes:
  0  every pair indistinguishable (or blocked only on the baseline)
  1  pairs to review: different, blocked only on the candidate, or failed
  2  bad input: a flag, the prompts file, the thresholds, the config, an unknown model name
  3  the run could not go on (e.g. a model retired before the run)

Thresholds (--thresholds "ssim=0.9,phash=10,deltaE=8,dimensions=true" or a YAML file with
minSsim, maxPerceptualHashDistance, maxMeanDeltaE, failOnDimensionMismatch): see docs/regress.md.`;

const integerFlag = (name: string) =>
  z
    .string()
    .regex(/^-?\d+$/, `${name} must be a whole number`)
    .transform(Number);

const regressFlagsSchema = z.object({
  prompts: z.string().min(1),
  baseline: z.string().min(1),
  candidate: z.string().min(1),
  aspect: aspectRatioSchema.optional(),
  size: imageSizeSchema.optional(),
  seed: integerFlag('--seed')
    .pipe(
      z
        .number()
        .int()
        .min(0)
        .max(2 ** 31 - 1),
    )
    .optional(),
  platform: platformSchema.optional(),
  concurrency: integerFlag('--concurrency').pipe(z.number().int().min(1).max(64)),
  out: z.string().min(1).optional(),
  thresholds: z.string().min(1).optional(),
  config: z.string().min(1).optional(),
  json: z.boolean().optional(),
});
type RegressFlags = z.infer<typeof regressFlagsSchema>;

export function regressCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  const command = new Command('regress')
    .description('Compare two models on a prompt set before a migration: scores, blocks, a report')
    .requiredOption('--prompts <file>', 'prompts: .txt (one a line, # comments) or .yaml (a list)')
    .requiredOption('--baseline <model>', 'model ID or logical name to compare against')
    .requiredOption('--candidate <model>', 'model ID or logical name being considered')
    .option('--aspect <ratio>', `aspect ratio for every prompt: ${aspectRatioSchema.options.join(', ')}`)
    .option('--size <size>', `image size for every prompt: ${imageSizeSchema.options.join(', ')}`)
    .option('--seed <int>', 'seed for every prompt (default: derived from each prompt, same on both sides)')
    .option('--platform <platform>', 'gemini-api or vertex-ai (default: the routes decide)')
    .option('--concurrency <n>', 'pairs run at once', String(defaultRegressConcurrency))
    .option('--out <dir>', 'state, images and reports (default: ./imagegate-regress/<baseline>--<candidate>)')
    .option('--thresholds <spec>', 'inline key=value list or a YAML/JSON file (see below)')
    .option('--config <path>', 'config file (default: ./imagegate.config.yaml or $IMAGEGATE_CONFIG)')
    .option('--json', 'print report.json on stdout instead of the summary');
  addBatchFlags(command).addHelpText('after', regressHelp);
  return command.action(
    guardedAction(io, setExitCode, async (raw: Record<string, unknown>) => {
      try {
        const { batch, rest } = takeBatchFlags(raw, io.clock.nowMs());
        return await runRegressCommand(io, parseFlags(regressFlagsSchema, rest), batch);
      } catch (error) {
        if (
          error instanceof PromptSetError ||
          error instanceof ThresholdsError ||
          error instanceof StateFileError ||
          error instanceof InvalidInputError
        ) {
          io.stderr(`error: ${error.message}\n`);
          return ExitCode.badInput;
        }
        throw error;
      }
    }),
  );
}

async function runRegressCommand(io: CliIo, flags: RegressFlags, batch: BatchFlags): Promise<number> {
  const prompts = await loadPromptSet(resolve(io.cwd, flags.prompts));
  const thresholds = await resolveThresholds(flags.thresholds, io.cwd);
  const outDir = resolve(io.cwd, flags.out ?? defaultOutDir(flags.baseline, flags.candidate));
  const progress = new ProgressRenderer({ write: io.stderr, isInteractive: io.isInteractive });
  const abort = new AbortController();
  const onInterrupt = () => abort.abort();
  process.once('SIGINT', onInterrupt);
  const configPath = flags.config ? resolve(io.cwd, flags.config) : undefined;
  let endpoint: BatchEndpoint | undefined;
  try {
    if (batch.batch) {
      endpoint = await openBatchEndpoint(io, await loadCommandConfig(io, configPath, builtInCatalog()));
    }
    const result = await runRegress({
      prompts,
      baseline: flags.baseline,
      candidate: flags.candidate,
      ...(flags.aspect ? { aspectRatio: flags.aspect } : {}),
      ...(flags.size ? { imageSize: flags.size } : {}),
      ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
      ...(flags.platform ? { platform: flags.platform } : {}),
      concurrency: flags.concurrency,
      outDir,
      thresholds,
      ...(configPath ? { config: configPath } : {}),
      env: endpoint?.env ?? io.env,
      clock: io.clock,
      onNotice: (line) => io.stderr(`${line}\n`),
      onStart: (start) => progress.start(start),
      onPairFinished: (finished) => progress.pairFinished(finished),
      signal: abort.signal,
      ...(endpoint
        ? {
            batch: {
              client: endpoint.client,
              ...(batch.deadlineMs !== undefined ? { deadlineMs: batch.deadlineMs } : {}),
              settings: interactiveBatchSettings,
              onProgress: (line: string) => io.stderr(`  ${line}\n`),
            },
          }
        : {}),
    });
    progress.finish();
    const generatedAt = new Date(io.clock.nowMs()).toISOString();
    const reports = await writeReports(result, outDir, generatedAt);
    if (flags.json) io.stdout(`${JSON.stringify(reportJson(result, generatedAt), null, 2)}\n`);
    else io.stdout(formatTerminalSummary(result, reports));
    if (result.isPartial) {
      io.stderr('Interrupted: run the same command again to finish the remaining pairs.\n');
    }
    return result.summary.verdict === 'pass' && !result.isPartial ? ExitCode.ok : regressionsFoundExitCode;
  } catch (error) {
    if (
      error instanceof PromptSetError ||
      error instanceof ThresholdsError ||
      error instanceof StateFileError
    )
      throw error;
    io.stderr(`${describeError(error)}\n`);
    return exitCodeFor(error);
  } finally {
    await endpoint?.close();
    process.off('SIGINT', onInterrupt);
  }
}

function defaultOutDir(baseline: string, candidate: string): string {
  const safe = (name: string) => name.replace(/[^A-Za-z0-9._-]+/g, '_');
  return `imagegate-regress/${safe(baseline)}--${safe(candidate)}`;
}
