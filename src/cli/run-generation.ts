import { Imagegate, type CallHooks, type GenerationResult } from '../client/index.js';
import type { Attempt } from '../engine/index.js';
import type { CliIo } from './cli-io.js';
import { describeError } from './describe-error.js';
import { errorJson } from './error-json.js';
import { ExitCode, exitCodeFor } from './exit-codes.js';
import type { GenerationFlags } from './generation-flags.js';
import { checkOutputPath } from './output-path.js';
import { writeImages } from './write-images.js';

/**
 * The shared body of `generate`, `edit` and `thumbnail`: progress on stderr, images on disk, paths (or
 * JSON) on stdout, and an exit code that tells scripts what kind of failure happened.
 */
export async function runGeneration(
  io: CliIo,
  flags: GenerationFlags,
  work: (client: Imagegate, hooks: CallHooks) => Promise<GenerationResult>,
): Promise<number> {
  let client: Imagegate | undefined;
  try {
    // Before any call: a typo in -o must not cost a paid generation.
    await checkOutputPath(flags.output, io.cwd);
    client = await Imagegate.create({
      ...(flags.config ? { config: flags.config } : {}),
      env: io.env,
      clock: io.clock,
      onNotice: (line) => io.stderr(`${line}\n`),
    });
    io.stderr(`Generating with ${flags.model}…\n`);
    const hooks: CallHooks = {
      onAttempt: (attempt) => io.stderr(`  ${describeAttempt(attempt)}\n`),
      onWarning: (warning) => io.stderr(`  warning: ${warning}\n`),
    };
    const result = await work(client, hooks);
    const written = await writeImages(result.images, {
      output: flags.output,
      cwd: io.cwd,
      nowMs: io.clock.nowMs(),
    });
    if (flags.json) {
      io.stdout(`${JSON.stringify(resultJson(result, written), null, 2)}\n`);
    } else {
      for (const image of written) io.stdout(`${image.path}\n`);
      io.stderr(summaryLine(result));
    }
    return ExitCode.ok;
  } catch (error) {
    if (flags.json) io.stdout(`${JSON.stringify(errorJson(error), null, 2)}\n`);
    io.stderr(`${describeError(error)}\n`);
    return exitCodeFor(error);
  } finally {
    await client?.close();
  }
}

function describeAttempt(attempt: Attempt): string {
  const waited = attempt.waitedBeforeMs > 0 ? ` after waiting ${formatMs(attempt.waitedBeforeMs)}` : '';
  const status = attempt.httpStatus ? ` (HTTP ${attempt.httpStatus})` : '';
  return `${attempt.modelId} on ${attempt.platform}${waited}: ${attempt.outcome}${status} in ${formatMs(attempt.latencyMs)}`;
}

function summaryLine(result: GenerationResult): string {
  const cost = result.costUsd === undefined ? 'cost unknown' : `$${result.costUsd.toFixed(4)}`;
  return `Done: ${result.images.length} image(s) from ${result.servedBy.modelId} on ${result.servedBy.platform}, ${cost}.\n`;
}

function resultJson(result: GenerationResult, written: Awaited<ReturnType<typeof writeImages>>) {
  return {
    ok: true,
    requestedModel: result.requestedModel,
    servedBy: result.servedBy,
    images: written,
    text: result.text ?? null,
    usage: result.usage,
    costUsd: result.costUsd ?? null,
    warnings: result.warnings,
    attempts: result.attempts,
  };
}

function formatMs(milliseconds: number): string {
  return milliseconds >= 1000 ? `${(milliseconds / 1000).toFixed(1)} s` : `${Math.round(milliseconds)} ms`;
}
