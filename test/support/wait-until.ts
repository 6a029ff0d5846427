/**
 * Waiting in tests with a deadline of its own: a wait that never ends fails with what it waited for,
 * instead of hanging until the runner's test timeout (which names no cause) or forever outside a test.
 * These use real timers; a test with an injected clock still waits on the wall clock here.
 */

export interface WaitOptions {
  /** What is awaited, for the failure message: "the webhook delivery of task_img_…". */
  what: string;
  /** Give up after this long (wall clock). */
  timeoutMs?: number;
  /** Pause between two checks. */
  intervalMs?: number;
}

const DEFAULT_TIMEOUT_MS = 20_000;
const DEFAULT_INTERVAL_MS = 20;

/**
 * Calls `check` until it returns a value other than `undefined`, `null` or `false`, and returns that
 * value; throws `timed out after … waiting for <what>` once `timeoutMs` has passed.
 */
export async function waitUntil<T>(
  check: () => T | Promise<T>,
  { what, timeoutMs = DEFAULT_TIMEOUT_MS, intervalMs = DEFAULT_INTERVAL_MS }: WaitOptions,
): Promise<Exclude<T, undefined | null | false>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== null && value !== false)
      return value as Exclude<T, undefined | null | false>;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** One `reader.read()`, failing with what was awaited if nothing (not even the end) arrives in time. */
export async function readWithin<T>(
  reader: ReadableStreamDefaultReader<T>,
  { what, timeoutMs = DEFAULT_TIMEOUT_MS }: Omit<WaitOptions, 'intervalMs'>,
): Promise<ReadableStreamReadResult<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`timed out after ${timeoutMs} ms reading ${what} from the stream`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([reader.read(), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Reads text chunks until `done(text so far)` holds, within one deadline for the whole wait; returns the
 * text read. Fails when the stream ends first or the deadline passes, quoting what was read.
 */
export async function readTextUntil(
  reader: ReadableStreamDefaultReader<string>,
  done: (text: string) => boolean,
  { what, timeoutMs = DEFAULT_TIMEOUT_MS }: Omit<WaitOptions, 'intervalMs'>,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  while (!done(text)) {
    const left = deadline - Date.now();
    const read = await readWithin(reader, { what, timeoutMs: Math.max(left, 1) }).catch((error: Error) => {
      throw new Error(`${error.message}; read so far: ${text.slice(-2_000)}`);
    });
    if (read.done) throw new Error(`the stream ended before ${what}; read: ${text.slice(-2_000)}`);
    text += read.value;
  }
  return text;
}
