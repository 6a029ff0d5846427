import { OpenAPIHono } from '@hono/zod-openapi';
import { validationHook } from './api-error.js';

/** Per-request values set by middleware. */
export interface ServerEnv {
  Variables: {
    /** The authenticated key (id and limits, never the secret); undefined when auth is off or absent. */
    apiKey?: { id: string; name: string; rateLimitPerMinute?: number; monthlyBudgetUsd?: number };
  };
}

/** A router whose validation failures answer our 400 shape; every route file starts from one. */
export function openApiRouter(): OpenAPIHono<ServerEnv> {
  return new OpenAPIHono<ServerEnv>({ defaultHook: validationHook });
}
