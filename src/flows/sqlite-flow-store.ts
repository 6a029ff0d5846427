import type Database from 'better-sqlite3';
import { systemClock, type Clock } from '../clock/index.js';
import { defaultConfig } from '../config/index.js';
import type { FlowDocument } from './flow-document-schema.js';
import type { FlowRun, NodeOutput, NodeRun } from './flow-run-record.js';
import {
  RunIdempotencyConflictError,
  type CachedNodeOutput,
  type FlowRunFilter,
  type FlowStore,
  type FlowVersion,
  type NewFlowVersion,
  type NodeCacheWrite,
  type StoredFlow,
} from './flow-store.js';
import { nodeCacheLimits, type NodeCacheLimits } from './node-cache-limits.js';

/*
 * Flows live in the same SQLite file as tasks (one data directory), in their own tables. Documents and
 * records are JSON (the source of truth); other columns copy what lookups filter and sort on.
 */
const createStatements = [
  `CREATE TABLE IF NOT EXISTS flows (
     name TEXT PRIMARY KEY,
     owner_key_id TEXT,
     draft_json TEXT NOT NULL,
     draft_source TEXT,
     created_at_ms INTEGER NOT NULL,
     updated_at_ms INTEGER NOT NULL
   )`,
  `CREATE TABLE IF NOT EXISTS flow_versions (
     flow_name TEXT NOT NULL REFERENCES flows (name) ON DELETE CASCADE,
     version INTEGER NOT NULL,
     sha256 TEXT NOT NULL,
     document_json TEXT NOT NULL,
     message TEXT NOT NULL,
     published_by TEXT,
     published_at_ms INTEGER NOT NULL,
     rollback_of INTEGER,
     source TEXT,
     PRIMARY KEY (flow_name, version)
   )`,
  `CREATE TABLE IF NOT EXISTS flow_runs (
     id TEXT PRIMARY KEY,
     flow_name TEXT NOT NULL,
     owner_key_id TEXT,
     status TEXT NOT NULL,
     created_at_ms INTEGER NOT NULL,
     record_json TEXT NOT NULL
   )`,
  `CREATE INDEX IF NOT EXISTS flow_runs_by_flow ON flow_runs (flow_name, created_at_ms)`,
  `CREATE INDEX IF NOT EXISTS flow_runs_by_status ON flow_runs (status)`,
  `CREATE TABLE IF NOT EXISTS flow_node_runs (
     run_id TEXT NOT NULL REFERENCES flow_runs (id) ON DELETE CASCADE,
     node_id TEXT NOT NULL,
     record_json TEXT NOT NULL,
     PRIMARY KEY (run_id, node_id)
   )`,
  `CREATE TABLE IF NOT EXISTS flow_node_cache (
     signature TEXT PRIMARY KEY,
     output_json TEXT NOT NULL,
     cost_usd REAL,
     created_at_ms INTEGER NOT NULL
   )`,
  // Expiry and eviction both go oldest first.
  `CREATE INDEX IF NOT EXISTS flow_node_cache_by_age ON flow_node_cache (created_at_ms)`,
  `CREATE TABLE IF NOT EXISTS flow_run_idempotency (
     key TEXT PRIMARY KEY,
     request_hash TEXT NOT NULL,
     run_id TEXT NOT NULL,
     expires_at_ms INTEGER NOT NULL
   )`,
];

/**
 * Columns added after their table was first released, each nullable so older rows still read: a
 * database made before them gets them on open (`ALTER TABLE … ADD COLUMN`), its rows without a value.
 */
const addedColumns: ReadonlyArray<{ table: string; column: string; definition: string }> = [
  // The flow file's text as pushed (YAML or JSON), kept so `flow pull` gives back the file.
  { table: 'flows', column: 'draft_source', definition: 'TEXT' },
  { table: 'flow_versions', column: 'source', definition: 'TEXT' },
];

/**
 * Drafts, immutable versions, runs, node runs and the node cache on SQLite, for one process. The work is
 * synchronous (better-sqlite3); the methods answer promises to fit the `FlowStore` contract.
 */
export class SqliteFlowStore implements FlowStore {
  private readonly clock: Clock;
  private readonly nodeCache: NodeCacheLimits;

  /**
   * Runs driven through this store object. A data directory is served by one process, and another that
   * opens it (`imagegate flow run`) drives only the runs it starts and resumes none, so no lock across
   * processes is needed.
   */
  private readonly drivenRuns = new Set<string>();

