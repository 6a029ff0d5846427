import { describe, expect, it } from 'vitest';
import { fileKindOf } from './file-selection.js';

describe('fileKindOf', () => {
  it('scans code, config, env files, Dockerfiles, Markdown and notebooks', () => {
    for (const name of [
      'a.ts',
      'b.PY',
      'c.go',
      'd.yml',
      'e.toml',
      '.env',
      '.env.local',
      'Dockerfile',
      'Dockerfile.dev',
    ])
      expect(fileKindOf(name), name).toBe('code');
    expect(fileKindOf('README.md')).toBe('markdown');
    expect(fileKindOf('demo.ipynb')).toBe('notebook');
  });

  it('skips other files', () => {
    for (const name of ['notes.txt', 'logo.png', 'Makefile', '.envrc', 'environment']) {
      expect(fileKindOf(name), name).toBeUndefined();
    }
  });
});
