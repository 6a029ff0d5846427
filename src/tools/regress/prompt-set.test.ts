import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPromptSet, parsePromptSet, PromptSetError } from './prompt-set.js';

describe('parsePromptSet', () => {
  it('reads one prompt a line from .txt, skipping blank lines and # comments, with ids by position', () => {
    const prompts = parsePromptSet('# heading\n a red fox \n\n# note\na lighthouse\n', 'set.txt');
    expect(prompts).toEqual([
      { id: 'p-001', prompt: 'a red fox' },
      { id: 'p-002', prompt: 'a lighthouse' },
    ]);
  });

  it('reads a YAML list of strings and objects with id, aspect and size', () => {
    const prompts = parsePromptSet(
      "- a red fox\n- { id: poster, prompt: 'a jazz poster', aspect: '3:4', size: 2K }\n",
      'set.yaml',
    );
    expect(prompts).toEqual([
      { id: 'p-001', prompt: 'a red fox' },
      { id: 'poster', prompt: 'a jazz poster', aspectRatio: '3:4', imageSize: '2K' },
    ]);
  });

  it.each([
    ['[]', 'set.yaml', /set\.yaml: \(root\): the prompt set is empty/],
    ["- { prompt: 'x', size: 3K }", 'set.yml', /\[0\]/],
    ["- { prompt: 'x', colour: red }", 'set.yaml', /expected a list of prompts/],
    ['- { id: a, prompt: x }\n- { id: a, prompt: y }', 'set.yaml', /id "a" is used twice/],
    ['# only comments\n\n', 'set.txt', /set\.txt: no prompts/],
    ['a: [', 'set.yaml', /set\.yaml: not valid YAML/],
    ['a fox', 'set.csv', /extension "\.csv"; allowed: \.txt/],
  ])('refuses %j in %s', (text, source, message) => {
    expect(() => parsePromptSet(text, source)).toThrow(PromptSetError);
    expect(() => parsePromptSet(text, source)).toThrow(message);
  });
});

describe('loadPromptSet', () => {
  it('reads the file and names it when it is missing', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'prompt-set-'));
    await writeFile(join(directory, 'set.txt'), 'a red fox\n');
    await expect(loadPromptSet(join(directory, 'set.txt'))).resolves.toEqual([
      { id: 'p-001', prompt: 'a red fox' },
    ]);
    await expect(loadPromptSet(join(directory, 'none.txt'))).rejects.toThrow(
      /cannot read .*none\.txt \(ENOENT\)/,
    );
  });
});
