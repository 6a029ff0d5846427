import { z } from 'zod';
import type { BlobStore } from '../blobs/index.js';
import { sniffImageMimeType } from '../media/index.js';
import type { StoredMediaReference } from '../tasks/index.js';
import { flowLimits, type FlowDocument, type FlowInput } from './flow-document-schema.js';
import { previewValue } from './flow-problem.js';
import { ImagegateError } from '../errors/index.js';

/** A run's inputs that fail the flow's trigger schema: HTTP 400 / exit 2, naming the field. */
export class FlowInputError extends ImagegateError {
  constructor(field: string, message: string) {
    super('invalid_input', `${field}: ${message}`, { field, code: 'invalid_input' });
  }
}

/** Puts an image input (file id, data URL, https URL, or a path for the CLI) into the blob store. */
export type StoreImageInput = (value: string, field: string) => Promise<StoredMediaReference>;

function schemaFor(input: FlowInput, fromStrings: boolean): z.ZodType {
  // CLI values arrive as strings (`--input count=6`); the HTTP body carries JSON types.
  const number = fromStrings ? z.coerce.number() : z.number();
  switch (input.type) {
    case 'string': {
      let schema = z.string();
      if (input.minLength !== undefined) schema = schema.min(input.minLength);
      if (input.maxLength !== undefined) schema = schema.max(input.maxLength);
      return schema;
    }
    case 'number': {
      let schema = number;
      if (input.minimum !== undefined) schema = schema.min(input.minimum);
      if (input.maximum !== undefined) schema = schema.max(input.maximum);
      return schema;
    }
    case 'integer': {
      let schema = number.int();
      if (input.minimum !== undefined) schema = schema.min(input.minimum);
      if (input.maximum !== undefined) schema = schema.max(input.maximum);
      return schema;
    }
    case 'boolean':
      return fromStrings ? z.enum(['true', 'false']).transform((value) => value === 'true') : z.boolean();
    case 'enum':
      return z.enum(input.values as [string, ...string[]]);
    case 'image':
      return z
        .string()
        .regex(
          /^(file_[0-9a-f]{64}|data:image\/[a-z0-9.+-]+;base64,.+|https:\/\/.+|[^:]+)$/s,
          'expected a file id (file_…), a data URL (data:image/…;base64,…) or an https URL',
        );
  }
}

/**
 * Checks a run's inputs against the flow's declared inputs: unknown names, missing required ones, types
 * and bounds, and variant counts taken from an input (1–8). Defaults are filled in; image inputs are
 * returned as given (stored by `storeImageInputs`).
 */
export function parseFlowInputs(
  document: FlowDocument,
  raw: Record<string, unknown>,
  options: { fromStrings?: boolean } = {},
): Record<string, unknown> {
  for (const name of Object.keys(raw)) {
    if (!Object.hasOwn(document.inputs, name)) {
      const known = Object.keys(document.inputs);
      throw new FlowInputError(
        `inputs.${name}`,
        `the flow has no input "${name}"; its inputs: ${known.join(', ') || 'none'}`,
      );
    }
  }
  const values: Record<string, unknown> = {};
  for (const [name, input] of Object.entries(document.inputs)) {
    const field = `inputs.${name}`;
    const value = raw[name] ?? ('default' in input ? input.default : undefined);
    if (value === undefined) {
      if (input.type === 'image' && input.optional) continue;
      throw new FlowInputError(field, `required (${describeInput(input)})`);
    }
    const parsed = schemaFor(input, options.fromStrings ?? false).safeParse(value);
    if (!parsed.success) {
      throw new FlowInputError(
        field,
        `${parsed.error.issues[0]?.message ?? 'invalid'} (got ${previewValue(value)}; expected ${describeInput(input)})`,
      );
    }
    values[name] = parsed.data;
  }
  for (const [id, node] of Object.entries(document.nodes)) {
    if (node.type !== 'image' || typeof node.variants !== 'string') continue;
    const name = node.variants.replace(/^\{\{\s*inputs\.|\s*\}\}$/g, '');
    const count = values[name];
    if (typeof count !== 'number' || count < flowLimits.minVariants || count > flowLimits.maxVariants) {
      throw new FlowInputError(
        `inputs.${name}`,
        `${previewValue(count)} is out of range for nodes.${id}.variants; allowed ${flowLimits.minVariants}–${flowLimits.maxVariants}`,
      );
    }
  }
  return values;
}

/** Replaces each image input by the sha256 and type of its stored bytes (kept as `{sha256, mimeType}`). */
export async function storeImageInputs(
  document: FlowDocument,
  values: Record<string, unknown>,
  store: StoreImageInput,
): Promise<Record<string, unknown>> {
  const stored = { ...values };
  for (const [name, input] of Object.entries(document.inputs)) {
    const value = values[name];
    if (input.type === 'image' && typeof value === 'string')
      stored[name] = await store(value, `inputs.${name}`);
  }
  return stored;
}

function describeInput(input: FlowInput): string {
  switch (input.type) {
    case 'enum':
      return `one of ${input.values.join(', ')}`;
    case 'image':
      return 'an image: a file id, data URL or https URL';
    case 'integer':
    case 'number': {
      const bounds = [
        input.minimum !== undefined ? `≥ ${input.minimum}` : '',
        input.maximum !== undefined ? `≤ ${input.maximum}` : '',
      ].filter(Boolean);
      return `${input.type === 'integer' ? 'an integer' : 'a number'}${bounds.length ? ` ${bounds.join(', ')}` : ''}`;
    }
    default:
      return `a ${input.type}`;
  }
}

/**
 * The image resolver without a network: `file_<sha256>` (already in the blob store) and base64 data
 * URLs. The server passes its own (https URLs through the SSRF-safe fetch); the CLI adds local paths.
 */
export function blobImageInputs(blobs: BlobStore): StoreImageInput {
  return async (value, field) => {
    const fileId = /^file_([0-9a-f]{64})$/.exec(value);
    if (fileId) {
      const blob = await blobs.get(fileId[1]!);
      if (!blob) throw new FlowInputError(field, `no uploaded file ${previewValue(value)}`);
      return { sha256: fileId[1]!, mimeType: blob.mimeType };
    }
    const dataUrl = /^data:image\/[a-z0-9.+-]+;base64,(.+)$/s.exec(value);
    if (dataUrl) {
      const bytes = Buffer.from(dataUrl[1]!, 'base64');
      const mimeType = sniffImageMimeType(bytes);
      if (!mimeType)
        throw new FlowInputError(field, 'the data URL does not hold a PNG, JPEG, WebP or HEIC image');
      const stored = await blobs.put(bytes, mimeType);
      return { sha256: stored.sha256, mimeType };
    }
    throw new FlowInputError(field, `${previewValue(value)}: expected a file id or a data URL here`);
  };
}
