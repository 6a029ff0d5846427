import { OpenAPIHono } from '@hono/zod-openapi';
import { validationHook } from '../http/index.js';
import type { AuthEnv } from './auth/index.js';

/** Per-request values set by middleware: `apiKey` (never the secret), undefined when none was sent. */
export type ServerEnv = AuthEnv;

/** A router whose validation failures answer our 400 shape; every route file starts from one. */
export function openApiRouter(): OpenAPIHono<ServerEnv> {
  return new OpenAPIHono<ServerEnv>({ defaultHook: validationHook });
}
