import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/index.js';
import { parseConfig } from './parse-config.js';

const exampleFile = fileURLToPath(new URL('../../imagegate.config.example.yaml', import.meta.url));

describe('imagegate.config.example.yaml', () => {
  it('parses without errors or warnings and means what its comments say', () => {
    const { config, warnings } = parseConfig(readFileSync(exampleFile, 'utf8'), {
      fileName: exampleFile,
      clock: new ManualClock(Date.UTC(2026, 5, 1)),
    });
    expect(warnings).toEqual([]);
    expect(Object.keys(config.routes)).toEqual(['image_fast', 'image_quality', 'text_fast', 'posters']);
    expect(config.routes.image_fast?.candidates).toHaveLength(3);
    expect(config.routes.posters?.candidates[1]).toEqual({ route: 'image_fast' });
    expect(config.limits).toHaveLength(2);
    expect(config.credentials['gemini-api'].apiKeyEnv).toBe('GEMINI_API_KEY');
  });
});
