import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/index.js';
import { DependencyHealth } from './dependency-health.js';

describe('DependencyHealth', () => {
  it('tracks each dependency, reports changes once, and recovers on the next check', async () => {
    const clock = new ManualClock(Date.UTC(2026, 2, 1));
    let postgresUp = true;
    const changes: string[] = [];
    const health = new DependencyHealth({
      clock,
      checks: [
        {
          name: 'postgres',
          check: async () => {
            if (!postgresUp)
              throw Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:5432'), { code: 'ECONNREFUSED' });
          },
        },
        { name: 's3', check: async () => {} },
      ],
      onChange: (name, status) => changes.push(`${name}:${status.ok}`),
    });
    await health.refresh();
    expect(health.firstDown()).toBeUndefined();
    postgresUp = false;
    clock.advance(1_000);
    await health.refresh();
    await health.refresh();
    expect(health.firstDown()).toBe('postgres');
    expect(health.report().postgres).toEqual({
      ok: false,
      reason: 'ECONNREFUSED',
      sinceMs: Date.UTC(2026, 2, 1) + 1_000,
    });
    postgresUp = true;
    await health.refresh();
    expect(health.isDown('postgres')).toBe(false);
    health.reportFailure('s3', new Error('boom'));
    expect(health.report().s3).toMatchObject({ ok: false, reason: 'does not answer' });
    expect(changes).toEqual(['postgres:false', 'postgres:true', 's3:false']);
  });
});
