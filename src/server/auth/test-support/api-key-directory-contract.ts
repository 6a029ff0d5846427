import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../clock/index.js';
import type { ApiKeyDirectory } from '../api-key-directory.js';
import { AmbiguousApiKeyError } from '../api-key-store.js';

const startMs = Date.UTC(2026, 3, 1);

/**
 * The behaviour every `ApiKeyDirectory` must show. The factory returns a fresh, empty store on the given
 * clock, a way to give two keys one prefix (to test ambiguity), and a cleanup.
 */
export function describeApiKeyDirectoryContract(
  adapterName: string,
  createStore: (clock: ManualClock) => Promise<{
    store: ApiKeyDirectory;
    samePrefix(prefix: string): Promise<void>;
    cleanup(): Promise<void>;
  }>,
): void {
  describe(`ApiKeyDirectory contract: ${adapterName}`, () => {
    let clock: ManualClock;
    let store: ApiKeyDirectory;
    let samePrefix: (prefix: string) => Promise<void>;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      clock = new ManualClock(startMs);
      ({ store, samePrefix, cleanup } = await createStore(clock));
    });
    afterEach(() => cleanup());

    it('creates a key with its limits and verifies its secret, nothing else', async () => {
      const { record, secret } = await store.create({
        name: 'batch',
        rateLimitPerMinute: 60,
        monthlyBudgetUsd: 1,
      });
      expect(record).toEqual({
        id: expect.stringMatching(/^key_[0-9A-Za-z]{12}$/),
        name: 'batch',
        prefix: secret.slice(0, 10),
        createdAtMs: startMs,
        rateLimitPerMinute: 60,
        monthlyBudgetUsd: 1,
      });
      expect(await store.verify(secret)).toEqual(record);
      expect(await store.verify(secret.slice(0, -1) + (secret.endsWith('a') ? 'b' : 'a'))).toBeUndefined();
      expect(await store.verify('')).toBeUndefined();
      await expect(Promise.resolve().then(() => store.create({ name: '' }))).rejects.toThrow(/name/);
    });

    it('lists in creation order and revokes by id or prefix, keeping the first revocation time', async () => {
      const first = await store.create({ name: 'a' });
      const second = await store.create({ name: 'b' });
      clock.advance(60_000);
      expect((await store.revoke(first.record.id))?.revokedAtMs).toBe(startMs + 60_000);
      clock.advance(5_000);
      expect((await store.revoke(first.record.prefix))?.revokedAtMs).toBe(startMs + 60_000);
      expect(await store.verify(first.secret)).toBeUndefined();
      expect((await store.verify(second.secret))?.id).toBe(second.record.id);
      expect((await store.list()).map((key) => [key.name, key.revokedAtMs])).toEqual([
        ['a', startMs + 60_000],
        ['b', undefined],
      ]);
      expect(await store.revoke('key_doesnotexist')).toBeUndefined();
    });

    it('refuses a prefix that matches several keys', async () => {
      await store.create({ name: 'one' });
      await store.create({ name: 'two' });
      await samePrefix('igk_SAME00');
      await expect(Promise.resolve().then(() => store.revoke('igk_SAME00'))).rejects.toBeInstanceOf(
        AmbiguousApiKeyError,
      );
    });
  });
}
