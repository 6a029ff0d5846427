import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openSqliteDatabase } from './sqlite-database.js';
import { SqliteGroupCommit, type FlushScheduler } from './sqlite-group-commit.js';
import { temporaryDatabasePaths } from './test-support/temporary-database-paths.js';

/** A scheduler the test fires by hand, so it decides when the batch commits. */
function manualScheduler(): { schedule: FlushScheduler; fire: () => void; waiting: () => number } {
  const flushes: Array<() => void> = [];
  return {
    schedule: (flush) => void flushes.push(flush),
    fire: () => {
      for (const flush of flushes.splice(0)) flush();
    },
    waiting: () => flushes.length,
  };
}

/** Two connections on one file: the writer under test and a reader that sees only what was committed. */
async function twoConnections(
  path: string,
): Promise<{ writer: Database.Database; reader: Database.Database }> {
  const writer = openSqliteDatabase(path);
  writer.exec('CREATE TABLE items (name TEXT PRIMARY KEY)');
  return { writer, reader: openSqliteDatabase(path) };
}

function committedNames(reader: Database.Database): string[] {
  return reader
    .prepare<[], { name: string }>('SELECT name FROM items ORDER BY rowid')
    .all()
    .map((row) => row.name);
}

const insert = (database: Database.Database, name: string) => () =>
  database.prepare('INSERT INTO items (name) VALUES (?)').run(name).changes;

