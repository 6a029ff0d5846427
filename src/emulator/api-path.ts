import type { Platform } from '../catalog/index.js';

/**
 * Turns a request path into the API operation it names. The emulator accepts any prefix before the
 * version segment (`/prefix/v1beta/models`) because the SDK keeps a base-URL path prefix, and a
 * version of `v1`, `v1beta`, `v1alpha` or Vertex's `v1beta1`.
 */

export const apiVersions = ['v1', 'v1beta', 'v1alpha', 'v1beta1'] as const;
export type ApiVersion = (typeof apiVersions)[number];

/** Every operation the emulator serves, named like `EmulatedMethod` in the faults module. */
export type ApiOperation =
  | { method: 'models.list' }
  | { method: 'models.get'; modelId: string }
  | {
      method: 'generateContent' | 'streamGenerateContent' | 'countTokens' | 'batchGenerateContent';
      modelId: string;
    }
  /** A `models/{id}:{verb}` call with a verb the emulator does not serve (e.g. `:predict`). */
  | { method: 'unsupported-model-method'; modelId: string; verb: string }
  | { method: 'files.upload' }
  | { method: 'files.list' }
  | { method: 'files.get' | 'files.delete' | 'files.download'; fileId: string }
  | { method: 'batches.list' }
  | { method: 'batches.get' | 'batches.cancel' | 'batches.delete'; batchId: string };

export interface ParsedApiPath {
  /** Everything before the version (or `upload`) segment, with a leading slash, or '' for none. */
  prefix: string;
  version: ApiVersion;
  /** `vertex-ai` for `publishers/…` and `projects/…/locations/…` paths, else `gemini-api`. */
  platform: Platform;
  /** The Vertex project and location when the path carries them. */
  vertexProject?: string;
  vertexLocation?: string;
  operation: ApiOperation;
}

const modelVerbs = [
  'generateContent',
  'streamGenerateContent',
  'countTokens',
  'batchGenerateContent',
] as const;

function isApiVersion(segment: string | undefined): segment is ApiVersion {
  return (apiVersions as readonly string[]).includes(segment ?? '');
}

/** Splits `name:verb` into its two halves; a name without a colon has an empty verb. */
function splitVerb(segment: string): { name: string; verb: string } {
  const colon = segment.indexOf(':');
  return colon < 0
    ? { name: segment, verb: '' }
    : { name: segment.slice(0, colon), verb: segment.slice(colon + 1) };
}

function modelOperation(httpMethod: string, rest: string[]): ApiOperation | undefined {
  if (rest.length === 0) return httpMethod === 'GET' ? { method: 'models.list' } : undefined;
  if (rest.length !== 1) return undefined;
  const { name, verb } = splitVerb(rest[0]!);
  if (name === '') return undefined;
  if (verb === '') return httpMethod === 'GET' ? { method: 'models.get', modelId: name } : undefined;
  if (httpMethod !== 'POST') return undefined;
  const known = modelVerbs.find((candidate) => candidate === verb);
  return known
    ? { method: known, modelId: name }
    : { method: 'unsupported-model-method', modelId: name, verb };
}

function fileOperation(httpMethod: string, rest: string[]): ApiOperation | undefined {
  if (rest.length === 0) return httpMethod === 'GET' ? { method: 'files.list' } : undefined;
  if (rest.length !== 1) return undefined;
  const { name, verb } = splitVerb(rest[0]!);
  if (name === '') return undefined;
  if (verb === 'download' && httpMethod === 'GET') return { method: 'files.download', fileId: name };
  if (verb !== '') return undefined;
  if (httpMethod === 'GET') return { method: 'files.get', fileId: name };
  if (httpMethod === 'DELETE') return { method: 'files.delete', fileId: name };
  return undefined;
}

function batchOperation(httpMethod: string, rest: string[]): ApiOperation | undefined {
  if (rest.length === 0) return httpMethod === 'GET' ? { method: 'batches.list' } : undefined;
  if (rest.length !== 1) return undefined;
  const { name, verb } = splitVerb(rest[0]!);
  if (name === '') return undefined;
  if (verb === 'cancel' && httpMethod === 'POST') return { method: 'batches.cancel', batchId: name };
  if (verb !== '') return undefined;
  if (httpMethod === 'GET') return { method: 'batches.get', batchId: name };
  if (httpMethod === 'DELETE') return { method: 'batches.delete', batchId: name };
  return undefined;
}

/** `publishers/google/models/...` and `projects/p/locations/l/publishers/google/models/...` (Vertex AI). */
function vertexOperation(
  httpMethod: string,
  segments: string[],
): Pick<ParsedApiPath, 'operation' | 'vertexProject' | 'vertexLocation'> | undefined {
  let rest = segments;
  let vertexProject: string | undefined;
  let vertexLocation: string | undefined;
  if (rest[0] === 'projects') {
    if (rest[2] !== 'locations' || !rest[1] || !rest[3]) return undefined;
    vertexProject = rest[1];
    vertexLocation = rest[3];
    rest = rest.slice(4);
  }
  if (rest[0] !== 'publishers' || !rest[1] || rest[2] !== 'models') return undefined;
  const operation = modelOperation(httpMethod, rest.slice(3));
  if (!operation) return undefined;
  return {
    operation,
    ...(vertexProject !== undefined ? { vertexProject } : {}),
    ...(vertexLocation !== undefined ? { vertexLocation } : {}),
  };
}

function operationAfterVersion(
  httpMethod: string,
  segments: string[],
): Pick<ParsedApiPath, 'operation' | 'platform' | 'vertexProject' | 'vertexLocation'> | undefined {
  const [collection, ...rest] = segments;
  switch (collection) {
    case 'models': {
      const operation = modelOperation(httpMethod, rest);
      return operation && { operation, platform: 'gemini-api' };
    }
    case 'files': {
      const operation = fileOperation(httpMethod, rest);
      return operation && { operation, platform: 'gemini-api' };
    }
    case 'batches': {
      const operation = batchOperation(httpMethod, rest);
      return operation && { operation, platform: 'gemini-api' };
    }
    case 'projects':
    case 'publishers': {
      const vertex = vertexOperation(httpMethod, segments);
      return vertex && { ...vertex, platform: 'vertex-ai' };
    }
    default:
      return undefined;
  }
}

/**
 * Parses an HTTP method and URL path (already percent-decoded or not; segments are decoded here).
 * Returns `undefined` for a path the emulator does not serve.
 */
export function parseApiPath(httpMethod: string, pathname: string): ParsedApiPath | undefined {
  const method = httpMethod.toUpperCase();
  const segments = pathname
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => safeDecode(segment));
  for (let index = 0; index < segments.length; index++) {
    const segment = segments[index];
    const prefix = segments.length > 0 && index > 0 ? `/${segments.slice(0, index).join('/')}` : '';
    if (segment === 'upload' && isApiVersion(segments[index + 1]) && segments[index + 2] === 'files') {
      if (segments.length !== index + 3 || method !== 'POST') return undefined;
      return {
        prefix,
        version: segments[index + 1] as ApiVersion,
        platform: 'gemini-api',
        operation: { method: 'files.upload' },
      };
    }
    if (isApiVersion(segment)) {
      const parsed = operationAfterVersion(method, segments.slice(index + 1));
      if (parsed) return { prefix, version: segment, ...parsed };
    }
  }
  return undefined;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
