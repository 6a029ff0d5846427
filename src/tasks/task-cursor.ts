import { z } from 'zod';
import { ImagegateError } from '../errors/index.js';

/** Where a page of a newest-first listing ended: the last task's creation time and id. */
export interface TaskCursor {
  createdAtMs: number;
  id: string;
}

const cursorSchema = z.tuple([z.number().int().nonnegative(), z.string().min(1)]);

/** Thrown for a cursor that this store did not hand out. */
export class InvalidCursorError extends ImagegateError {
  constructor(readonly cursor: string) {
    super(
      'invalid_input',
      `cursor: "${cursor}" is not a cursor from a previous page; pass the nextCursor of the last page as is.`,
    );
  }
}

export function encodeTaskCursor(cursor: TaskCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAtMs, cursor.id]), 'utf8').toString('base64url');
}

export function decodeTaskCursor(text: string): TaskCursor {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError(text);
  }
  const parsed = cursorSchema.safeParse(json);
  if (!parsed.success) throw new InvalidCursorError(text);
  const [createdAtMs, id] = parsed.data;
  return { createdAtMs, id };
}
