import type { MiddlewareHandler } from 'hono';
import { ApiError, errorResponse, retryAfterHeader } from '../http/index.js';
import { DEPENDENCY_RETRY_AFTER_MS, type DependencyHealth } from './dependency-health.js';

/** Errors that mean "PostgreSQL (or another dependency) is not reachable right now", not "bad request". */
const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01', // admin_shutdown: PostgreSQL is restarting
  '57P02',
  '57P03', // cannot_connect_now: starting up
]);

export function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && (CONNECTION_ERROR_CODES.has(code) || code.startsWith('08'))) return true;
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
    message,
  );
}

function unavailable(name: string): ApiError {
  return new ApiError(
    503,
    'api_error',
    'dependency_unavailable',
    `The server cannot reach ${name} right now; nothing was stored. Retry after the time in Retry-After.`,
    null,
    retryAfterHeader(DEPENDENCY_RETRY_AFTER_MS),
  );
}

/**
 * Answers 503 with Retry-After instead of running a request while a dependency is known to be down,
 * and turns a request that failed on a lost connection into the same 503 (marking the dependency down
 * so the next requests are answered at once, until the background check sees it back).
 */
export function createDependencyGate(health: DependencyHealth, primary: string): MiddlewareHandler {
  return async (c, next) => {
    const down = health.firstDown();
    if (down) return errorResponse(c, unavailable(down));
    await next();
    if (c.error && isConnectionError(c.error)) {
      health.reportFailure(primary, c.error);
      const error = unavailable(primary);
      // Replaces the app error handler's 500 whole (none of its headers kept). Not through errorResponse:
      // once `c.res` is unset, Hono's `c.header` throws, which turned this 503 into a 500.
      c.res = undefined;
      c.res = Response.json(error.body, { status: error.status, headers: error.headers });
    }
  };
}
