import { createRoute, z } from '@hono/zod-openapi';
import type { BlobStore } from '../../blobs/index.js';
import { invalidRequest, notFound } from '../../http/index.js';
import { errorResponses } from '../api-schemas.js';
import { openApiRouter } from '../openapi-router.js';
import { ThumbnailCache } from '../thumbnail-cache.js';
import { callerScope, type BlobOwnership } from '../auth/index.js';
import { clientHoldsImmutable } from '../immutable-answer.js';
import { loadSharp } from '../../media/index.js';

const sha256ParamsSchema = z.object({
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'a sha256 is 64 lowercase hex digits')
    .openapi({ param: { name: 'sha256', in: 'path' } }),
});

/** Thumbnail widths on offer: a short list keeps the cache small and every URL cacheable forever. */
export const thumbnailWidths = [128, 256, 512] as const;

const getThumbnail = createRoute({
  method: 'get',
  path: '/v1/images/{sha256}/thumbnail',
  summary: 'A WebP thumbnail of an image, made on the server once and cached (immutable)',
  request: {
    params: sha256ParamsSchema,
    query: z.object({
      width: z.coerce
        .number()
        .int()
        .refine((width) => (thumbnailWidths as readonly number[]).includes(width), {
          message: `allowed widths are ${thumbnailWidths.join(', ')}`,
        })
        .optional()
        .openapi({ description: `Pixels: ${thumbnailWidths.join(', ')}. Default 256.` }),
    }),
  },
  responses: {
    200: {
      description: 'The thumbnail',
      content: { 'image/webp': { schema: z.string().openapi({ format: 'binary' }) } },
    },
    304: { description: 'Not modified (If-None-Match matched)' },
    ...errorResponses(400, 401, 404),
  },
});

const getProvenance = createRoute({
  method: 'get',
  path: '/v1/images/{sha256}/provenance',
  summary: 'The provenance record embedded in a generated image (models, platform, prompt hash, task)',
  request: { params: sha256ParamsSchema },
  responses: {
    200: {
      description: 'The provenance, or null fields when the image carries none',
      content: {
        'application/json': {
          schema: z.object({
            sha256: z.string(),
            mime_type: z.string(),
            bytes: z.number(),
            width: z.number().nullable(),
            height: z.number().nullable(),
            provenance: z
              .object({
                logical_model: z.string(),
                served_model: z.string(),
                platform: z.string(),
                prompt_sha256: z.string(),
                task_id: z.string(),
              })
              .nullable(),
          }),
        },
      },
    },
    ...errorResponses(400, 401, 404),
  },
});

/**
 * `GET /v1/images/{sha256}/thumbnail` and `/provenance`: views of a stored image, reachable exactly when
 * the image is (`GET /v1/images/{sha256}`): by the keys that own it; to anyone else it does not exist.
 */
export function imageDetailRoutes(options: {
  blobs: BlobStore;
  cache?: ThumbnailCache;
  /** With it, only the image's owners reach its views. Default: unchecked. */
  owners?: BlobOwnership | undefined;
}) {
  const cache = options.cache ?? new ThumbnailCache();
  const refuseUnreachable = async (scope: ReturnType<typeof callerScope>, sha256: string) => {
    if (options.owners && !(await options.owners.reachable(scope, sha256))) {
      throw notFound(`No image with sha256 ${sha256}.`, 'image_not_found');
    }
  };
  return openApiRouter()
    .openapi(getThumbnail, async (c) => {
      const { sha256 } = c.req.valid('param');
      // Before the ETag: a 304 for an image the caller may not see would confirm that it exists.
      await refuseUnreachable(callerScope(c), sha256);
      const width = c.req.valid('query').width ?? 256;
      const etag = `"${sha256}-w${width}"`;
      if (clientHoldsImmutable(c, etag)) return c.body(null, 304);
      const thumbnail = await cache.get(`${sha256}:${width}`, async () => {
        const blob = await options.blobs.get(sha256);
        if (!blob) return undefined;
        if (!blob.mimeType.startsWith('image/')) {
          throw invalidRequest(`${sha256} is ${blob.mimeType}, not an image.`, 'sha256');
        }
        const sharp = await loadSharp();
        return sharp(blob.bytes).resize({ width, withoutEnlargement: true }).webp({ quality: 80 }).toBuffer();
      });
      if (!thumbnail) throw notFound(`No image with sha256 ${sha256}.`, 'image_not_found');
      c.header('Content-Type', 'image/webp');
      c.header('X-Content-Type-Options', 'nosniff');
      return c.body(new Uint8Array(thumbnail), 200);
    })
    .openapi(getProvenance, async (c) => {
      const { sha256 } = c.req.valid('param');
      await refuseUnreachable(callerScope(c), sha256);
      const blob = await options.blobs.get(sha256);
      if (!blob) throw notFound(`No image with sha256 ${sha256}.`, 'image_not_found');
      const sharp = await loadSharp();
      const metadata = blob.mimeType.startsWith('image/')
        ? await sharp(blob.bytes)
            .metadata()
            .catch(() => undefined)
        : undefined;
      const provenance = options.blobs.readProvenance(blob.bytes);
      c.header('Cache-Control', 'public, max-age=31536000, immutable');
      return c.json(
        {
          sha256,
          mime_type: blob.mimeType,
          bytes: blob.bytes.length,
          width: metadata?.width ?? null,
          height: metadata?.height ?? null,
          provenance: provenance
            ? {
                logical_model: provenance.logicalModel,
                served_model: provenance.servedModel,
                platform: provenance.platform,
                prompt_sha256: provenance.promptSha256,
                task_id: provenance.taskId,
              }
            : null,
        },
        200,
      );
    });
}
