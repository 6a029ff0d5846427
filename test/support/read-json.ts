/**
 * Typed reads of HTTP response bodies in tests: the body is checked against a zod schema (the server's own
 * from `src/server/api-schemas.ts` where one exists, else a narrow one below), and a body that does not
 * match fails the test with its status, the schema's complaints and the body itself.
 */
import { z } from 'zod';
import type { ApiErrorBody, ApiErrorType } from '../../src/http/index.js';
import {
  deprecationSchema,
  guardSchema,
  logicalModelSchema,
  modelSchema,
  taskSchema,
} from '../../src/server/api-schemas.js';

/** Longest piece of a body quoted in a failure message. */
const QUOTED_BODY_CHARS = 2_000;

/**
 * Parses `response`'s JSON body and checks it against `schema`. The value returned is the body as sent,
 * typed by the schema: keys the schema does not name are kept, so assertions about the whole body (or
 * about a key being absent) see exactly what the server answered.
 */
export async function readJson<Schema extends z.ZodType>(
  response: Response,
  schema: Schema,
): Promise<z.infer<Schema>> {
  return parseJsonText(await response.text(), schema, `HTTP ${response.status}`);
}

/** As `readJson`, for a JSON text read some other way (an SSE frame's data, a child's stdout line). */
export function parseJsonText<Schema extends z.ZodType>(
  text: string,
  schema: Schema,
  source = 'the text',
): z.infer<Schema> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`${source}: expected a JSON body, got: ${text.slice(0, QUOTED_BODY_CHARS)}`);
  }
  const checked = schema.safeParse(body);
  if (!checked.success) {
    throw new Error(
      `${source}: the body does not match the expected schema:\n${z.prettifyError(checked.error)}\nbody: ${text.slice(0, QUOTED_BODY_CHARS)}`,
    );
  }
  // The schemas used here have no transforms or defaults, so the body as sent has the inferred type.
  return body as z.infer<Schema>;
}

const apiErrorTypes = [
  'invalid_request_error',
  'authentication_error',
  'permission_error',
  'not_found_error',
  'conflict_error',
  'request_too_large',
  'rate_limit_exceeded',
  'unsupported_media_type',
  'service_unavailable',
  'api_error',
] as const satisfies readonly ApiErrorType[];
// Fails to compile when ApiErrorType gains a member this list lacks.
const everyApiErrorTypeListed: [Exclude<ApiErrorType, (typeof apiErrorTypes)[number]>] extends [never]
  ? true
  : false = true;
void everyApiErrorTypeListed;

/** `{error: {type, code, message, param}}`, the shape of every HTTP error answer (`ApiErrorBody`). */
export const apiErrorBodySchema = z.object({
  error: z.object({
    type: z.enum(apiErrorTypes),
    code: z.string(),
    message: z.string(),
    param: z.string().nullable(),
  }),
}) satisfies z.ZodType<ApiErrorBody>;

/** Reads an error answer, failing the test with the body when it is not in the error shape. */
export async function readError(response: Response): Promise<ApiErrorBody> {
  return readJson(response, apiErrorBodySchema);
}

/** A task as `GET /v1/tasks/{id}` answers it. */
export { taskSchema };

/** `GET /v1/tasks`: one page of tasks. */
export const taskPageSchema = z.object({
  object: z.literal('list'),
  data: z.array(taskSchema),
  has_more: z.boolean(),
  next_cursor: z.string().nullable(),
});

/** `GET /v1/models`. */
export const modelListSchema = z.object({
  object: z.literal('list'),
  data: z.array(modelSchema),
  logical_names: z.array(logicalModelSchema),
});

/** `GET /v1/models/deprecations`. */
export const deprecationListSchema = z.object({
  object: z.literal('list'),
  data: z.array(deprecationSchema),
  guard: guardSchema,
});

/** `GET /v1/models/{name}`: a catalog model or a logical name. */
export const modelOrLogicalSchema = z.union([modelSchema, logicalModelSchema]);

/** `POST /v1/files`. */
export const fileSchema = z.object({
  id: z.string(),
  object: z.literal('file'),
  bytes: z.number(),
  mime_type: z.string(),
  sha256: z.string(),
  created_at: z.number(),
});

const dependencyStatusSchema = z.record(
  z.string(),
  z.object({ ok: z.boolean(), reason: z.string().optional(), sinceMs: z.number() }),
);

/** `GET /healthz`, healthy (200) or degraded (503). */
export const healthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  reason: z.string().optional(),
  version: z.string(),
  target: z.string(),
  dependencies: dependencyStatusSchema.optional(),
});

const openApiOperationSchema = z.object({
  requestBody: z
    .object({
      content: z.record(
        z.string(),
        z.object({
          schema: z.object({ properties: z.record(z.string(), z.unknown()).optional() }).optional(),
        }),
      ),
    })
    .optional(),
  responses: z.record(z.string(), z.unknown()),
});

/** The parts of `/openapi.json` tests read: the version, and each path's operations by method. */
export const openApiDocumentSchema = z.object({
  openapi: z.string(),
  paths: z.record(
    z.string(),
    z.object({
      get: openApiOperationSchema.optional(),
      post: openApiOperationSchema.optional(),
      put: openApiOperationSchema.optional(),
      patch: openApiOperationSchema.optional(),
      delete: openApiOperationSchema.optional(),
    }),
  ),
});
