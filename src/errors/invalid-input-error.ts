import type { z } from 'zod';
import { ImagegateError } from './imagegate-error.js';

/** Input the caller must fix before anything is sent. Names the field, the value and what is allowed. */
export class InvalidInputError extends ImagegateError {
  constructor(message: string, field?: string) {
    super('invalid_input', message, field === undefined ? {} : { field });
  }
}

/** Parses with a zod schema and turns the first problems into one readable message. */
export function parseInput<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  what: string,
): z.output<Schema> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.slice(0, 5).map((issue) => {
    const field = issue.path.join('.') || '(input)';
    const received = valueAt(value, issue.path);
    const shown = received === undefined ? '' : ` (got ${JSON.stringify(received)})`;
    return `${field}: ${issue.message}${shown}`;
  });
  const field = parsed.error.issues[0]?.path.join('.');
  throw new InvalidInputError(`Invalid ${what}: ${lines.join('; ')}`, field || undefined);
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  if (current instanceof Uint8Array) return `<${current.byteLength} bytes>`;
  return current;
}
