import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { aspectRatioSchema, imageSizeSchema, type AspectRatio, type ImageSize } from '../../catalog/index.js';
import { ImagegateError, type ImagegateErrorOptions } from '../../errors/index.js';

/** One prompt of a regression set, with the parameters that override the run's for it. */
export interface RegressPrompt {
  /** Stable name in reports; default `p-001`, `p-002`… by position. */
  id: string;
  prompt: string;
  aspectRatio?: AspectRatio;
  imageSize?: ImageSize;
}

export class PromptSetError extends ImagegateError {
  constructor(message: string, options: ImagegateErrorOptions = {}) {
    super('invalid_input', message, options);
  }
}

const promptEntrySchema = z.union([
  z.string().trim().min(1, 'a prompt must not be empty'),
  z.strictObject({
    id: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,64}$/, 'an id is 1-64 letters, digits, dots, dashes or underscores')
      .optional(),
    prompt: z.string().trim().min(1, 'a prompt must not be empty'),
    aspect: aspectRatioSchema.optional(),
    size: imageSizeSchema.optional(),
  }),
]);
const promptListSchema = z.array(promptEntrySchema).min(1, 'the prompt set is empty');

/** Reads a `.txt` (one prompt a line, `#` comments) or `.yaml`/`.yml`/`.json` prompt set. */
export async function loadPromptSet(path: string): Promise<RegressPrompt[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new PromptSetError(`--prompts: cannot read ${path} (${(error as NodeJS.ErrnoException).code})`);
  }
  return parsePromptSet(text, path);
}

export function parsePromptSet(text: string, source: string): RegressPrompt[] {
  const extension = extname(source).toLowerCase();
  if (extension === '.txt' || extension === '') return withIds(promptsFromText(text, source), source);
  if (['.yaml', '.yml', '.json'].includes(extension)) return withIds(promptsFromYaml(text, source), source);
  throw new PromptSetError(
    `--prompts: ${source} has extension "${extension}"; allowed: .txt (one prompt a line) or .yaml, .yml, .json (a list)`,
  );
}

function promptsFromText(text: string, source: string): Array<Omit<RegressPrompt, 'id'> & { id?: string }> {
  const prompts = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('#'))
    .map((prompt) => ({ prompt }));
  if (prompts.length === 0)
    throw new PromptSetError(`${source}: no prompts (every line is empty or a # comment)`);
  return prompts;
}

function promptsFromYaml(text: string, source: string): Array<Omit<RegressPrompt, 'id'> & { id?: string }> {
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    throw new PromptSetError(`${source}: not valid YAML (${(error as Error).message})`);
  }
  const result = promptListSchema.safeParse(document);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const field = issue.path
        .map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`))
        .join('');
      return `${field || '(root)'}: ${issue.message}`;
    });
    throw new PromptSetError(
      `${source}: ${problems.join('; ')} (expected a list of prompts: strings or {id?, prompt, aspect?, size?})`,
    );
  }
  return result.data.map((entry) =>
    typeof entry === 'string'
      ? { prompt: entry }
      : {
          prompt: entry.prompt,
          ...(entry.id ? { id: entry.id } : {}),
          ...(entry.aspect ? { aspectRatio: entry.aspect } : {}),
          ...(entry.size ? { imageSize: entry.size } : {}),
        },
  );
}

function withIds(
  prompts: Array<Omit<RegressPrompt, 'id'> & { id?: string }>,
  source: string,
): RegressPrompt[] {
  const width = Math.max(3, String(prompts.length).length);
  const result = prompts.map((entry, index) => ({
    ...entry,
    id: entry.id ?? `p-${String(index + 1).padStart(width, '0')}`,
  }));
  const seen = new Set<string>();
  for (const entry of result) {
    if (seen.has(entry.id))
      throw new PromptSetError(`${source}: id "${entry.id}" is used twice; ids must be unique`);
    seen.add(entry.id);
  }
  return result;
}
