import { describe, expect, it } from 'vitest';
import { PostgresRowVersions } from './postgres-row-versions.js';
import { created } from './task-transitions.js';
import type { TaskRecord } from './task-record.js';

const startMs = Date.UTC(2026, 2, 1, 12);

function processing(id: string): TaskRecord {
  const record = created({
    id,
    request: {
      model: 'image_fast',
      prompt: 'p',
      outputFormat: 'png',
      references: [],
      history: [],
      imageCount: 1,
    },
    metadata: {},
    createdAtMs: startMs,
  });
  return { ...record, status: 'processing', leaseOwner: 'worker-a', leaseExpiresAtMs: startMs + 30_000 };
}

describe('PostgresRowVersions', () => {
  it('remembers the last version of a processing task and forgets a task that left processing', () => {
    const versions = new PostgresRowVersions();
    versions.remember({ record: processing('task_a'), version: '10' });
    versions.remember({ record: processing('task_a'), version: '11' });
    expect(versions.get('task_a')?.version).toBe('11');

    versions.remember({ record: { ...processing('task_a'), status: 'success' }, version: '12' });
    expect(versions.get('task_a')).toBeUndefined();

    versions.remember({ record: processing('task_b'), version: '20' });
    versions.forget('task_b');
    expect(versions.size).toBe(0);
  });

  it('holds at most its capacity, dropping the entry written longest ago', () => {
    const versions = new PostgresRowVersions(2);
    versions.remember({ record: processing('task_a'), version: '1' });
    versions.remember({ record: processing('task_b'), version: '2' });
    versions.remember({ record: processing('task_a'), version: '3' });
    versions.remember({ record: processing('task_c'), version: '4' });
    expect(versions.size).toBe(2);
    expect(versions.get('task_b')).toBeUndefined();
    expect(versions.get('task_a')?.version).toBe('3');
    expect(versions.get('task_c')?.version).toBe('4');
  });
});
