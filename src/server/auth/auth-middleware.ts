import type { MiddlewareHandler } from 'hono';
import { ApiError, errorResponse } from '../../http/index.js';
import type { ApiKeyDirectory } from './api-key-directory.js';
import type { ApiKeyRecord } from './api-key-store.js';

/** The context variables the auth middleware sets; routes read `c.get('apiKey')`. */
export interface AuthEnv {
  Variables: { apiKey: ApiKeyRecord | undefined };
}

export interface AuthMiddlewareOptions {
  keys: ApiKeyDirectory;
  /**
   * Whether a request without a key is refused, fixed or asked per request (the server requires keys
   * once any exists). An invalid key is refused either way.
   */
  required: boolean | (() => boolean | Promise<boolean>);
}

const challenge = { 'WWW-Authenticate': 'Bearer realm="imagegate"' };

/**
 * Reads `Authorization: Bearer <secret>` and sets `apiKey` to the key's record (undefined when none was
 * sent and none is required). A key that is present but wrong or revoked is always a 401, even when keys
 * are optional: a client that sends a key expects it to count.
 */
export function createAuthMiddleware(options: AuthMiddlewareOptions): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    if (header === undefined || header.trim() === '') {
      if (typeof options.required === 'function' ? await options.required() : options.required) {
        return errorResponse(
          c,
          new ApiError(
            401,
            'authentication_error',
            'missing_api_key',
            'An API key is required: send "Authorization: Bearer igk_…" (create one with "imagegate keys create").',
            null,
            challenge,
          ),
        );
      }
      c.set('apiKey', undefined);
      return next();
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const record = match?.[1] ? await options.keys.verify(match[1]) : undefined;
    if (!record) {
      return errorResponse(
        c,
        new ApiError(
          401,
          'authentication_error',
          'invalid_api_key',
          match
            ? 'The API key is not valid or has been revoked.'
            : 'The Authorization header must be "Bearer <api key>".',
          null,
          challenge,
        ),
      );
    }
    c.set('apiKey', record);
    return next();
  };
}
