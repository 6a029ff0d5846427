import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findOnPath, isExecutableFile } from './find-on-path.js';

describe('findOnPath', () => {
  it('returns the first executable file of that name, skipping non-executables and directories', async () => {
    const first = await mkdtemp(join(tmpdir(), 'imagegate-path-a-'));
    const second = await mkdtemp(join(tmpdir(), 'imagegate-path-b-'));
    await writeFile(join(first, 'tool'), 'not executable');
    await writeFile(join(second, 'tool'), '#!/bin/sh\n');
    await chmod(join(second, 'tool'), 0o755);
    const environment = { PATH: ['', first, second].join(delimiter) };
    expect(await findOnPath('tool', environment)).toBe(join(second, 'tool'));
    expect(await findOnPath('other', environment)).toBeUndefined();
    expect(await findOnPath('tool', {})).toBeUndefined();
    expect(await isExecutableFile(first)).toBe(false);
  });
});
