import type { Clock } from '../clock/index.js';
import { ApiError, retryAfterHeader } from '../http/index.js';

/** SQLite result codes and errno codes that mean "the disk will not take writes", not "this request is bad". */
const storageFaultCodes = new Set([
  'SQLITE_FULL',
  'SQLITE_READONLY',
  'SQLITE_READONLY_DBMOVED',
  'SQLITE_READONLY_DIRECTORY',
  'SQLITE_READONLY_RECOVERY',
  'SQLITE_READONLY_CANTINIT',
  'SQLITE_READONLY_CANTLOCK',
  'SQLITE_READONLY_ROLLBACK',
  'SQLITE_IOERR',
  'SQLITE_IOERR_WRITE',
  'SQLITE_IOERR_FSYNC',
  'SQLITE_IOERR_SHMOPEN',
  'SQLITE_IOERR_SHMSIZE',
  'SQLITE_CANTOPEN',
  'SQLITE_BUSY',
  'ENOSPC',
  'EROFS',
  'EDQUOT',
  'EIO',
  'EACCES',
  'EPERM',
]);

/** When clients should come back after a storage fault: long enough for an operator, short for a blip. */
export const STORAGE_RETRY_AFTER_MS = 30_000;
/** After a fault, /healthz reports degraded for this long even if a probe passes (writes may still fail). */
export const STORAGE_FAULT_WINDOW_MS = 30_000;

/** Whether an error is the disk refusing writes (full, read-only, I/O error, permission). */
export function isStorageFault(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && storageFaultCodes.has(code)) return true;
  const cause = (error as { cause?: unknown }).cause;
  return cause !== undefined && cause !== error && isStorageFault(cause);
}

/** A short description of a storage fault for /healthz and logs: the code, never a path or a prompt. */
export function storageFaultReason(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const cause = (error as { cause?: unknown }).cause;
  if (typeof code === 'string' && storageFaultCodes.has(code)) return describeCode(code);
  return cause !== undefined && cause !== error ? storageFaultReason(cause) : 'storage error';
}

function describeCode(code: string): string {
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') return `disk full (${code})`;
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS') return `storage is read-only (${code})`;
  if (code === 'EACCES' || code === 'EPERM') return `storage permission denied (${code})`;
  if (code === 'SQLITE_BUSY') return `database locked by another process (${code})`;
  return `storage I/O error (${code})`;
}

/** The answer to a request that hit a storage fault: 503, nothing was acknowledged, come back later. */
export function storageUnavailable(error: unknown): ApiError {
  return new ApiError(
    503,
    'service_unavailable',
    'storage_unavailable',
    `The server cannot store anything right now (${storageFaultReason(error)}); nothing was accepted. Retry later.`,
    null,
    retryAfterHeader(STORAGE_RETRY_AFTER_MS),
  );
}

/**
 * What the server has seen of its storage lately, for /healthz: the last fault and when, cleared once
 * the window has passed and a write probe succeeds again (the server recovers by itself).
 */
export class StorageHealth {
  private lastFault: { reason: string; atMs: number } | undefined;

  constructor(private readonly clock: Clock) {}

  recordFault(error: unknown): void {
    this.lastFault = { reason: storageFaultReason(error), atMs: this.clock.nowMs() };
  }

  /** The reason storage counts as degraded now, or undefined when it does not. */
  degradedReason(): string | undefined {
    const fault = this.lastFault;
    if (!fault) return undefined;
    if (this.clock.nowMs() - fault.atMs >= STORAGE_FAULT_WINDOW_MS) return undefined;
    return fault.reason;
  }

  /** A probe passed after the window: forget the fault. */
  recovered(): void {
    if (this.degradedReason() === undefined) this.lastFault = undefined;
  }
}

/**
 * Wraps a log function so the same message is written at most once per `intervalMs`; the next write
 * after a quiet interval says how many were held back. A full disk fails every poll of every loop, and
 * hundreds of identical lines a minute bury the one that matters.
 */
export function rateLimitedLog<Args extends unknown[]>(
  log: (error: unknown, ...rest: Args) => void,
  clock: Clock,
  intervalMs = 60_000,
): (error: unknown, ...rest: Args) => void {
  const seen = new Map<string, { lastMs: number; suppressed: number }>();
  return (error, ...rest) => {
    const key = error instanceof Error ? `${error.name}:${error.message}` : String(error);
    const nowMs = clock.nowMs();
    const entry = seen.get(key);
    if (entry && nowMs - entry.lastMs < intervalMs) {
      entry.suppressed += 1;
      return;
    }
    const suppressed = entry?.suppressed ?? 0;
    seen.set(key, { lastMs: nowMs, suppressed: 0 });
    // Bounded: a stream of distinct messages must not grow this map without end.
    if (seen.size > 1000) seen.delete(seen.keys().next().value as string);
    if (suppressed === 0) return log(error, ...rest);
    log(new Error(`${key} (and ${suppressed} identical errors not logged)`, { cause: error }), ...rest);
  };
}
