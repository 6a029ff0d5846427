import { z } from 'zod';
import { fieldViolation, invalidArgument } from './api-errors.js';

/**
 * The `GenerateContentRequest` body (reference section 2), after snake_case keys were turned into
 * camelCase. Fields the emulator does not act on (tools, safetySettings, …) pass through untouched,
 * as the real API accepts them.
 */

export const partSchema = z.looseObject({
  text: z.string().optional(),
  inlineData: z.object({ mimeType: z.string(), data: z.string() }).optional(),
  fileData: z.object({ fileUri: z.string(), mimeType: z.string().optional() }).optional(),
  thought: z.boolean().optional(),
  thoughtSignature: z.string().optional(),
});
export type Part = z.infer<typeof partSchema>;

export const contentSchema = z.looseObject({
  role: z.enum(['user', 'model']).optional(),
  parts: z.array(partSchema).default([]),
});
export type Content = z.infer<typeof contentSchema>;

export const imageConfigSchema = z.looseObject({
  aspectRatio: z.string().optional(),
  imageSize: z.string().optional(),
  /** Vertex AI's spelling of the output format (the SDK maps `outputMimeType` here). */
  imageOutputOptions: z
    .looseObject({
      mimeType: z.string().optional(),
      compressionQuality: z.number().int().min(0).max(100).optional(),
    })
    .optional(),
});

export const generationConfigSchema = z.looseObject({
  temperature: z.number().min(0).max(2).optional(),
  topP: z.number().min(0).max(1).optional(),
  topK: z.number().int().min(1).optional(),
  candidateCount: z.number().int().min(1).max(8).optional(),
  maxOutputTokens: z.number().int().min(1).optional(),
  seed: z.number().int().optional(),
  responseModalities: z.array(z.string()).optional(),
  imageConfig: imageConfigSchema.optional(),
  thinkingConfig: z.looseObject({ includeThoughts: z.boolean().optional() }).optional(),
});
export type GenerationConfig = z.infer<typeof generationConfigSchema>;

export const generateContentRequestSchema = z.looseObject({
  contents: z.array(contentSchema).min(1, 'contents is not specified'),
  systemInstruction: contentSchema.optional(),
  generationConfig: generationConfigSchema.optional(),
});
export type GenerateContentRequest = z.infer<typeof generateContentRequestSchema>;

export const countTokensRequestSchema = z.looseObject({
  contents: z.array(contentSchema).optional(),
  generateContentRequest: generateContentRequestSchema.optional(),
});

function snakeCase(segment: PropertyKey): string {
  return String(segment).replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** Google names fields by their proto path: `generation_config.candidate_count`, `contents[0].parts`. */
export function protoFieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (joined, segment) =>
      typeof segment === 'number'
        ? `${joined}[${segment}]`
        : joined === ''
          ? snakeCase(segment)
          : `${joined}.${snakeCase(segment)}`,
    '',
  );
}

/** Parses a body with a schema, answering the first problem as a 400 that names the field. */
export function parseRequest<Schema extends z.ZodType>(schema: Schema, body: unknown): z.infer<Schema> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = protoFieldPath(issue.path);
  const value = valueAt(body, issue.path);
  const shown = value === undefined ? '' : ` (got ${JSON.stringify(value)?.slice(0, 80)})`;
  const message =
    field === ''
      ? `Invalid request: ${issue.message}`
      : `Invalid value at '${field}': ${issue.message}${shown}`;
  throw invalidArgument(message, [fieldViolation(field, issue.message)]);
}

function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = body;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}
