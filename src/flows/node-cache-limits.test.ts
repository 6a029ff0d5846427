import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/index.js';
import { ConfigError, parseConfig } from '../config/index.js';
import { nodeCacheLimits } from './node-cache-limits.js';

const DAY_MS = 86_400_000;

describe('nodeCacheLimits', () => {
  const parse = (yaml: string) =>
    parseConfig(yaml, { fileName: 'imagegate.config.yaml', clock: new ManualClock(Date.UTC(2026, 2, 1)) })
      .config;

  it('defaults the maximum age to server.retentionDays and the size to 10000 entries', () => {
    expect(nodeCacheLimits(parse('server:\n  retentionDays: 12\n'))).toEqual({
      maxAgeMs: 12 * DAY_MS,
      maxEntries: 10_000,
    });
    expect(nodeCacheLimits(parse('flows:\n  nodeCache: { maxAgeDays: 0.5, maxEntries: 200 }\n'))).toEqual({
      maxAgeMs: DAY_MS / 2,
      maxEntries: 200,
    });
  });

  it('refuses a maximum age beyond server.retentionDays, naming the field and what is allowed', () => {
    let error: unknown;
    try {
      parse('server:\n  retentionDays: 7\nflows:\n  nodeCache:\n    maxAgeDays: 10\n');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(
      /flows\.nodeCache\.maxAgeDays: 10 is longer than server\.retentionDays \(7\).*allowed up to 7/,
    );
  });
});
