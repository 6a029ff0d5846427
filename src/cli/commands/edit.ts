import { Command } from 'commander';
import type { CliIo } from '../cli-io.js';
import { exitCodesHelp } from '../exit-codes.js';
import { addGenerationFlags, libraryOptionsFrom, parseGenerationFlags } from '../generation-flags.js';
import { guardedAction } from '../guarded-action.js';
import { parseText } from '../parse-flags.js';
import { runGeneration } from '../run-generation.js';
import { resolvePath } from './generate.js';

export function editCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  const command = new Command('edit')
    .description('Edit an image with an instruction')
    .argument('<image>', 'the image to edit (PNG, JPEG, WebP, HEIC)')
    .argument('<instruction>', 'what to change')
    .option('--ref <file...>', 'more reference images');
  addGenerationFlags(command).addHelpText('after', exitCodesHelp);
  return command.action(
    guardedAction(
      io,
      setExitCode,
      async (image: string, instruction: string, raw: Record<string, unknown>) => {
        const { ref, ...rest } = raw;
        const flags = parseGenerationFlags(rest);
        const text = parseText(instruction, 'the <instruction> argument', 'what to change');
        const images = [image, ...((ref as string[] | undefined) ?? [])].map((path) => resolvePath(io, path));
        return runGeneration(io, flags, (client, hooks) =>
          client.editImage({ prompt: text, images, ...libraryOptionsFrom(flags) }, hooks),
        );
      },
    ),
  );
}
