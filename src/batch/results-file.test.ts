import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resultsFromFile } from './results-file.js';

describe('resultsFromFile', () => {
  it('yields each line as a keyed response or error, and a bad line as an error naming it', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'imagegate-results-'));
    try {
      const path = join(folder, 'results.jsonl');
      await writeFile(
        path,
        [
          JSON.stringify({ key: 'a', response: { candidates: [] } }),
          '',
          JSON.stringify({ key: 'b', error: { code: 400, message: 'bad size' } }),
          '{not json',
        ].join('\n'),
      );
      const results = [];
      for await (const result of resultsFromFile(path)) results.push(result);
      expect(results).toEqual([
        { metadata: { key: 'a' }, response: { candidates: [] } },
        { metadata: { key: 'b' }, error: { code: 400, message: 'bad size' } },
        { error: { code: 500, message: 'line 4 of the results file is not JSON' } },
      ]);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
