import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/index.js';
import { isStorageFault, rateLimitedLog, StorageHealth, storageUnavailable } from './storage-health.js';

const coded = (code: string) => Object.assign(new Error(code), { code });

describe('isStorageFault', () => {
  it('knows a full, read-only or failing disk from other errors, through causes', () => {
    for (const code of ['SQLITE_FULL', 'SQLITE_READONLY', 'SQLITE_IOERR_WRITE', 'ENOSPC', 'EROFS']) {
      expect(isStorageFault(coded(code)), code).toBe(true);
    }
    expect(isStorageFault(new Error('x', { cause: coded('ENOSPC') }))).toBe(true);
    expect(isStorageFault(coded('SQLITE_CONSTRAINT'))).toBe(false);
    expect(isStorageFault(new TypeError('x'))).toBe(false);
    expect(isStorageFault(undefined)).toBe(false);
  });

  it('answers 503 with Retry-After and the kind of fault, never a path', () => {
    const error = storageUnavailable(
      Object.assign(new Error('/srv/data/tasks.sqlite: full'), { code: 'ENOSPC' }),
    );
    expect(error.status).toBe(503);
    expect(error.headers['Retry-After']).toBe('30');
    expect(error.message).toContain('disk full (ENOSPC)');
    expect(error.message).not.toContain('/srv');
  });
});

describe('StorageHealth', () => {
  it('stays degraded for the window after a fault, then recovers', () => {
    const clock = new ManualClock(Date.UTC(2026, 5, 1));
    const health = new StorageHealth(clock);
    health.recordFault(coded('SQLITE_READONLY'));
    health.recovered();
    expect(health.degradedReason()).toBe('storage is read-only (SQLITE_READONLY)');
    clock.advance(30_000);
    health.recovered();
    expect(health.degradedReason()).toBeUndefined();
  });
});

describe('rateLimitedLog', () => {
  it('writes the same error once per interval and then says how many it held back', () => {
    const clock = new ManualClock(Date.UTC(2026, 5, 1));
    const lines: string[] = [];
    const log = rateLimitedLog((error: unknown) => lines.push(String(error)), clock, 60_000);
    for (let index = 0; index < 870; index += 1) {
      log(coded('database or disk is full'));
      clock.advance(240);
    }
    log(new Error('something else'));
    // 870 errors over 208.8 s: one line per started minute, each after the first with its count.
    expect(lines).toHaveLength(5);
    expect(lines[1]).toContain('identical errors not logged');
    expect(lines[4]).toContain('something else');
  });
});
