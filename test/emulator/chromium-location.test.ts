import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findOnPath } from './chromium-location.js';

const directory = mkdtempSync(join(tmpdir(), 'imagegate-path-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('findOnPath', () => {
  it('finds an executable in PATH order and passes over a file that is not executable', () => {
    const first = join(directory, 'first');
    const second = join(directory, 'second');
    mkdirSync(first);
    mkdirSync(second);
    writeFileSync(join(first, 'browser'), '');
    chmodSync(join(first, 'browser'), 0o644);
    writeFileSync(join(second, 'browser'), '#!/bin/sh\n');
    chmodSync(join(second, 'browser'), 0o755);
    const environment = { PATH: [first, second].join(delimiter) };
    expect(findOnPath(['missing', 'browser'], environment)).toBe(join(second, 'browser'));
    expect(findOnPath(['missing'], environment)).toBeUndefined();
    expect(findOnPath(['browser'], {})).toBeUndefined();
  });
});
