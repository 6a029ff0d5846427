import { invalidArgument, invalidJson, payloadTooLarge } from './api-errors.js';

/**
 * Reading request bodies the way Google's front end does: a size limit checked before and while
 * reading, JSON only (snake_case keys accepted and turned into camelCase), and 400s in Google's words
 * for anything else — never an exception that escapes.
 */

/** Reads the whole body, refusing it once it is larger than `maxBytes`. */
export async function readBodyBytes(request: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? '');
  if (Number.isFinite(declared) && declared > maxBytes) throw payloadTooLarge(maxBytes);
  if (!request.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw payloadTooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** Whether a Content-Type header names JSON (or is absent, which Google tolerates). */
export function isJsonContentType(contentType: string | undefined | null): boolean {
  if (!contentType) return true;
  const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
  return mediaType === '' || mediaType === 'application/json' || mediaType.endsWith('+json');
}

/** Parses a JSON object body; an empty body reads as `{}`. Keys come back as sent (see camelCaseKeys). */
export function parseJsonObject(
  bytes: Uint8Array,
  contentType: string | undefined | null,
): Record<string, unknown> {
  if (!isJsonContentType(contentType)) {
    throw invalidArgument(
      `Invalid Content-Type "${contentType}": this method accepts a JSON body (Content-Type: application/json).`,
    );
  }
  const text = Buffer.from(bytes).toString('utf8');
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw invalidJson(`Unexpected token.\n${excerptAtError(text, error)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalidJson(
      `Expected a JSON object at the top level, got ${Array.isArray(parsed) ? 'an array' : typeof parsed}.`,
    );
  }
  return parsed as Record<string, unknown>;
}

/** Shows the text around the parse failure with a caret under it, as Google's parser message does. */
function excerptAtError(text: string, error: unknown): string {
  const position = /position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1];
  const index = Math.min(Number(position ?? text.length - 1), Math.max(0, text.length - 1));
  const start = Math.max(0, index - 30);
  const excerpt = text.slice(start, index + 10).replace(/\s/g, ' ');
  return `${excerpt}\n${' '.repeat(index - start)}^`;
}

function snakeToCamel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/**
 * The REST API accepts proto field names in snake_case as well as JSON camelCase; normalising keys
 * once lets every schema be written in camelCase. `metadata` objects are user data and kept as sent.
 */
export function camelCaseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => camelCaseKeys(item));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => {
      const camelKey = snakeToCamel(key);
      return [camelKey, camelKey === 'metadata' ? item : camelCaseKeys(item)];
    }),
  );
}
