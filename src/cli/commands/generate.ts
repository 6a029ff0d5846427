import { Command } from 'commander';
import { addBatchFlags, openBatchSession, takeBatchFlags } from '../batch-flags.js';
import type { CliIo } from '../cli-io.js';
import { exitCodesHelp } from '../exit-codes.js';
import {
  addGenerationFlags,
  libraryOptionsFrom,
  parseGenerationFlags,
  type GenerationFlags,
} from '../generation-flags.js';
import { runGeneration } from '../run-generation.js';
import { guardedAction } from '../guarded-action.js';
import { parseText } from '../parse-flags.js';
import { DEFAULT_MODEL } from '../../client/index.js';
import { generationParametersOf } from '../../request/index.js';

export function generateCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  const command = new Command('generate')
    .description('Generate images from a prompt through a logical model name')
    .argument('<prompt>', 'what to draw')
    .option('--ref <file...>', 'reference image(s) to guide the result');
  addBatchFlags(addGenerationFlags(command)).addHelpText('after', exitCodesHelp);
  return command.action(
    guardedAction(io, setExitCode, async (prompt: string, raw: Record<string, unknown>) => {
      const { ref, ...withBatch } = raw;
      const { batch, rest } = takeBatchFlags(withBatch, io.clock.nowMs());
      const flags = parseGenerationFlags(rest);
      const text = parseText(prompt, 'the <prompt> argument', 'what to draw');
      const referenceImages = ((ref as string[] | undefined) ?? []).map((path) => resolvePath(io, path));
      if (batch.batch) return generateThroughBatch(io, flags, text, referenceImages, batch.deadlineMs);
      return runGeneration(io, flags, (client, hooks) =>
        client.generateImage({ prompt: text, referenceImages, ...libraryOptionsFrom(flags) }, hooks),
      );
    }),
  );
}

/**
 * `generate --batch`: one task through a local batch lane, waited for with the job's progress on stderr;
 * output as without `--batch`. The online lane shares the batch lane's endpoint (see docs/batch.md).
 */
async function generateThroughBatch(
  io: CliIo,
  flags: GenerationFlags,
  prompt: string,
  referenceImages: string[],
  deadlineMs: number | undefined,
): Promise<number> {
  const session = await openBatchSession(io, {
    config: flags.config,
    deadlineMs,
    onProgress: (line) => io.stderr(`  ${line}\n`),
  });
  try {
    return await runGeneration({ ...io, env: session.env }, flags, async () => {
      const options = libraryOptionsFrom(flags);
      const references = await session.imagegate.readReferenceImages(referenceImages);
      return session.lane.generate({
        prompt,
        model: options.model ?? DEFAULT_MODEL,
        ...generationParametersOf({ ...options, imageCount: options.n }),
        references,
      });
    });
  } finally {
    await session.close();
  }
}

export function resolvePath(io: CliIo, path: string): string {
  return path.startsWith('/') ? path : `${io.cwd}/${path}`;
}
