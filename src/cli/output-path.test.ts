import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors/index.js';
import { checkOutputPath, outputFormatFor } from './output-path.js';

describe('outputFormatFor', () => {
  it('lets the -o extension decide, and --format decide for folders and bare names', () => {
    expect(outputFormatFor('a.JPG', undefined)).toBe('jpeg');
    expect(outputFormatFor('a.png', 'png')).toBe('png');
    expect(outputFormatFor('out/', 'jpeg')).toBe('jpeg');
    expect(outputFormatFor(undefined, undefined)).toBe('png');
    expect(outputFormatFor('picture', 'jpeg')).toBe('jpeg');
  });

  it('refuses an extension that disagrees with --format, or that is no image format', () => {
    expect(() => outputFormatFor('x.png', 'jpeg')).toThrow(InvalidInputError);
    expect(() => outputFormatFor('x.png', 'jpeg')).toThrow(/--format jpeg disagrees with -o "x\.png"/);
    expect(() => outputFormatFor('x.webp', undefined)).toThrow(/\.webp is not an image format/);
  });
});

describe('checkOutputPath', () => {
  it('accepts a new file or folder under a writable one, and refuses a file in the way', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'imagegate-output-'));
    await writeFile(join(directory, 'taken'), 'x');
    await expect(checkOutputPath('a/b/c.png', directory)).resolves.toBeUndefined();
    await expect(checkOutputPath('new-folder/', directory)).resolves.toBeUndefined();
    await expect(checkOutputPath(undefined, directory)).resolves.toBeUndefined();
    await expect(checkOutputPath('taken/c.png', directory)).rejects.toThrow(
      /"taken\/c\.png": .*taken" is a file/,
    );
    await expect(checkOutputPath('taken/deeper/', directory)).rejects.toThrow(/is a file, not a folder/);
  });
});
