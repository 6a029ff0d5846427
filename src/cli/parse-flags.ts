import { z } from 'zod';
import { InvalidInputError } from '../client/index.js';

/**
 * Validates commander's option values with a zod schema. The error speaks of the flag as typed
 * (`--top-p "7"`), a short prefix of the value and what is allowed, never of the option's name in code.
 */
export function parseFlags<Schema extends z.ZodType>(
  schema: Schema,
  raw: Record<string, unknown>,
): z.output<Schema> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.slice(0, 3).map((issue) => {
    const key = String(issue.path[0] ?? '');
    const value = raw[key];
    const shown = value === undefined ? '' : ` ${shortValue(value)}`;
    return `${flagName(key)}${shown}: ${issue.message}`;
  });
  const key = parsed.error.issues[0]?.path[0];
  throw new InvalidInputError(lines.join('; '), key === undefined ? undefined : String(key));
}

/** `topP` → `--top-p`: commander's camelCase option key back to the flag the user typed. */
export function flagName(key: string): string {
  return key === '' ? 'flags' : `--${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

function shortValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

const textSchema = z.string().trim().min(1);

/** A positional argument or flag that must hold some text, e.g. `<prompt>`; the error names it. */
export function parseText(value: unknown, name: string, what: string): string {
  const parsed = textSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new InvalidInputError(`${name} is empty: give ${what}`, name);
}
