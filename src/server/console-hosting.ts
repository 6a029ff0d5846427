import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context } from 'hono';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { ServerEnv } from './openapi-router.js';

/** Where `npm run build` puts the console: `dist/console` of the package (the same from `src/` and `dist/`). */
export const defaultConsoleDirectory = fileURLToPath(new URL('../../dist/console/', import.meta.url));

/** Paths the API owns: the console's fallback never answers them, so an unknown API path stays a JSON 404. */
const apiPrefixes = ['/v1/', '/openai/', '/healthz', '/metrics', '/openapi.json', '/docs'];

/**
 * Whether a path belongs to the console (its page and static files) rather than the API. These are
 * served without a key: they hold no data, and the page is where a key is entered in the first place.
 */
export function isConsolePath(path: string): boolean {
  let decoded: string;
  try {
    // The router matches decoded paths: `/%761/tasks` must count as the API path it reaches.
    decoded = decodeURIComponent(path);
  } catch {
    return false;
  }
  return !apiPrefixes.some((prefix) => decoded === prefix.replace(/\/$/, '') || decoded.startsWith(prefix));
}

const contentTypes: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** Vite's hashed file names (`index-B2x9kQ1a.js`): their content never changes, so they are cached forever. */
const hashedAssetPath = /^\/assets\/[\w.-]+-[\w-]{8,}\.\w+$/;

/**
 * Serves the built web console: files under its directory as they are (hashed assets with immutable
 * cache headers), and `index.html` (never cached) for every other GET that is not an API path, so the
 * single-page app's own routes (`/tasks/…`) load on a refresh. Register it after every API route.
 */
export function mountConsole(app: OpenAPIHono<ServerEnv>, directory: string = defaultConsoleDirectory): void {
  const root = normalize(directory.endsWith(sep) ? directory : directory + sep);
  app.get('*', async (c, next) => {
    if (!isConsolePath(c.req.path)) return next();
    const path = decodeURIComponent(c.req.path);
    const file = normalize(join(root, path));
    if (file.startsWith(root) && path !== '/' && (await isFile(file))) {
      const cacheControl = hashedAssetPath.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache';
      return sendFile(c, file, cacheControl);
    }
    if (path.startsWith('/assets/')) return next();
    const index = join(root, 'index.html');
    if (!(await isFile(index))) {
      return c.html(
        '<!doctype html><html lang="en"><title>imagegate</title><p>The web console is not built: run <code>npm run build</code>. The API is at <a href="/docs">/docs</a>.</p></html>',
        200,
      );
    }
    return sendFile(c, index, 'no-cache');
  });
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}

async function sendFile(c: Context<ServerEnv>, path: string, cacheControl: string): Promise<Response> {
  const bytes = await readFile(path);
  c.header('Content-Type', contentTypes[extname(path)] ?? 'application/octet-stream');
  c.header('Cache-Control', cacheControl);
  c.header('X-Content-Type-Options', 'nosniff');
  return c.body(new Uint8Array(bytes), 200);
}
