import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/index.js';
import { openSqliteDatabase } from '../tasks/index.js';
import { temporaryDatabasePaths } from '../tasks/test-support/temporary-database-paths.js';
import { SqliteFlowStore } from './sqlite-flow-store.js';
import { describeFlowStoreContract } from './test-support/flow-store-contract.js';

const startMs = Date.UTC(2026, 2, 1);

describeFlowStoreContract('SQLite in memory', async (options) => {
  const database = openSqliteDatabase(':memory:');
  const store = new SqliteFlowStore(database, options);
  return {
    store,
    cleanup: async () => {
      await store.close();
      database.close();
    },
  };
});

describe('SqliteFlowStore on a file', () => {
  const databasePath = temporaryDatabasePaths('imagegate-flow-store-');
  describeFlowStoreContract('SQLite file', async (options) => {
    const database = openSqliteDatabase(await databasePath());
    const store = new SqliteFlowStore(database, options);
    return {
      store,
      cleanup: async () => {
        await store.close();
        database.close();
      },
    };
  });
});

describe('SqliteFlowStore sources', () => {
  const draft = { name: 'poster', inputs: {}, nodes: {} };

  it('opens a database made before sources: its rows read without one, and new ones keep theirs', async () => {
    const database = new Database(':memory:');
    // The tables as the first release made them, with a draft and a version in them.
    database.exec(`
      CREATE TABLE flows (name TEXT PRIMARY KEY, owner_key_id TEXT, draft_json TEXT NOT NULL,
        created_at_ms INTEGER NOT NULL, updated_at_ms INTEGER NOT NULL);
      CREATE TABLE flow_versions (flow_name TEXT NOT NULL REFERENCES flows (name) ON DELETE CASCADE,
        version INTEGER NOT NULL, sha256 TEXT NOT NULL, document_json TEXT NOT NULL, message TEXT NOT NULL,
        published_by TEXT, published_at_ms INTEGER NOT NULL, rollback_of INTEGER,
        PRIMARY KEY (flow_name, version));
      INSERT INTO flows VALUES ('poster', NULL, '${JSON.stringify(draft)}', 1, 1);
      INSERT INTO flow_versions VALUES ('poster', 1, 'abc', '${JSON.stringify(draft)}', 'first', NULL, 1, NULL);
    `);
    const store = new SqliteFlowStore(database, { clock: new ManualClock(startMs) });
    const old = (await store.getFlow('poster'))!;
    expect(old.draft).toEqual(draft);
    expect(old.draftSource).toBeUndefined();
    expect(await store.getVersion('poster', 1)).not.toHaveProperty('source');

    await store.saveDraft({ ...draft, name: 'banner' }, undefined, 'name: banner # kept\nnodes: {}\n');
    expect((await store.getFlow('banner'))!.draftSource).toBe('name: banner # kept\nnodes: {}\n');
    const version = await store.insertVersion({
      flowName: 'banner',
      sha256: 'def',
      document: { ...draft, name: 'banner' },
      message: 'first',
      source: 'name: banner # kept\nnodes: {}\n',
    });
    expect((await store.getVersion('banner', version.version))!.source).toBe(
      'name: banner # kept\nnodes: {}\n',
    );
    // A second open finds the columns there and changes nothing.
    expect((await new SqliteFlowStore(database).getFlow('banner'))!.draftSource).toBe(
      'name: banner # kept\nnodes: {}\n',
    );
    // A draft saved without a source has none any more.
    await store.saveDraft({ ...draft, name: 'banner' }, undefined);
    expect((await store.getFlow('banner'))!.draftSource).toBeUndefined();
  });
});
