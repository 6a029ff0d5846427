import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { IMAGEGATE_VERSION } from './version.js';

describe('IMAGEGATE_VERSION', () => {
  it('matches package.json, so a release bump cannot leave one behind', async () => {
    const manifest = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(IMAGEGATE_VERSION).toBe(manifest.version);
  });
});
