import { MAX_IMAGE_COUNT } from '../request/index.js';

/**
 * Every bound on what a caller sends or asks for, defined once. Routes, schemas, the error messages and
 * the table in docs/server.md ("Limits") derive from here; `input-limits.test.ts` checks the table.
 */

/**
 * Longest prompt in UTF-8 bytes. Gemini image models take 32 768–65 536 input tokens; at about four
 * bytes a token, 128 KiB already exceeds what any of them reads, so anything longer can only cost memory.
 */
export const MAX_PROMPT_BYTES = 128 * 1024;
/** `model`: logical names and model IDs are short; a long one is only ever a mistake or an attack. */
export const MAX_MODEL_NAME_LENGTH = 200;
/** Metadata is for the caller's own correlation ids, not for payloads. */
export const MAX_METADATA_KEYS = 16;
export const MAX_METADATA_KEY_LENGTH = 64;
export const MAX_METADATA_VALUE_LENGTH = 512;
/** `webhook_url` and http(s) references; browsers and proxies commonly stop near here. */
export const MAX_URL_LENGTH = 2048;
/** Most reference images any catalog model accepts; the registry refuses or trims per model. */
export const MAX_REFERENCE_IMAGES = 14;
/** Earlier turns in `contents` (a long conversation is still far below this). */
export const MAX_CONTENT_TURNS = 64;
/** Parts in one turn of `contents`. */
export const MAX_PARTS_PER_TURN = 32;
/** Arrays and objects inside one another in a JSON body; real requests nest about 6 deep. */
export const MAX_JSON_DEPTH = 32;
/** A JSON body of `POST /v1/images/generations`: room for references as data URLs. */
export const MAX_GENERATION_BODY_BYTES = 64 * 1024 * 1024;
/** `prompt` of the OpenAI-compatible endpoints, as on OpenAI's GPT image models. */
export const MAX_OPENAI_PROMPT_CHARACTERS = 32_000;
/** Images per OpenAI-compatible request: imagegate's limit, the request's own (OpenAI allows 10). */
export const MAX_OPENAI_IMAGE_COUNT = MAX_IMAGE_COUNT;
/** A JSON body of `POST /openai/v1/images/generations` (it carries no images). */
export const MAX_OPENAI_GENERATION_BODY_BYTES = 1024 * 1024;
/** A multipart body of `POST /openai/v1/images/edits` (the images included), unless the server sets another. */
export const DEFAULT_MAX_OPENAI_EDIT_BODY_BYTES = 64 * 1024 * 1024;
/** `Idempotency-Key` header. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
/** Tasks per page of `GET /v1/tasks`. */
export const MAX_TASK_PAGE_SIZE = 100;
export const DEFAULT_TASK_PAGE_SIZE = 20;
/** A page of `GET /v1/tasks` stops early (with `has_more`) once its JSON would pass this many bytes. */
export const MAX_LIST_PAGE_BYTES = 1024 * 1024;
/** Characters of a bad value quoted back in an error message; the rest is elided. */
export const MAX_QUOTED_VALUE_CHARS = 64;

/** One row of the limits table in docs/server.md. */
export interface InputLimitRow {
  what: string;
  limit: number;
  unit: 'bytes' | 'characters' | 'items' | 'levels' | 'keys';
  /** What happens past the limit: the status answered, or how the answer is cut. */
  past: '400' | '413' | 'the page ends early (`has_more`)' | 'the rest is elided';
}

/** The table in docs/server.md, row for row. */
export const inputLimitRows: readonly InputLimitRow[] = [
  { what: '`prompt`', limit: MAX_PROMPT_BYTES, unit: 'bytes', past: '400' },
  { what: '`model`', limit: MAX_MODEL_NAME_LENGTH, unit: 'characters', past: '400' },
  { what: '`metadata` keys', limit: MAX_METADATA_KEYS, unit: 'keys', past: '400' },
  { what: '`metadata` key length', limit: MAX_METADATA_KEY_LENGTH, unit: 'characters', past: '400' },
  { what: '`metadata` value length', limit: MAX_METADATA_VALUE_LENGTH, unit: 'characters', past: '400' },
  { what: '`webhook_url`, http(s) references', limit: MAX_URL_LENGTH, unit: 'characters', past: '400' },
  { what: '`images` / `reference_images`', limit: MAX_REFERENCE_IMAGES, unit: 'items', past: '400' },
  { what: '`contents` turns', limit: MAX_CONTENT_TURNS, unit: 'items', past: '400' },
  { what: 'parts in one turn of `contents`', limit: MAX_PARTS_PER_TURN, unit: 'items', past: '400' },
  { what: 'JSON nesting depth (any body)', limit: MAX_JSON_DEPTH, unit: 'levels', past: '400' },
  { what: 'JSON body of a generation', limit: MAX_GENERATION_BODY_BYTES, unit: 'bytes', past: '413' },
  {
    what: '`prompt` (OpenAI-compatible)',
    limit: MAX_OPENAI_PROMPT_CHARACTERS,
    unit: 'characters',
    past: '400',
  },
  { what: '`n` (OpenAI-compatible)', limit: MAX_OPENAI_IMAGE_COUNT, unit: 'items', past: '400' },
  {
    what: 'JSON body of an OpenAI-compatible generation',
    limit: MAX_OPENAI_GENERATION_BODY_BYTES,
    unit: 'bytes',
    past: '413',
  },
  {
    what: 'multipart body of an OpenAI-compatible edit',
    limit: DEFAULT_MAX_OPENAI_EDIT_BODY_BYTES,
    unit: 'bytes',
    past: '413',
  },
  { what: '`Idempotency-Key`', limit: MAX_IDEMPOTENCY_KEY_LENGTH, unit: 'characters', past: '400' },
  { what: '`limit` of `GET /v1/tasks`', limit: MAX_TASK_PAGE_SIZE, unit: 'items', past: '400' },
  {
    what: 'one page of `GET /v1/tasks`',
    limit: MAX_LIST_PAGE_BYTES,
    unit: 'bytes',
    past: 'the page ends early (`has_more`)',
  },
  {
    what: 'a bad value quoted in an error',
    limit: MAX_QUOTED_VALUE_CHARS,
    unit: 'characters',
    past: 'the rest is elided',
  },
];

/**
 * A value as an error message may quote it: JSON for short scalars, at most `MAX_QUOTED_VALUE_CHARS`
 * characters, and never a walk into nested structures (a 10 000-deep array must not overflow the stack
 * while the error that refuses it is written).
 */
export function quoteValue(value: unknown): string {
  if (typeof value === 'string') {
    if (value.length <= MAX_QUOTED_VALUE_CHARS) return JSON.stringify(value);
    return `${JSON.stringify(value.slice(0, MAX_QUOTED_VALUE_CHARS))}… (${value.length} characters)`;
  }
  if (Array.isArray(value)) return `(an array of ${value.length})`;
  if (value === null || typeof value !== 'object') return String(value);
  return '(an object)';
}

/**
 * The deepest nesting of arrays and objects in JSON text, read without parsing, so a body nested deeper
 * than anything can be refused before a recursive step sees it. Stops counting once past `limit`.
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 0x5c)
        index += 1; // a backslash escapes the next character
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) inString = true;
    else if (code === 0x5b || code === 0x7b) {
      depth += 1;
      if (depth > limit) return true;
    } else if (code === 0x5d || code === 0x7d) depth -= 1;
  }
  return false;
}