/** Lets every pending promise callback run, without firing a manual scheduler. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('SqliteGroupCommit', () => {
  const databasePath = temporaryDatabasePaths('imagegate-group-commit-');

  it('runs the operations of one turn in order, in one transaction, and hands each caller its own result', async () => {
    const { writer, reader } = await twoConnections(await databasePath());
    const scheduler = manualScheduler();
    const commits = new SqliteGroupCommit(writer, { schedule: scheduler.schedule });
    const seen: string[] = [];
    const results = [
      commits.run(() => {
        insert(writer, 'a')();
        seen.push(`a sees ${committedNames(reader).length} committed`);
        return 'first';
      }),
      commits.run(() => {
        insert(writer, 'b')();
        // `a` is written by this connection but not committed: the reader does not see it yet.
        seen.push(`b sees ${committedNames(reader).length} committed`);
        return writer.prepare('SELECT COUNT(*) AS count FROM items').get();
      }),
    ];
    expect(scheduler.waiting()).toBe(1);
    scheduler.fire();
    expect(await Promise.all(results)).toEqual(['first', { count: 2 }]);
    expect(seen).toEqual(['a sees 0 committed', 'b sees 0 committed']);
    expect(committedNames(reader)).toEqual(['a', 'b']);
    writer.close();
    reader.close();
  });

  it('rolls back a failing operation alone and rejects only its promise', async () => {
    const { writer, reader } = await twoConnections(await databasePath());
    const scheduler = manualScheduler();
    const commits = new SqliteGroupCommit(writer, { schedule: scheduler.schedule });
    const first = commits.run(insert(writer, 'a'));
    const failing = commits.run(() => {
      insert(writer, 'b')();
      throw new Error('refused after writing b');
    });
    const duplicate = commits.run(insert(writer, 'a'));
    const last = commits.run(insert(writer, 'c'));
    scheduler.fire();
    await expect(failing).rejects.toThrow('refused after writing b');
    await expect(duplicate).rejects.toThrow(/UNIQUE constraint failed/);
    expect(await first).toBe(1);
    expect(await last).toBe(1);
    expect(committedNames(reader)).toEqual(['a', 'c']);
    writer.close();
    reader.close();
  });

  it('settles nothing before the commit, and the data is on the file when a promise resolves', async () => {
    const { writer, reader } = await twoConnections(await databasePath());
    const scheduler = manualScheduler();
    const commits = new SqliteGroupCommit(writer, { schedule: scheduler.schedule });
    let settled = false;
    let committedWhenResolved: string[] = [];
    const done = commits.run(insert(writer, 'a')).then(() => {
      settled = true;
      committedWhenResolved = committedNames(reader);
    });
    await settle();
    expect(settled).toBe(false);
    expect(committedNames(reader)).toEqual([]);
    scheduler.fire();
    await done;
    expect(committedWhenResolved).toEqual(['a']);
    writer.close();
    reader.close();
  });

  it('rejects every operation of a batch whose COMMIT fails, even those that ran', async () => {
    const { writer, reader } = await twoConnections(await databasePath());
    // A deferred foreign key is checked at COMMIT: the statement succeeds, the commit is refused.
    writer.exec(`CREATE TABLE children (parent TEXT REFERENCES items (name) DEFERRABLE INITIALLY DEFERRED)`);
    const scheduler = manualScheduler();
    const commits = new SqliteGroupCommit(writer, { schedule: scheduler.schedule });
    const valid = commits.run(insert(writer, 'a'));
    const orphan = commits.run(() =>
      writer.prepare("INSERT INTO children (parent) VALUES ('missing')").run(),
    );
    scheduler.fire();
    await expect(valid).rejects.toThrow(/FOREIGN KEY constraint failed/);
    await expect(orphan).rejects.toThrow(/FOREIGN KEY constraint failed/);
    expect(committedNames(reader)).toEqual([]);
    expect(writer.inTransaction).toBe(false);
    writer.close();
    reader.close();
  });

  it('rejects the batch when the write lock is held elsewhere, and commits the next one', async () => {
    const path = await databasePath();
    const { writer, reader } = await twoConnections(path);
    writer.pragma('busy_timeout = 0');
    const scheduler = manualScheduler();
    const commits = new SqliteGroupCommit(writer, { schedule: scheduler.schedule });
    const other = openSqliteDatabase(path);
    other.exec('BEGIN IMMEDIATE');
    const blocked = commits.run(insert(writer, 'a'));
    scheduler.fire();
    await expect(blocked).rejects.toThrow(/database is locked/);
    other.exec('COMMIT');
    const next = commits.run(insert(writer, 'b'));
    scheduler.fire();
    expect(await next).toBe(1);
    expect(committedNames(reader)).toEqual(['b']);
    for (const database of [writer, reader, other]) database.close();
  });

  it('commits at most maxOperationsPerCommit at once and the rest in the next turn', async () => {
    const { writer, reader } = await twoConnections(await databasePath());
    const scheduler = manualScheduler();
    const commits = new SqliteGroupCommit(writer, {
      schedule: scheduler.schedule,
      maxOperationsPerCommit: 2,
    });
    const committedByThird: string[][] = [];
    const results = [
      commits.run(insert(writer, 'a')),
      commits.run(insert(writer, 'b')),
      commits.run(() => {
        committedByThird.push(committedNames(reader));
        return insert(writer, 'c')();
      }),
    ];
    scheduler.fire();
    expect(scheduler.waiting()).toBe(1);
    scheduler.fire();
    expect(await Promise.all(results)).toEqual([1, 1, 1]);
    expect(committedByThird).toEqual([['a', 'b']]);
    writer.close();
    reader.close();
  });

  it('flush() commits what is waiting at once (before a close)', async () => {
    const { writer, reader } = await twoConnections(await databasePath());
    const commits = new SqliteGroupCommit(writer, { schedule: () => {} });
    const result = commits.run(insert(writer, 'a'));
    commits.flush();
    expect(committedNames(reader)).toEqual(['a']);
    expect(await result).toBe(1);
    writer.close();
    reader.close();
  });

  it('flushes after the current turn by default', async () => {
    const database = openSqliteDatabase(':memory:');
    database.exec('CREATE TABLE items (name TEXT PRIMARY KEY)');
    const commits = new SqliteGroupCommit(database);
    expect(
      await Promise.all([commits.run(insert(database, 'a')), commits.run(insert(database, 'b'))]),
    ).toEqual([1, 1]);
    database.close();
  });

  it('refuses a batch size that is not a positive integer', () => {
    const database = openSqliteDatabase(':memory:');
    expect(() => new SqliteGroupCommit(database, { maxOperationsPerCommit: 0 })).toThrow(
      /maxOperationsPerCommit: must be a positive integer \(got 0\)/,
    );
    database.close();
  });
});
