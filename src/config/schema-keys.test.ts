import { describe, expect, it } from 'vitest';
import { configSchema } from './config-schema.js';
import { allowedKeysAt } from './schema-keys.js';

describe('allowedKeysAt', () => {
  it('finds the keys of nested objects through defaults, records and arrays', () => {
    expect(allowedKeysAt(configSchema, [])).toEqual([
      'version',
      'routes',
      'defaults',
      'limits',
      'credentials',
      'lifecycle',
      'server',
      'flows',
    ]);
    expect(allowedKeysAt(configSchema, ['routes', 'any_name', 'candidates', 0])).toEqual([
      'model',
      'platform',
      'route',
    ]);
    expect(allowedKeysAt(configSchema, ['credentials', 'vertex-ai'])).toContain('projectEnv');
  });

  it('returns nothing for a path that is not an object', () => {
    expect(allowedKeysAt(configSchema, ['version'])).toEqual([]);
    expect(allowedKeysAt(configSchema, ['nope', 'deeper'])).toEqual([]);
  });
});
