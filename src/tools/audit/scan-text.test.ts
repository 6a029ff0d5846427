import { describe, expect, it } from 'vitest';
import { scanBuffer } from './scan-text.js';

describe('scanBuffer', () => {
  it('skips binary files and files without a candidate', () => {
    expect(scanBuffer(Buffer.from('x = "gemini-3-pro-image"\0'), 'code').status).toBe('binary');
    expect(scanBuffer(Buffer.from('nothing here'), 'code').status).toBe('no-candidates');
  });

  it('gives 1-based lines and UTF-16 columns', () => {
    const scan = scanBuffer(Buffer.from('first\n  é "gemini-3-pro-image"\n'), 'code');
    expect(scan.status === 'scanned' && scan.matches).toEqual([
      { id: 'gemini-3-pro-image', start: 11, end: 29, line: 2, column: 6 },
    ]);
  });

  it('reports the line in the notebook file, not in the cell', () => {
    const notebook =
      '{\n "cells": [\n  {\n   "source": [\n    "m = \\"gemini-3-pro-image\\""\n   ]\n  }\n ]\n}\n';
    const scan = scanBuffer(Buffer.from(notebook), 'notebook');
    expect(scan.status === 'scanned' && scan.matches.map(({ line, column }) => ({ line, column }))).toEqual([
      { line: 5, column: 12 },
    ]);
  });

  it('says why a broken notebook was not scanned', () => {
    expect(scanBuffer(Buffer.from('{"cells": "gemini-3-pro-image'), 'notebook').status).toBe('unreadable');
  });
});
