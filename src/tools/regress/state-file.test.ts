import { appendFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendFinishedPair, readFinishedPairs, StateFileError } from './state-file.js';
import { pairRecord } from './test-support/test-records.js';

const statePath = async () => join(await mkdtemp(join(tmpdir(), 'regress-state-')), 'out', 'state.jsonl');

describe('state file', () => {
  it('is empty when missing, and returns what was appended by key', async () => {
    const path = await statePath();
    expect((await readFinishedPairs(path)).size).toBe(0);
    await appendFinishedPair(path, pairRecord());
    await appendFinishedPair(path, pairRecord({ key: 'fedcba9876543210', promptId: 'p-002' }));
    const finished = await readFinishedPairs(path);
    expect([...finished.keys()]).toEqual(['0123456789abcdef', 'fedcba9876543210']);
    expect(finished.get('fedcba9876543210')).toEqual(
      pairRecord({ key: 'fedcba9876543210', promptId: 'p-002' }),
    );
    expect((await readFile(path, 'utf8')).split('\n')).toHaveLength(3);
  });

  it('ignores a last line cut short by an interrupted write', async () => {
    const path = await statePath();
    await appendFinishedPair(path, pairRecord());
    await appendFile(path, '{"key":"fedcba98765');
    expect([...(await readFinishedPairs(path)).keys()]).toEqual(['0123456789abcdef']);
  });

  it('names a bad line in the middle', async () => {
    const path = await statePath();
    await appendFinishedPair(path, pairRecord());
    const text = await readFile(path, 'utf8');
    await writeFile(path, `${text}{"key":"nope"}\n${text}`);
    await expect(readFinishedPairs(path)).rejects.toThrow(StateFileError);
    await expect(readFinishedPairs(path)).rejects.toThrow(/state\.jsonl:2: not a finished pair \(key: /);
  });
});
