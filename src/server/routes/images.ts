import { createRoute, z } from '@hono/zod-openapi';
import type { BlobStore } from '../../blobs/index.js';
import { notFound } from '../../http/index.js';
import { errorResponses } from '../api-schemas.js';
import { callerScope, type BlobOwnership } from '../auth/index.js';
import { openApiRouter } from '../openapi-router.js';
import { clientHoldsImmutable } from '../immutable-answer.js';

const getImage = createRoute({
  method: 'get',
  path: '/v1/images/{sha256}',
  summary: 'An image by the SHA-256 of its bytes (immutable: cache it forever)',
  request: {
    params: z.object({
      sha256: z
        .string()
        .regex(/^[0-9a-f]{64}$/, 'a sha256 is 64 lowercase hex digits')
        .openapi({ param: { name: 'sha256', in: 'path' } }),
    }),
  },
  responses: {
    200: {
      description: 'The image bytes',
      content: { 'image/png': { schema: z.string().openapi({ format: 'binary' }) } },
    },
    304: { description: 'Not modified (If-None-Match matched)' },
    ...errorResponses(400, 401, 404),
  },
});

/** `GET /v1/images/{sha256}`: the address is the content, so the answer never changes. */
export function imageRoutes(options: {
  blobs: BlobStore;
  /** With it, an image reaches only the keys that own it; to others it does not exist. Default: unchecked. */
  owners?: BlobOwnership | undefined;
}) {
  return openApiRouter().openapi(getImage, async (c) => {
    const { sha256 } = c.req.valid('param');
    const etag = `"${sha256}"`;
    // Existence first: a 304 for any well-formed hash would tell nothing true and cache a 404 as fresh.
    const reachable = options.owners ? await options.owners.reachable(callerScope(c), sha256) : true;
    const blob = reachable ? await options.blobs.get(sha256) : undefined;
    if (!blob) throw notFound(`No image with sha256 ${sha256}.`, 'image_not_found');
    if (clientHoldsImmutable(c, etag)) return c.body(null, 304);
    c.header('Content-Type', blob.mimeType);
    // The type came from sniffing the bytes at upload; browsers must not second-guess it into HTML.
    c.header('X-Content-Type-Options', 'nosniff');
    return c.body(new Uint8Array(blob.bytes), 200);
  });
}
