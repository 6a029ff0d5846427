import { describe, expect, it } from 'vitest';
import { listOwner, mayAccess, narrowedListOwner } from './caller-scope.js';

const admin = { keyId: 'key_admin', admin: true };
const alice = { keyId: 'key_alice', admin: false };
const keyless = { keyId: undefined, admin: false };

describe('one ownership rule for single resources and listings', () => {
  it('lets a key reach its own, an admin everything, a keyless caller only what has no key', () => {
    expect(mayAccess(alice, 'key_alice')).toBe(true);
    expect(mayAccess(alice, 'key_bob')).toBe(false);
    expect(mayAccess(admin, 'key_bob')).toBe(true);
    expect(mayAccess(keyless, undefined)).toBe(true);
    expect(mayAccess(keyless, 'key_bob')).toBe(false);
    expect([listOwner(admin), listOwner(alice), listOwner(keyless)]).toEqual([undefined, 'key_alice', null]);
  });

  it('narrows a listing to a requested key: any key for an admin, only itself for anyone else', () => {
    expect(narrowedListOwner(admin, undefined)).toBeUndefined();
    expect(narrowedListOwner(admin, 'key_bob')).toBe('key_bob');
    expect(narrowedListOwner(alice, undefined)).toBe('key_alice');
    expect(narrowedListOwner(alice, 'key_alice')).toBe('key_alice');
    expect(narrowedListOwner(alice, 'key_bob')).toBe(false);
    expect(narrowedListOwner(keyless, 'key_bob')).toBe(false);
  });
});
