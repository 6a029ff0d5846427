import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/index.js';
import { ConfigError, parseConfig } from '../config/index.js';
import { nodeCacheLimits, SqliteFlowStore } from './sqlite-flow-store.js';

const DAY_MS = 86_400_000;
const startMs = Date.UTC(2026, 2, 1);

function storeWith(limits: { maxAgeMs: number; maxEntries: number }) {
  const clock = new ManualClock(startMs);
  const store = new SqliteFlowStore(new Database(':memory:'), { clock, nodeCache: limits });
  return { clock, store };
}

const text = (value: string) => ({ text: value });

describe('SqliteFlowStore node cache', () => {
  it('serves an entry until its maximum age has passed, then refuses it', () => {
    const { clock, store } = storeWith({ maxAgeMs: 2 * DAY_MS, maxEntries: 100 });
    store.cacheOutput('sig-a', text('first'), 0.01);
    clock.advance(2 * DAY_MS - 1);
    expect(store.cachedOutput('sig-a')).toEqual({ output: text('first'), costUsd: 0.01 });
    clock.advance(1);
    expect(store.cachedOutput('sig-a')).toBeUndefined();
  });

  it('ages an entry from when its output was produced, not from when it was cached', () => {
    const { clock, store } = storeWith({ maxAgeMs: 2 * DAY_MS, maxEntries: 100 });
    store.cacheOutput('sig-a', text('made a day before the runner cached it'), undefined, startMs - DAY_MS);
    clock.advance(DAY_MS - 1);
    expect(store.cachedOutput('sig-a')?.output).toEqual(text('made a day before the runner cached it'));
    clock.advance(1);
    expect(store.cachedOutput('sig-a')).toBeUndefined();
  });

  it('keeps the first live entry under a signature, replaces an expired one, and drops expired entries', () => {
    const { clock, store } = storeWith({ maxAgeMs: DAY_MS, maxEntries: 100 });
    store.cacheOutput('sig-a', text('first'), undefined);
    store.cacheOutput('sig-b', text('other'), undefined);
    store.cacheOutput('sig-a', text('second'), undefined);
    expect(store.cachedOutput('sig-a')?.output).toEqual(text('first'));
    clock.advance(DAY_MS);
    store.cacheOutput('sig-a', text('third'), undefined);
    expect(store.cachedOutput('sig-a')?.output).toEqual(text('third'));
    // sig-b expired and was deleted by that write.
    expect(store.nodeCacheSize()).toBe(1);
  });

  it('keeps at most maxEntries, evicting the oldest first', () => {
    const { clock, store } = storeWith({ maxAgeMs: 30 * DAY_MS, maxEntries: 3 });
    for (const signature of ['sig-1', 'sig-2', 'sig-3', 'sig-4', 'sig-5']) {
      store.cacheOutput(signature, text(signature), undefined);
      clock.advance(1_000);
    }
    expect(store.nodeCacheSize()).toBe(3);
    expect(store.cachedOutput('sig-1')).toBeUndefined();
    expect(store.cachedOutput('sig-2')).toBeUndefined();
    expect(['sig-3', 'sig-4', 'sig-5'].map((signature) => store.cachedOutput(signature)?.output)).toEqual([
      text('sig-3'),
      text('sig-4'),
      text('sig-5'),
    ]);
  });
});

describe('nodeCacheLimits', () => {
  const parse = (yaml: string) =>
    parseConfig(yaml, { fileName: 'imagegate.config.yaml', clock: new ManualClock(startMs) }).config;

  it('defaults the maximum age to server.retentionDays and the size to 10000 entries', () => {
    expect(nodeCacheLimits(parse('server:\n  retentionDays: 12\n'))).toEqual({
      maxAgeMs: 12 * DAY_MS,
      maxEntries: 10_000,
    });
    expect(nodeCacheLimits(parse('flows:\n  nodeCache: { maxAgeDays: 0.5, maxEntries: 200 }\n'))).toEqual({
      maxAgeMs: DAY_MS / 2,
      maxEntries: 200,
    });
  });

  it('refuses a maximum age beyond server.retentionDays, naming the field and what is allowed', () => {
    let error: unknown;
    try {
      parse('server:\n  retentionDays: 7\nflows:\n  nodeCache:\n    maxAgeDays: 10\n');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(
      /flows\.nodeCache\.maxAgeDays: 10 is longer than server\.retentionDays \(7\).*allowed up to 7/,
    );
  });
});

describe('SqliteFlowStore sources', () => {
  const draft = { name: 'poster', inputs: {}, nodes: {} };

  it('opens a database made before sources: its rows read without one, and new ones keep theirs', () => {
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
    const old = store.getFlow('poster')!;
    expect(old.draft).toEqual(draft);
    expect(old.draftSource).toBeUndefined();
    expect(store.getVersion('poster', 1)).not.toHaveProperty('source');

    store.saveDraft({ ...draft, name: 'banner' }, undefined, 'name: banner # kept\nnodes: {}\n');
    expect(store.getFlow('banner')!.draftSource).toBe('name: banner # kept\nnodes: {}\n');
    const version = store.insertVersion({
      flowName: 'banner',
      sha256: 'def',
      document: { ...draft, name: 'banner' },
      message: 'first',
      source: 'name: banner # kept\nnodes: {}\n',
    });
    expect(store.getVersion('banner', version.version)!.source).toBe('name: banner # kept\nnodes: {}\n');
    // A second open finds the columns there and changes nothing.
    expect(new SqliteFlowStore(database).getFlow('banner')!.draftSource).toBe(
      'name: banner # kept\nnodes: {}\n',
    );
    // A draft saved without a source has none any more.
    store.saveDraft({ ...draft, name: 'banner' }, undefined);
    expect(store.getFlow('banner')!.draftSource).toBeUndefined();
  });
});
