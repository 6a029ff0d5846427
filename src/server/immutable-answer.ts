import type { Context } from 'hono';

/**
 * Marks an answer that never changes (it is addressed by the sha256 of its bytes) as cacheable for a year,
 * and tells whether the client already holds this version, in which case the route answers 304.
 */
export function clientHoldsImmutable(c: Context, etag: string): boolean {
  c.header('Cache-Control', 'public, max-age=31536000, immutable');
  c.header('ETag', etag);
  return (
    c.req
      .header('If-None-Match')
      ?.split(',')
      .some((tag) => tag.trim() === etag) ?? false
  );
}
