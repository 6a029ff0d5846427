import { describe, expect, it } from 'vitest';
import { responseIdFor, seedFromText, thoughtSignatureFor } from './response-ids.js';

describe('response IDs', () => {
  it('are 22 URL-safe characters, stable per call number and distinct across calls', () => {
    expect(responseIdFor(1)).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(responseIdFor(1)).toBe(responseIdFor(1));
    expect(responseIdFor(1)).not.toBe(responseIdFor(2));
  });

  it('derive thought signatures that decode as base64 and differ per part', () => {
    const signature = thoughtSignatureFor('r', 0, 0);
    expect(Buffer.from(signature, 'base64').toString('base64')).toBe(signature);
    expect(thoughtSignatureFor('r', 0, 1)).not.toBe(signature);
  });

  it('derive seeds from text', () => {
    expect(seedFromText('a cat')).toBe(seedFromText('a cat'));
    expect(seedFromText('a cat')).not.toBe(seedFromText('a dog'));
  });
});
