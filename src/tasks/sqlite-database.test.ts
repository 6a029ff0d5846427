import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteDatabase } from './sqlite-database.js';

const folders: string[] = [];
afterEach(async () => {
  await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
});

describe('openSqliteDatabase', () => {
  it('creates the parent folder and opens the file in WAL mode with a busy timeout and foreign keys', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'imagegate-sqlite-'));
    folders.push(folder);
    const path = join(folder, 'nested', 'deeper', 'tasks.db');
    const database = openSqliteDatabase(path);
    try {
      expect((await stat(path)).isFile()).toBe(true);
      expect(database.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(database.pragma('busy_timeout', { simple: true })).toBe(5000);
      expect(database.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(database.pragma('synchronous', { simple: true })).toBe(2);
    } finally {
      database.close();
    }
  });

  it('creates the folder 0700 and the database, its WAL and shared memory 0600, whatever the umask', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'imagegate-sqlite-'));
    folders.push(folder);
    const path = join(folder, 'data', 'tasks.sqlite');
    const previous = process.umask(0o022);
    const database = openSqliteDatabase(path);
    try {
      database.exec('CREATE TABLE t (x)');
      expect((await stat(join(folder, 'data'))).mode & 0o777).toBe(0o700);
      for (const file of [path, `${path}-wal`, `${path}-shm`]) {
        expect((await stat(file)).mode & 0o777, file).toBe(0o600);
      }
    } finally {
      database.close();
      process.umask(previous);
    }
  });

  it('accepts :memory: and the options', () => {
    const database = openSqliteDatabase(':memory:', { synchronous: 'normal', busyTimeoutMs: 250 });
    try {
      expect(database.pragma('busy_timeout', { simple: true })).toBe(250);
      expect(database.pragma('synchronous', { simple: true })).toBe(1);
    } finally {
      database.close();
    }
  });
});
