import { describe, expect, it } from 'vitest';
import type { CallContext } from './call-context.js';
import { compileTarget, modelMatches } from './rule-target.js';

const call: CallContext = {
  platform: 'gemini-api',
  modelId: 'models/gemini-3-pro-image',
  method: 'generateContent',
  prompt: 'A red Weapon',
};

describe('modelMatches', () => {
  it('matches exact IDs with or without models/, globs, and * for calls without a model', () => {
    expect(modelMatches('gemini-3-pro-image', 'models/gemini-3-pro-image')).toBe(true);
    expect(modelMatches('gemini-3-pro-image', 'gemini-3-pro-image-preview')).toBe(false);
    expect(modelMatches('gemini-3*', 'gemini-3-pro-image-preview')).toBe(true);
    expect(modelMatches('gemini-3.1*', 'gemini-31-flash-image')).toBe(false);
    expect(modelMatches('*', undefined)).toBe(true);
    expect(modelMatches('gemini-3*', undefined)).toBe(false);
  });
});

describe('compileTarget', () => {
  it('applies to generation methods only unless told otherwise', () => {
    const target = compileTarget({ model: '*' });
    expect(target(call)).toBe(true);
    expect(target({ ...call, method: 'streamGenerateContent' })).toBe(true);
    expect(target({ ...call, method: 'countTokens' })).toBe(false);
    expect(compileTarget({ model: '*', methods: '*' })({ ...call, method: 'files.upload' })).toBe(true);
    expect(compileTarget({ model: '*', methods: ['models.get'] })({ ...call, method: 'models.get' })).toBe(
      true,
    );
  });

  it('filters by platform and prompt pattern', () => {
    expect(compileTarget({ model: '*', platform: 'vertex-ai' })(call)).toBe(false);
    expect(compileTarget({ model: '*', pattern: '(?i)weapon' })(call)).toBe(true);
    expect(compileTarget({ model: '*', pattern: 'weapon' })(call)).toBe(false);
    expect(compileTarget({ model: '*', pattern: 'red' })({ ...call, prompt: undefined })).toBe(false);
  });
});
