import { z } from 'zod';
import { aspectRatioSchema, imageSizeSchema } from '../catalog/index.js';

/*
 * A flow document: typed inputs, nodes keyed by id, and a layout section for canvas positions.
 * Wiring has one source of truth: references written inside node fields, `{{inputs.NAME}}` and
 * `{{nodes.ID.text}}` / `{{nodes.ID.images}}`. There are no separate edges to keep in step with them.
 * `layout` is excluded from the content hash, so moving a node on a canvas is not a new version.
 */

/** Limits defined once; the JSON Schema, the validator and the docs read them from here. */
export const flowLimits = {
  minVariants: 1,
  maxVariants: 8,
  maxNodes: 64,
  maxInputs: 32,
  maxPromptLength: 32_000,
} as const;

/** Node ids and input names appear inside `{{…}}` references, so they keep to one plain shape. */
export const identifierSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,63}$/, 'expected a lowercase name: a letter, then letters, digits, _ or -');

export const flowNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,63}$/, 'expected a lowercase name: a letter, then letters, digits or -');

const describedSchema = { description: z.string().max(2000).optional() };

export const flowInputSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('string'),
    ...describedSchema,
    default: z.string().optional(),
    minLength: z.number().int().nonnegative().optional(),
    maxLength: z.number().int().positive().optional(),
  }),
  z.strictObject({
    type: z.literal('number'),
    ...describedSchema,
    default: z.number().optional(),
    minimum: z.number().optional(),
    maximum: z.number().optional(),
  }),
  z.strictObject({
    type: z.literal('integer'),
    ...describedSchema,
    default: z.number().int().optional(),
    minimum: z.number().int().optional(),
    maximum: z.number().int().optional(),
  }),
  z.strictObject({ type: z.literal('boolean'), ...describedSchema, default: z.boolean().optional() }),
  z.strictObject({
    type: z.literal('enum'),
    ...describedSchema,
    values: z.array(z.string().min(1)).min(1),
    default: z.string().optional(),
  }),
  z.strictObject({
    type: z.literal('image'),
    ...describedSchema,
    /** An image input may be left out; nodes then get no reference from it. */
    optional: z.boolean().default(false),
  }),
]);
export type FlowInput = z.infer<typeof flowInputSchema>;
export type FlowInputType = FlowInput['type'];

const promptSchema = z.string().min(1, 'a prompt is required').max(flowLimits.maxPromptLength);
/** A single `{{…}}` reference written as the whole value. */
export const singleReferenceSchema = z
  .string()
  .regex(/^\{\{\s*[^{}]+\s*\}\}$/, 'expected one reference such as "{{nodes.hero.images}}"');

export const textNodeSchema = z.strictObject({
  type: z.literal('text'),
  ...describedSchema,
  /** A logical name (`text_fast`) or a text model ID. */
  model: z.string().min(1),
  prompt: promptSchema,
  system: z.string().max(flowLimits.maxPromptLength).optional(),
  temperature: z.number().min(0).max(2).optional(),
});

export const templateNodeSchema = z.strictObject({
  type: z.literal('template'),
  ...describedSchema,
  template: z.string().min(1).max(flowLimits.maxPromptLength),
});

export const imageNodeSchema = z.strictObject({
  type: z.literal('image'),
  ...describedSchema,
  /** A logical name (`image_fast`) or an image model ID. */
  model: z.string().min(1),
  prompt: promptSchema,
  /** How many variants, each its own call with its own seed; a number or `{{inputs.NAME}}`. */
  variants: z.union([z.number().int(), singleReferenceSchema]).default(1),
  aspectRatio: aspectRatioSchema.optional(),
  imageSize: imageSizeSchema.optional(),
  format: z.enum(['png', 'jpeg']).default('png'),
  /** Variant k runs with seed + k. Default: derived from the node's signature, so reruns reproduce. */
  seed: z.number().int().min(0).max(2_147_483_647).optional(),
  /** Reference images: image inputs or upstream image outputs; makes the node an edit. */
  references: z.array(singleReferenceSchema).default([]),
  /**
   * `batch`: the node's calls go through the batch lane at the batch price and may take up to 24 h (online
   * before that if need be; docs/batch.md). Absent: online.
   */
  lane: z.enum(['online', 'batch']).optional(),
});

export const outputNodeSchema = z.strictObject({
  type: z.literal('output'),
  ...describedSchema,
  /** Named results of the run, each one reference. */
  results: z.record(identifierSchema, singleReferenceSchema),
});

export const nodeTypes = ['text', 'template', 'image', 'output'] as const;
export type NodeType = (typeof nodeTypes)[number];

export const flowNodeSchema = z.discriminatedUnion('type', [
  textNodeSchema,
  templateNodeSchema,
  imageNodeSchema,
  outputNodeSchema,
]);
export type FlowNode = z.infer<typeof flowNodeSchema>;
export type TextNode = z.infer<typeof textNodeSchema>;
export type TemplateNode = z.infer<typeof templateNodeSchema>;
export type ImageNode = z.infer<typeof imageNodeSchema>;
export type OutputNode = z.infer<typeof outputNodeSchema>;

export const layoutSchema = z.record(z.string(), z.strictObject({ x: z.number(), y: z.number() }));

export const flowDocumentSchema = z.strictObject({
  name: flowNameSchema,
  ...describedSchema,
  inputs: z
    .record(identifierSchema, flowInputSchema)
    .refine((inputs) => Object.keys(inputs).length <= flowLimits.maxInputs, {
      message: `at most ${flowLimits.maxInputs} inputs`,
    })
    .default({}),
  nodes: z.record(identifierSchema, flowNodeSchema),
  /** Canvas positions by node id. Not part of the content hash. */
  layout: layoutSchema.optional(),
});
export type FlowDocument = z.infer<typeof flowDocumentSchema>;
export type FlowDocumentInput = z.input<typeof flowDocumentSchema>;
