import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dataDirectoryLayout, MissingDataDirectoryError, openDataDirectory } from './data-directory.js';

describe('openDataDirectory', () => {
  const folders: string[] = [];
  const folder = () => {
    const made = mkdtempSync(join(tmpdir(), 'imagegate-data-'));
    folders.push(made);
    return made;
  };
  afterEach(() => {
    for (const made of folders.splice(0)) rmSync(made, { recursive: true, force: true });
  });

  it('resolves a relative directory against cwd and opens the one database file there', () => {
    const cwd = folder();
    const opened = openDataDirectory('data', { cwd });
    try {
      expect(opened.directory).toBe(join(cwd, 'data'));
      expect(opened.database).toBe(join(cwd, 'data', dataDirectoryLayout.database));
      expect(opened.blobs).toBe(join(cwd, 'data', dataDirectoryLayout.blobs));
      opened.handle.exec('CREATE TABLE probe (x)');
    } finally {
      opened.handle.close();
    }
    const again = openDataDirectory(join(cwd, 'data'), { cwd: '/' });
    try {
      expect(again.handle.prepare('SELECT name FROM sqlite_master WHERE name = ?').get('probe')).toBeTruthy();
    } finally {
      again.handle.close();
    }
  });

  it('creates the directory and the database owner-only', () => {
    const cwd = folder();
    const opened = openDataDirectory('private', { cwd });
    opened.handle.close();
    expect(statSync(opened.directory).mode & 0o777).toBe(0o700);
    expect(statSync(opened.database).mode & 0o777).toBe(0o600);
  });

  it('refuses to create anything when asked only to read', () => {
    const cwd = folder();
    expect(() => openDataDirectory('missing', { cwd, create: false })).toThrow(MissingDataDirectoryError);
  });
});