  /** Prepared once per SQL text: preparing is a measurable share of a small write. */
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    private readonly database: Database.Database,
    options: { clock?: Clock; nodeCache?: NodeCacheLimits } = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.nodeCache = options.nodeCache ?? nodeCacheLimits(defaultConfig);
    database.transaction(() => {
      for (const statement of createStatements) database.prepare(statement).run();
      for (const { table, column, definition } of addedColumns) {
        const columns = database.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>;
        if (!columns.some((existing) => existing.name === column)) {
          database.prepare(`ALTER TABLE ${table} ADD COLUMN ${column} ${definition}`).run();
        }
      }
    })();
  }

  private statement<Row = unknown>(sql: string): Database.Statement<unknown[], Row> {
    let prepared = this.statements.get(sql);
    if (!prepared) {
      prepared = this.database.prepare(sql);
      this.statements.set(sql, prepared);
    }
    return prepared as Database.Statement<unknown[], Row>;
  }

  // Drafts and versions

  async getFlow(name: string): Promise<StoredFlow | undefined> {
    return this.readFlow(name);
  }

  private readFlow(name: string): StoredFlow | undefined {
    const row = this.database
      .prepare<
        [string],
        {
          name: string;
          owner_key_id: string | null;
          draft_json: string;
          draft_source: string | null;
          created_at_ms: number;
          updated_at_ms: number;
        }
      >('SELECT * FROM flows WHERE name = ?')
      .get(name);
    if (!row) return undefined;
    const latest = this.statement<{ version: number | null }>(
      'SELECT MAX(version) AS version FROM flow_versions WHERE flow_name = ?',
    ).get(name)?.version;
    return {
      name: row.name,
      ...(row.owner_key_id !== null ? { ownerKeyId: row.owner_key_id } : {}),
      draft: JSON.parse(row.draft_json) as FlowDocument,
      ...(row.draft_source !== null ? { draftSource: row.draft_source } : {}),
      createdAtMs: row.created_at_ms,
      updatedAtMs: row.updated_at_ms,
      ...(latest !== null && latest !== undefined ? { latestVersion: latest } : {}),
    };
  }

  async listFlows(ownerKeyId?: string): Promise<StoredFlow[]> {
    const rows = this.statement<{ name: string; owner_key_id: string | null }>(
      'SELECT name, owner_key_id FROM flows ORDER BY name',
    ).all();
    return rows
      .filter((row) => ownerKeyId === undefined || row.owner_key_id === ownerKeyId)
      .map((row) => this.readFlow(row.name)!)
      .filter(Boolean);
  }

  async saveDraft(
    document: FlowDocument,
    ownerKeyId: string | undefined,
    source?: string,
  ): Promise<StoredFlow> {
    const nowMs = this.clock.nowMs();
    this.statement(
      `INSERT INTO flows (name, owner_key_id, draft_json, draft_source, created_at_ms, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET draft_json = excluded.draft_json, draft_source = excluded.draft_source,
           updated_at_ms = excluded.updated_at_ms`,
    ).run(document.name, ownerKeyId ?? null, JSON.stringify(document), source ?? null, nowMs, nowMs);
    return this.readFlow(document.name)!;
  }

  /** The number is one more than the newest, decided inside the write transaction (SQLite's one writer). */
  async insertVersion(input: NewFlowVersion): Promise<FlowVersion> {
    const publishedAtMs = this.clock.nowMs();
    return this.database
      .transaction(() => {
        const latest =
          this.statement<{ version: number | null }>(
            'SELECT MAX(version) AS version FROM flow_versions WHERE flow_name = ?',
          ).get(input.flowName)?.version ?? 0;
        const version: FlowVersion = { ...input, version: latest + 1, publishedAtMs };
        this.statement(
          `INSERT INTO flow_versions (flow_name, version, sha256, document_json, message, published_by, published_at_ms, rollback_of, source)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          version.flowName,
          version.version,
          version.sha256,
          JSON.stringify(version.document),
          version.message,
          version.publishedBy ?? null,
          version.publishedAtMs,
          version.rollbackOf ?? null,
          version.source ?? null,
        );
        return version;
      })
      .immediate();
  }

  async getVersion(flowName: string, version: number): Promise<FlowVersion | undefined> {
    const row = this.statement<VersionRow>(
      'SELECT * FROM flow_versions WHERE flow_name = ? AND version = ?',
    ).get(flowName, version);
    return row ? versionFromRow(row) : undefined;
  }

  async listVersions(flowName: string): Promise<FlowVersion[]> {
    return this.statement<VersionRow>('SELECT * FROM flow_versions WHERE flow_name = ? ORDER BY version DESC')
      .all(flowName)
      .map(versionFromRow);
  }

  async allVersions(): Promise<FlowVersion[]> {
    return this.statement<VersionRow>('SELECT * FROM flow_versions ORDER BY flow_name, version')
      .all()
      .map(versionFromRow);
  }

  // Runs

  async insertRun(run: FlowRun, nodes: NodeRun[]): Promise<void> {
    this.database.transaction(() => {
      this.statement(
        'INSERT INTO flow_runs (id, flow_name, owner_key_id, status, created_at_ms, record_json) VALUES (?, ?, ?, ?, ?, ?)',
      ).run(run.id, run.flowName, run.ownerKeyId ?? null, run.status, run.createdAtMs, JSON.stringify(run));
      for (const node of nodes) this.writeNodeRun(node);
    })();
  }

  async saveRun(run: FlowRun): Promise<void> {
    this.statement('UPDATE flow_runs SET status = ?, record_json = ? WHERE id = ?').run(
      run.status,
      JSON.stringify(run),
      run.id,
    );
  }

  async getRun(id: string): Promise<FlowRun | undefined> {
    const row = this.statement<{ record_json: string }>('SELECT record_json FROM flow_runs WHERE id = ?').get(
      id,
    );
    return row ? (JSON.parse(row.record_json) as FlowRun) : undefined;
  }

  async listRuns(filter: FlowRunFilter): Promise<FlowRun[]> {
    const conditions: string[] = [];
    const values: Array<string | number> = [];
    if (filter.flowName !== undefined) {
      conditions.push('flow_name = ?');
      values.push(filter.flowName);
    }
    if (filter.ownerKeyId !== undefined) {
      conditions.push('owner_key_id = ?');
      values.push(filter.ownerKeyId);
    }
    if (filter.status !== undefined) {
      conditions.push('status = ?');
      values.push(filter.status);
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    return this.statement<{ record_json: string }>(
      `SELECT record_json FROM flow_runs ${where} ORDER BY created_at_ms DESC, id DESC LIMIT ?`,
    )
      .all(...values, filter.limit ?? 100)
      .map((row) => JSON.parse(row.record_json) as FlowRun);
  }

  /**
   * `cache.producedAtMs` is when the output was made (its earliest task's finish): the entry's age counts
   * from there, so it expires before the retention sweep can delete the images it points at.
   */
  async saveNodeRun(node: NodeRun, cache?: NodeCacheWrite): Promise<void> {
    this.database.transaction(() => {
      this.writeNodeRun(node);
      if (cache && node.output) {
        this.writeCacheEntry(cache.signature, node.output, cache.costUsd, cache.producedAtMs);
      }
    })();
  }

  private writeNodeRun(node: NodeRun): void {
    this.statement(
      `INSERT INTO flow_node_runs (run_id, node_id, record_json) VALUES (?, ?, ?)
         ON CONFLICT (run_id, node_id) DO UPDATE SET record_json = excluded.record_json`,
    ).run(node.runId, node.nodeId, JSON.stringify(node));
  }

  async nodeRuns(runId: string): Promise<NodeRun[]> {
    return this.statement<{ record_json: string }>(
      'SELECT record_json FROM flow_node_runs WHERE run_id = ? ORDER BY rowid',
    )
      .all(runId)
      .map((row) => JSON.parse(row.record_json) as NodeRun);
  }

  async acquireRunDriver(runId: string): Promise<boolean> {
    if (this.drivenRuns.has(runId)) return false;
    this.drivenRuns.add(runId);
    return true;
  }

  async releaseRunDriver(runId: string): Promise<void> {
    this.drivenRuns.delete(runId);
  }

  /** The database is the caller's (it holds tasks too); only the drivers are given up. */
  async close(): Promise<void> {
    this.drivenRuns.clear();
  }

  // Node cache

  async cachedOutput(signature: string): Promise<CachedNodeOutput | undefined> {
    const row = this.statement<{ output_json: string; cost_usd: number | null }>(
      'SELECT output_json, cost_usd FROM flow_node_cache WHERE signature = ? AND created_at_ms > ?',
    ).get(signature, this.clock.nowMs() - this.nodeCache.maxAgeMs);
    if (!row) return undefined;
    return {
      output: JSON.parse(row.output_json) as NodeOutput,
      ...(row.cost_usd !== null ? { costUsd: row.cost_usd } : {}),
    };
  }

  async cacheOutput(
    signature: string,
    output: NodeOutput,
    costUsd: number | undefined,
    producedAtMs?: number,
  ): Promise<void> {
    this.writeCacheEntry(signature, output, costUsd, producedAtMs);
  }

  /**
   * Both deletes read the age index, so a cache within its bounds costs a count and two empty range
   * scans per write.
   */
  private writeCacheEntry(
    signature: string,
    output: NodeOutput,
    costUsd: number | undefined,
    producedAtMs: number = this.clock.nowMs(),
  ): void {
    const nowMs = this.clock.nowMs();
    const expiredBeforeMs = nowMs - this.nodeCache.maxAgeMs;
    // Never younger than now: an output stamped by a clock running ahead would otherwise live longer.
    const createdAtMs = Math.min(producedAtMs, nowMs);
    this.database.transaction(() => {
      this.statement(
        `INSERT INTO flow_node_cache (signature, output_json, cost_usd, created_at_ms) VALUES (?, ?, ?, ?)
           ON CONFLICT (signature) DO UPDATE SET output_json = excluded.output_json,
             cost_usd = excluded.cost_usd, created_at_ms = excluded.created_at_ms
           WHERE flow_node_cache.created_at_ms <= ?`,
      ).run(signature, JSON.stringify(output), costUsd ?? null, createdAtMs, expiredBeforeMs);
      this.statement('DELETE FROM flow_node_cache WHERE created_at_ms <= ?').run(expiredBeforeMs);
      const { entries } = this.statement<{ entries: number }>(
        'SELECT COUNT(*) AS entries FROM flow_node_cache',
      ).get()!;
      if (entries > this.nodeCache.maxEntries) {
        this.statement(
          `DELETE FROM flow_node_cache WHERE signature IN
             (SELECT signature FROM flow_node_cache ORDER BY created_at_ms, rowid LIMIT ?)`,
        ).run(entries - this.nodeCache.maxEntries);
      }
    })();
  }

  async nodeCacheSize(): Promise<number> {
    return this.statement<{ entries: number }>('SELECT COUNT(*) AS entries FROM flow_node_cache').get()!
      .entries;
  }

  // Idempotent run creation

  async findIdempotentRun(key: string, requestHash: string): Promise<string | undefined> {
    const row = this.statement<{ request_hash: string; run_id: string }>(
      'SELECT request_hash, run_id FROM flow_run_idempotency WHERE key = ? AND expires_at_ms > ?',
    ).get(key, this.clock.nowMs());
    if (!row) return undefined;
    if (row.request_hash !== requestHash) throw new RunIdempotencyConflictError(row.run_id);
    return row.run_id;
  }

  async rememberIdempotentRun(key: string, requestHash: string, runId: string, ttlMs: number): Promise<void> {
    this.statement(
      `INSERT INTO flow_run_idempotency (key, request_hash, run_id, expires_at_ms) VALUES (?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET request_hash = excluded.request_hash, run_id = excluded.run_id,
           expires_at_ms = excluded.expires_at_ms`,
    ).run(key, requestHash, runId, this.clock.nowMs() + ttlMs);
  }
}

interface VersionRow {
  flow_name: string;
  version: number;
  sha256: string;
  document_json: string;
  message: string;
  published_by: string | null;
  published_at_ms: number;
  rollback_of: number | null;
  source: string | null;
}

function versionFromRow(row: VersionRow): FlowVersion {
  return {
    flowName: row.flow_name,
    version: row.version,
    sha256: row.sha256,
    document: JSON.parse(row.document_json) as FlowDocument,
    message: row.message,
    ...(row.published_by !== null ? { publishedBy: row.published_by } : {}),
    publishedAtMs: row.published_at_ms,
    ...(row.rollback_of !== null ? { rollbackOf: row.rollback_of } : {}),
    ...(row.source !== null ? { source: row.source } : {}),
  };
}
