import { Command } from 'commander';
import type { CliIo } from '../cli-io.js';
import { exitCodesHelp } from '../exit-codes.js';
import { addGenerationFlags, libraryOptionsFrom, parseGenerationFlags } from '../generation-flags.js';
import { guardedAction } from '../guarded-action.js';
import { parseText } from '../parse-flags.js';
import { runGeneration } from '../run-generation.js';
import { resolvePath } from './generate.js';

export function thumbnailCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  const command = new Command('thumbnail')
    .description('Make a thumbnail image from a video (uploaded through the Files API)')
    .argument('<video>', 'the video (MP4, MOV, WebM)')
    .option(
      '--prompt <text>',
      'what the thumbnail should show (default: an eye-catching frame of the subject)',
    );
  addGenerationFlags(command).addHelpText('after', exitCodesHelp);
  return command.action(
    guardedAction(io, setExitCode, async (video: string, raw: Record<string, unknown>) => {
      const { prompt, ...rest } = raw;
      const flags = parseGenerationFlags(rest);
      const text =
        prompt === undefined ? undefined : parseText(prompt, '--prompt', 'what the thumbnail should show');
      const { aspectRatio, ...options } = libraryOptionsFrom(flags);
      return runGeneration(io, flags, (client, hooks) =>
        client.thumbnailFromVideo(
          resolvePath(io, video),
          {
            ...options,
            ...(aspectRatio ? { aspectRatio } : {}),
            ...(text !== undefined ? { prompt: text } : {}),
          },
          hooks,
        ),
      );
    }),
  );
}
