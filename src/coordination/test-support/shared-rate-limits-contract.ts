import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SharedRateLimits } from '../shared-rate-limits.js';

const nowMs = Date.UTC(2026, 2, 1);

/**
 * What every `SharedRateLimits` must do, checked by counts only (no waiting). The factory returns
 * `instances` views of one shared limit (one for local limits, which are not shared) and a cleanup.
 */
export function describeSharedRateLimitsContract(
  adapterName: string,
  createLimits: () => Promise<{
    instances: SharedRateLimits[];
    bucketPrefix: string;
    cleanup(): Promise<void>;
  }>,
): void {
  describe(`SharedRateLimits contract: ${adapterName}`, () => {
    let instances: SharedRateLimits[];
    let bucket: (name: string) => string;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      const created = await createLimits();
      instances = created.instances;
      bucket = (name) => `${created.bucketPrefix}${name}`;
      cleanup = created.cleanup;
    });
    afterEach(() => cleanup());

    it('grants a minute of units across all instances together, then says how long to wait', async () => {
      const decisions = await Promise.all(
        Array.from({ length: 30 }, (_, index) =>
          instances[index % instances.length]!.take(bucket('key_1'), 12, nowMs),
        ),
      );
      expect(decisions.filter((decision) => decision.allowed)).toHaveLength(12);
      for (const decision of decisions.filter((entry) => !entry.allowed)) {
        expect(decision).toEqual({ allowed: false, retryAfterMs: expect.any(Number) });
        if (!decision.allowed) expect(decision.retryAfterMs).toBeGreaterThan(0);
      }
    });

    it('keeps buckets apart', async () => {
      const first = instances[0]!;
      expect(await first.take(bucket('a'), 1, nowMs)).toEqual({ allowed: true });
      expect((await first.take(bucket('a'), 1, nowMs)).allowed).toBe(false);
      expect(await first.take(bucket('b'), 1, nowMs)).toEqual({ allowed: true });
      await first.ping();
    });
  });
}
