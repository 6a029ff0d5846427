import { errorDescriptions, type ErrorStatus } from './api-schemas.js';

/**
 * The answers the app-wide middleware gives on any route, besides what each route documents itself:
 * auth and the rate limit (401, 429) everywhere but the open paths, the JSON depth guard (400) on every
 * POST, the body limits (413) on bodies, and storage faults (503) wherever the store is touched.
 * `createServerApp` mounts the middleware and documents these from this one list.
 */
export function sharedAnswers(
  method: string,
  path: string,
  options: { keys: boolean; openPaths: ReadonlySet<string> },
): ErrorStatus[] {
  if (options.openPaths.has(path)) return [];
  const statuses: ErrorStatus[] = [503];
  if (options.keys) statuses.push(401, 429);
  if (method.toLowerCase() === 'post') statuses.push(400, 413);
  return statuses;
}

interface OpenApiDocumentShape {
  paths?: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
}

/** Adds the shared answers to every operation of a generated OpenAPI document (in place). */
export function documentSharedAnswers<Document extends object>(
  document: Document,
  options: { keys: boolean; openPaths: ReadonlySet<string> },
): Document {
  // The generator's types do not index path items by method; the shape read here is plain JSON.
  const paths = (document as OpenApiDocumentShape).paths ?? {};
  for (const [path, operations] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const responses = (operation.responses ??= {});
      for (const status of sharedAnswers(method, path, options)) {
        responses[String(status)] ??= {
          description: errorDescriptions[status],
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        };
      }
    }
  }
  return document;
}
