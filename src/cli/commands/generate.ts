import { Command } from 'commander';
import type { CliIo } from '../cli-io.js';
import { exitCodesHelp } from '../exit-codes.js';
import { addGenerationFlags, libraryOptionsFrom, parseGenerationFlags } from '../generation-flags.js';
import { runGeneration } from '../run-generation.js';
import { guardedAction } from '../guarded-action.js';
import { parseText } from '../parse-flags.js';

export function generateCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  const command = new Command('generate')
    .description('Generate images from a prompt through a logical model name')
    .argument('<prompt>', 'what to draw')
    .option('--ref <file...>', 'reference image(s) to guide the result');
  addGenerationFlags(command).addHelpText('after', exitCodesHelp);
  return command.action(
    guardedAction(io, setExitCode, async (prompt: string, raw: Record<string, unknown>) => {
      const { ref, ...rest } = raw;
      const flags = parseGenerationFlags(rest);
      const text = parseText(prompt, 'the <prompt> argument', 'what to draw');
      const referenceImages = (ref as string[] | undefined) ?? [];
      return runGeneration(io, flags, (client, hooks) =>
        client.generateImage(
          {
            prompt: text,
            referenceImages: referenceImages.map((path) => resolvePath(io, path)),
            ...libraryOptionsFrom(flags),
          },
          hooks,
        ),
      );
    }),
  );
}

export function resolvePath(io: CliIo, path: string): string {
  return path.startsWith('/') ? path : `${io.cwd}/${path}`;
}
