/** What the emulator asks the art module to draw, checked before any pixel is painted. */
import { z } from 'zod';

export interface RenderRequest {
  /** Catalog family shared by a preview and its GA twin: twins look close but not identical. */
  family: string;
  /** Exact model ID. */
  modelId: string;
  prompt: string;
  /** Request seed; undefined means "derive from prompt only". */
  seed: number | undefined;
  width: number;
  height: number;
  mimeType: 'image/png' | 'image/jpeg';
  /** Decoded bytes of reference images (any format sharp reads). Non-empty = an edit: output derives from them. */
  referenceImages: Uint8Array[];
}

/** Longest output side accepted, in pixels; the catalog's largest (a 4K 8:1 banner) is 12288. */
export const maximumSidePixels = 16_384;
/** Most output pixels accepted; the catalog's largest size is about 19 million. */
export const maximumOutputPixels = 40_000_000;

const sidePixels = (field: string) =>
  z
    .number({ error: `${field} must be a number of pixels` })
    .int(`${field} must be a whole number of pixels`)
    .min(1, `${field} must be at least 1 pixel`)
    .max(maximumSidePixels, `${field} must be at most ${maximumSidePixels} pixels`);

export const renderRequestSchema = z
  .object({
    family: z.string().min(1, 'family must not be empty'),
    modelId: z.string().min(1, 'modelId must not be empty'),
    prompt: z.string(),
    seed: z.number().int('seed must be an integer').optional(),
    width: sidePixels('width'),
    height: sidePixels('height'),
    mimeType: z.enum(['image/png', 'image/jpeg'], { error: 'mimeType must be image/png or image/jpeg' }),
    referenceImages: z.array(
      z.instanceof(Uint8Array, { error: 'each reference image must be a Uint8Array' }),
    ),
  })
  .refine((request) => request.width * request.height <= maximumOutputPixels, {
    error: `width x height must be at most ${maximumOutputPixels} pixels`,
    path: ['width'],
  });

/** Thrown when a render request is malformed; the message names each bad field and its value. */
export class RenderRequestError extends Error {
  override readonly name = 'RenderRequestError';
}

export function parseRenderRequest(request: RenderRequest): RenderRequest {
  const result = renderRequestSchema.safeParse(request);
  if (result.success) return { ...result.data, seed: result.data.seed };
  const problems = result.error.issues.map((issue) => {
    const field = issue.path
      .map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`))
      .join('');
    const value = issue.path.reduce<unknown>(
      (container, key) => (container as Record<PropertyKey, unknown> | undefined)?.[key],
      request,
    );
    return `${issue.message} (${field} was ${describeValue(value)})`;
  });
  throw new RenderRequestError(`invalid render request: ${problems.join('; ')}`);
}

function describeValue(value: unknown): string {
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return String(value);
}
