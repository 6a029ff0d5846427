import type { Command } from 'commander';
import { z } from 'zod';
import { aspectRatioSchema, imageSizeSchema, platformSchema } from '../catalog/index.js';
import { DEFAULT_MODEL } from '../client/index.js';
import {
  definedOnly,
  generationParametersSchema,
  imageCountSchema,
  MAX_IMAGE_COUNT,
  outputFormatSchema,
  seedSchema,
  temperatureSchema,
  topPSchema,
} from '../request/index.js';
import { outputFormatFor } from './output-path.js';
import { parseFlags } from './parse-flags.js';

/** Flags shared by `generate`, `edit` and `thumbnail`. */
export function addGenerationFlags(command: Command): Command {
  return command
    .option('-m, --model <name>', 'logical name or model ID', DEFAULT_MODEL)
    .option('--platform <platform>', 'gemini-api or vertex-ai (default: the route decides)')
    .option('--aspect <ratio>', `aspect ratio: ${aspectRatioSchema.options.join(', ')}`)
    .option('--size <size>', `image size: ${imageSizeSchema.options.join(', ')}`)
    .option('--n <count>', `number of images (1-${MAX_IMAGE_COUNT})`, '1')
    .option('--seed <int>', 'seed for repeatable output')
    .option('--temperature <number>', 'sampling temperature 0-2')
    .option('--top-p <number>', 'nucleus sampling 0-1')
    .option('--system <text>', 'system instruction')
    .option('--format <format>', 'png or jpeg (default: the -o extension decides, else png; both must agree)')
    .option('-o, --output <path>', 'output file, or a directory (default: the current directory)')
    .option('--config <path>', 'config file (default: ./imagegate.config.yaml or $IMAGEGATE_CONFIG)')
    .option('--json', 'print the result as JSON on stdout');
}

const numberFlag = (name: string) =>
  z
    .string()
    .regex(/^-?\d+(\.\d+)?$/, `${name} must be a number`)
    .transform(Number);

export const generationFlagsSchema = z.object({
  model: z.string().min(1),
  platform: platformSchema.optional(),
  aspect: aspectRatioSchema.optional(),
  size: imageSizeSchema.optional(),
  n: numberFlag('--n').pipe(imageCountSchema),
  seed: numberFlag('--seed').pipe(seedSchema).optional(),
  temperature: numberFlag('--temperature').pipe(temperatureSchema).optional(),
  topP: numberFlag('--top-p').pipe(topPSchema).optional(),
  system: generationParametersSchema.shape.systemInstruction,
  format: outputFormatSchema.optional(),
  output: z.string().min(1).optional(),
  config: z.string().min(1).optional(),
  json: z.boolean().optional(),
});
export type GenerationFlags = z.infer<typeof generationFlagsSchema>;

/**
 * Validates commander's raw option strings; errors name the flag (`--aspect "7:3": …`). A `-o` extension
 * that disagrees with `--format` is refused here, before anything is sent.
 */
export function parseGenerationFlags(raw: Record<string, unknown>): GenerationFlags {
  const flags = parseFlags(generationFlagsSchema, raw);
  return { ...flags, format: outputFormatFor(flags.output, flags.format) };
}

/** The library options the flags stand for: the flags' names renamed here and nowhere else. */
export function libraryOptionsFrom(flags: GenerationFlags) {
  return definedOnly({
    model: flags.model,
    platform: flags.platform,
    aspectRatio: flags.aspect,
    imageSize: flags.size,
    n: flags.n,
    seed: flags.seed,
    temperature: flags.temperature,
    topP: flags.topP,
    systemInstruction: flags.system,
    outputFormat: flags.format,
  });
}
