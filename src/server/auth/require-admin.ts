import type { Context } from 'hono';
import { ApiError } from '../../http/index.js';
import type { AuthEnv } from './auth-middleware.js';
import type { ApiKeyRecord } from './api-key-store.js';

/** The caller's key when it is an admin key; otherwise a 403 (401 when no key was sent at all). */
export function requireAdmin(c: Context<AuthEnv>): ApiKeyRecord {
  const key = c.get('apiKey');
  if (!key) {
    throw new ApiError(
      401,
      'authentication_error',
      'missing_api_key',
      'Managing keys needs an admin API key: send "Authorization: Bearer igk_…".',
    );
  }
  if (!key.admin) {
    throw new ApiError(
      403,
      'permission_error',
      'admin_key_required',
      `The API key "${key.name}" is not an admin key; managing keys needs one (imagegate keys create --admin).`,
    );
  }
  return key;
}
