import type { MiddlewareHandler } from 'hono';
import { uploadResponseHeaders } from './files/resumable-upload.js';

/**
 * Cross-origin access like Google's front end gives the Gemini API, which browser apps call directly
 * (`@google/genai` runs in the browser): a preflight is answered 200 without a key, echoing the origin
 * and the headers asked for, and every answer, errors included, names the caller's origin so the page
 * can read it. The resumable-upload headers are exposed because the SDK reads them in the browser too.
 */

export const corsAllowedMethods = 'DELETE,GET,OPTIONS,PATCH,POST,PUT';
/** How long a browser may cache a preflight, in seconds. */
export const corsMaxAgeSeconds = 3600;
/** The upload headers, and the `Retry-After` a scenario can add to refusals. */
export const corsExposedHeaders = [...Object.values(uploadResponseHeaders), 'retry-after'].join(',');

function isPreflight(request: Request): boolean {
  return (
    request.method === 'OPTIONS' &&
    request.headers.has('origin') &&
    request.headers.has('access-control-request-method')
  );
}

/** Answers preflights and adds the CORS headers to every response to a request that names an origin. */
export function corsMiddleware(): MiddlewareHandler {
  return async (context, next) => {
    const origin = context.req.header('origin');
    if (isPreflight(context.req.raw)) {
      return new Response(null, {
        status: 200,
        headers: {
          'access-control-allow-origin': origin!,
          'access-control-allow-methods': corsAllowedMethods,
          'access-control-allow-headers': context.req.header('access-control-request-headers') ?? '',
          'access-control-max-age': String(corsMaxAgeSeconds),
          vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
        },
      });
    }
    await next();
    if (origin === undefined) return;
    // Handlers build Response objects whose headers may be immutable; copy them into a fresh one.
    const response = context.res;
    const headers = new Headers(response.headers);
    headers.set('access-control-allow-origin', origin);
    headers.set('access-control-expose-headers', corsExposedHeaders);
    headers.append('vary', 'Origin');
    context.res = new Response(response.body, {
      status: response.status,
      statusText: response.statusText,
      headers,
    });
  };
}
