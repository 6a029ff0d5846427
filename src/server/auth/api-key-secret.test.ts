import { describe, expect, it } from 'vitest';
import {
  generateApiKeySecret,
  hashApiKeySecret,
  looksLikeApiKeySecret,
  randomBase62,
} from './api-key-secret.js';

describe('API key secrets', () => {
  it('are igk_ plus 32 base62 characters, different every time', () => {
    const secrets = new Set(Array.from({ length: 50 }, () => generateApiKeySecret()));
    expect(secrets.size).toBe(50);
    for (const secret of secrets) expect(looksLikeApiKeySecret(secret)).toBe(true);
  });

  it('draws every base62 character', () => {
    const seen = new Set(randomBase62(5000));
    expect(seen.size).toBe(62);
  });

  it('recognises only the exact shape', () => {
    expect(looksLikeApiKeySecret(`igk_${'a'.repeat(32)}`)).toBe(true);
    expect(looksLikeApiKeySecret(`igk_${'a'.repeat(31)}`)).toBe(false);
    expect(looksLikeApiKeySecret(`igk_${'a'.repeat(31)}-`)).toBe(false);
    expect(looksLikeApiKeySecret(`sk-${'a'.repeat(32)}`)).toBe(false);
  });

  it('hash to the SHA-256 hex digest', () => {
    expect(hashApiKeySecret('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
