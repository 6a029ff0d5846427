import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock/index.js';
import { hashApiKeySecret } from './api-key-secret.js';
import { AmbiguousApiKeyError, ApiKeyStore } from './api-key-store.js';

function storeAt(startMs = Date.UTC(2026, 3, 1)) {
  const database = new Database(':memory:');
  const clock = new ManualClock(startMs);
  return { database, clock, store: new ApiKeyStore(database, { clock }) };
}

describe('ApiKeyStore', () => {
  it('creates a key whose secret is shown once and stored only as a hash', () => {
    const { database, store } = storeAt();
    const { record, secret } = store.create({
      name: 'batch jobs',
      rateLimitPerMinute: 60,
      monthlyBudgetUsd: 50,
    });
    expect(secret).toMatch(/^igk_[0-9A-Za-z]{32}$/);
    expect(record).toEqual({
      id: expect.stringMatching(/^key_[0-9A-Za-z]{12}$/),
      name: 'batch jobs',
      prefix: secret.slice(0, 10),
      createdAtMs: Date.UTC(2026, 3, 1),
      rateLimitPerMinute: 60,
      monthlyBudgetUsd: 50,
    });
    const stored = JSON.stringify(database.prepare('SELECT * FROM api_keys').all());
    expect(stored).not.toContain(secret);
    expect(stored).toContain(hashApiKeySecret(secret));
  });

  it('verifies its own secrets and nothing else', () => {
    const { store } = storeAt();
    const first = store.create({ name: 'a' });
    const second = store.create({ name: 'b' });
    expect(store.verify(first.secret)?.id).toBe(first.record.id);
    expect(store.verify(second.secret)?.id).toBe(second.record.id);
    const flipped = first.secret.slice(0, -1) + (first.secret.endsWith('a') ? 'b' : 'a');
    expect(store.verify(flipped)).toBeUndefined();
    expect(store.verify('')).toBeUndefined();
    expect(store.verify(`${first.secret} `)).toBeUndefined();
    expect(store.verify(first.record.prefix)).toBeUndefined();
  });

  it('revokes by id or by prefix; a revoked key no longer verifies but stays listed', () => {
    const { store, clock } = storeAt();
    const byId = store.create({ name: 'by id' });
    const byPrefix = store.create({ name: 'by prefix' });
    clock.advance(60_000);
    expect(store.revoke(byId.record.id)?.revokedAtMs).toBe(Date.UTC(2026, 3, 1) + 60_000);
    expect(store.revoke(byPrefix.record.prefix)?.name).toBe('by prefix');
    expect(store.verify(byId.secret)).toBeUndefined();
    expect(store.verify(byPrefix.secret)).toBeUndefined();
    expect(store.list().map((key) => [key.name, key.revokedAtMs !== undefined])).toEqual([
      ['by id', true],
      ['by prefix', true],
    ]);
  });

  it('keeps the first revocation time when revoked twice, and answers undefined for an unknown key', () => {
    const { store, clock } = storeAt();
    const { record } = store.create({ name: 'twice' });
    const first = store.revoke(record.id)?.revokedAtMs;
    clock.advance(5_000);
    expect(store.revoke(record.id)?.revokedAtMs).toBe(first);
    expect(store.revoke('key_doesnotexist')).toBeUndefined();
  });

  it('refuses a prefix that matches several keys', () => {
    const { database, store } = storeAt();
    const first = store.create({ name: 'one' });
    const second = store.create({ name: 'two' });
    database.prepare('UPDATE api_keys SET prefix = ?').run('igk_SAME00');
    expect(() => store.revoke('igk_SAME00')).toThrow(AmbiguousApiKeyError);
    expect(() => store.revoke('igk_SAME00')).toThrow(first.record.id);
    expect(store.verify(second.secret)?.name).toBe('two');
  });

  it('lists keys oldest first and survives a second store on the same database', () => {
    const { database, store, clock } = storeAt();
    store.create({ name: 'older' });
    clock.advance(1);
    store.create({ name: 'newer', monthlyBudgetUsd: 12.5 });
    const reopened = new ApiKeyStore(database);
    expect(reopened.list().map((key) => key.name)).toEqual(['older', 'newer']);
    expect(reopened.list()[1]?.monthlyBudgetUsd).toBe(12.5);
  });

  it.each([
    [{ name: '' }, 'name'],
    [{ name: 'x', rateLimitPerMinute: 0 }, 'rateLimitPerMinute'],
    [{ name: 'x', rateLimitPerMinute: 1.5 }, 'rateLimitPerMinute'],
    [{ name: 'x', monthlyBudgetUsd: -1 }, 'monthlyBudgetUsd'],
  ])('refuses %j naming %s', (input, field) => {
    const { store } = storeAt();
    expect(() => store.create(input)).toThrow(field);
    expect(store.list()).toEqual([]);
  });
});
