import type pg from 'pg';
import { systemClock, type Clock } from '../clock/index.js';
import { defaultConfig } from '../config/index.js';
import { inPostgresTransaction } from '../tasks/index.js';
import type { FlowDocument } from './flow-document-schema.js';
import type { FlowRun, NodeOutput, NodeRun } from './flow-run-record.js';
import {
  FlowVersionConflictError,
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

export interface PostgresFlowStoreOptions {
  clock?: Clock;
  nodeCache?: NodeCacheLimits;
}

type Queryable = Pick<pg.Pool, 'query'>;

/**
 * How often a publish numbers its version again after another publish of the same flow took the number
 * first. Each collision means another publish committed, so this many in a row only happens under a
 * storm of publishes of one flow; then the caller is told to publish again.
 */
const MAX_PUBLISH_ATTEMPTS = 32;
const DEFAULT_RUN_LIMIT = 100;
/** PostgreSQL's SQLSTATE for a unique constraint violation. */
const UNIQUE_VIOLATION = '23505';

/** The SQL of a flow row with its newest version number. */
const FLOW_SELECT = `SELECT f.name, f.owner_key_id, f.draft, f.draft_source, f.created_at_ms, f.updated_at_ms,
    (SELECT MAX(v.version) FROM flow_versions v WHERE v.flow_name = f.name) AS latest_version
  FROM flows f`;

interface FlowRow {
  name: string;
  owner_key_id: string | null;
  draft: FlowDocument;
  draft_source: string | null;
  created_at_ms: string;
  updated_at_ms: string;
  latest_version: number | null;
}

interface VersionRow {
  flow_name: string;
  version: number;
  sha256: string;
  document: FlowDocument;
  message: string;
  published_by: string | null;
  published_at_ms: string;
  rollback_of: number | null;
  source: string | null;
}

/**
 * Flows on PostgreSQL (tables of migration `0003-flows`), for several instances sharing one database: a
 * flow pushed through one instance is listed, published and run through any other. Versions are numbered
 * by the database (a collision on the primary key numbers again), so concurrent publishes never share a
 * number; node cache writes of concurrent runs upsert one row each, and trimming the cache skips rows
 * another instance is trimming, so no write waits on another's or deadlocks.
 *
 * Times are the injected clock's, never PostgreSQL's `now()`.
 */
export class PostgresFlowStore implements FlowStore {
  private readonly clock: Clock;
  private readonly nodeCache: NodeCacheLimits;
  /**
   * The connection holding this store's run-driver locks (session advisory locks): they live exactly as
   * long as it does, so a process that dies frees its runs for another instance without any timeout.
   */
  private driverConnection: Promise<pg.PoolClient> | undefined;
  private readonly drivenRuns = new Set<string>();

  constructor(
    private readonly pool: pg.Pool,
    options: PostgresFlowStoreOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.nodeCache = options.nodeCache ?? nodeCacheLimits(defaultConfig);
  }

  // Drafts and versions

  async getFlow(name: string): Promise<StoredFlow | undefined> {
    const { rows } = await this.pool.query<FlowRow>(`${FLOW_SELECT} WHERE f.name = $1`, [name]);
    return rows[0] ? flowFromRow(rows[0]) : undefined;
  }

  async listFlows(ownerKeyId?: string): Promise<StoredFlow[]> {
    const { rows } =
      ownerKeyId === undefined
        ? await this.pool.query<FlowRow>(`${FLOW_SELECT} ORDER BY f.name`)
        : await this.pool.query<FlowRow>(`${FLOW_SELECT} WHERE f.owner_key_id = $1 ORDER BY f.name`, [
            ownerKeyId,
          ]);
    return rows.map(flowFromRow);
  }

  async saveDraft(
    document: FlowDocument,
    ownerKeyId: string | undefined,
    source?: string,
  ): Promise<StoredFlow> {
    const nowMs = this.clock.nowMs();
    await this.pool.query(
      `INSERT INTO flows (name, owner_key_id, draft, draft_source, created_at_ms, updated_at_ms)
       VALUES ($1, $2, $3, $4, $5, $5)
       ON CONFLICT (name) DO UPDATE SET draft = excluded.draft, draft_source = excluded.draft_source,
         updated_at_ms = excluded.updated_at_ms`,
      [document.name, ownerKeyId ?? null, JSON.stringify(document), source ?? null, nowMs],
    );
    return (await this.getFlow(document.name))!;
  }

  async insertVersion(input: NewFlowVersion): Promise<FlowVersion> {
    const publishedAtMs = this.clock.nowMs();
    for (let attempt = 1; ; attempt += 1) {
      try {
        // One statement: the number is the newest this statement sees plus one. Two publishes that see
        // the same newest collide on the primary key; the second waits for the first and numbers again.
        const { rows } = await this.pool.query<{ version: number }>(
          `INSERT INTO flow_versions (flow_name, version, sha256, document, message, published_by,
             published_at_ms, rollback_of, source)
           SELECT $1, COALESCE(MAX(version), 0) + 1, $2, $3, $4, $5, $6, $7, $8
             FROM flow_versions WHERE flow_name = $1
           RETURNING version`,
          [
            input.flowName,
            input.sha256,
            JSON.stringify(input.document),
            input.message,
            input.publishedBy ?? null,
            publishedAtMs,
            input.rollbackOf ?? null,
            input.source ?? null,
          ],
        );
        return { ...input, version: rows[0]!.version, publishedAtMs };
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        if (attempt >= MAX_PUBLISH_ATTEMPTS) throw new FlowVersionConflictError(input.flowName, attempt);
      }
    }
  }

  async getVersion(flowName: string, version: number): Promise<FlowVersion | undefined> {
    const { rows } = await this.pool.query<VersionRow>(
      'SELECT * FROM flow_versions WHERE flow_name = $1 AND version = $2',
      [flowName, version],
    );
    return rows[0] ? versionFromRow(rows[0]) : undefined;
  }

  async listVersions(flowName: string): Promise<FlowVersion[]> {
    const { rows } = await this.pool.query<VersionRow>(
      'SELECT * FROM flow_versions WHERE flow_name = $1 ORDER BY version DESC',
      [flowName],
    );
    return rows.map(versionFromRow);
  }

  async allVersions(): Promise<FlowVersion[]> {
    const { rows } = await this.pool.query<VersionRow>(
      'SELECT * FROM flow_versions ORDER BY flow_name, version',
    );
    return rows.map(versionFromRow);
  }

  // Runs

  async insertRun(run: FlowRun, nodes: NodeRun[]): Promise<void> {
    await inPostgresTransaction(this.pool, async (client) => {
      await client.query(
        `INSERT INTO flow_runs (id, flow_name, owner_key_id, status, created_at_ms, record)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [run.id, run.flowName, run.ownerKeyId ?? null, run.status, run.createdAtMs, JSON.stringify(run)],
      );
      // One at a time: each takes the next position, so nodeRuns() answers in this order.
      for (const node of nodes) await writeNodeRun(client, node);
    });
  }

  async saveRun(run: FlowRun): Promise<void> {
    await this.pool.query('UPDATE flow_runs SET status = $1, record = $2 WHERE id = $3', [
      run.status,
      JSON.stringify(run),
      run.id,
    ]);
  }

  async getRun(id: string): Promise<FlowRun | undefined> {
    const { rows } = await this.pool.query<{ record: FlowRun }>(
      'SELECT record FROM flow_runs WHERE id = $1',
      [id],
    );
    return rows[0]?.record;
  }

  async listRuns(filter: FlowRunFilter): Promise<FlowRun[]> {
    const conditions: string[] = [];
    const values: Array<string | number> = [];
    const where = (column: string, value: string | undefined) => {
      if (value === undefined) return;
      values.push(value);
      conditions.push(`${column} = $${values.length}`);
    };
    where('flow_name', filter.flowName);
    where('owner_key_id', filter.ownerKeyId);
    where('status', filter.status);
    values.push(filter.limit ?? DEFAULT_RUN_LIMIT);
    const { rows } = await this.pool.query<{ record: FlowRun }>(
      `SELECT record FROM flow_runs ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
       ORDER BY created_at_ms DESC, id DESC LIMIT $${values.length}`,
      values,
    );
    return rows.map((row) => row.record);
  }

  async saveNodeRun(node: NodeRun, cache?: NodeCacheWrite): Promise<void> {
    const output = node.output;
    if (!cache || !output) {
      await writeNodeRun(this.pool, node);
      return;
    }
    const expiredBeforeMs = await inPostgresTransaction(this.pool, async (client) => {
      await writeNodeRun(client, node);
      return this.writeCacheEntry(client, cache.signature, output, cache.costUsd, cache.producedAtMs);
    });
    await this.trimCache(expiredBeforeMs);
  }

  async nodeRuns(runId: string): Promise<NodeRun[]> {
    const { rows } = await this.pool.query<{ record: NodeRun }>(
      'SELECT record FROM flow_node_runs WHERE run_id = $1 ORDER BY position',
      [runId],
    );
    return rows.map((row) => row.record);
  }

  async acquireRunDriver(runId: string): Promise<boolean> {
    // Marked before asking: the lock is re-entrant within the connection, so a second ask from this
    // store while the first is in flight would also get it.
    if (this.drivenRuns.has(runId)) return false;
    this.drivenRuns.add(runId);
    let locked = false;
    try {
      const connection = await this.driverLocks();
      const { rows } = await connection.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked',
        [runDriverLockName(runId)],
      );
      locked = rows[0]?.locked === true;
      return locked;
    } finally {
      if (!locked) this.drivenRuns.delete(runId);
    }
  }

  async releaseRunDriver(runId: string): Promise<void> {
    if (!this.drivenRuns.delete(runId) || !this.driverConnection) return;
    const connection = await this.driverConnection;
    await connection.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [runDriverLockName(runId)]);
  }

  /**
   * Unlocks every run this store drives, then ends the lock connection (destroyed, not pooled, so no
   * lock could outlive it). The pool stays. Unlocking first makes the runs free at once: a closing
   * connection frees its locks only once its server process has noticed.
   */
  async close(): Promise<void> {
    const opened = this.driverConnection;
    this.driverConnection = undefined;
    this.drivenRuns.clear();
    const connection = await opened?.catch(() => undefined);
    if (!connection) return;
    // A broken connection has lost its locks already: nothing to unlock.
    await connection.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
    connection.release(true);
  }

  private driverLocks(): Promise<pg.PoolClient> {
    if (this.driverConnection) return this.driverConnection;
    const opened = this.pool.connect().then((connection) => {
      // A lost connection (PostgreSQL restarted) lost its locks: forget them, and open another when next
      // asked. Another instance may take those runs over meanwhile; their tasks' idempotency keys keep
      // that from calling any model twice.
      connection.on('error', () => {
        if (this.driverConnection !== opened) return;
        this.driverConnection = undefined;
        this.drivenRuns.clear();
        connection.release(true);
      });
      return connection;
    });
    this.driverConnection = opened;
    opened.catch(() => {
      if (this.driverConnection === opened) this.driverConnection = undefined;
    });
    return opened;
  }

  // Node cache

  async cachedOutput(signature: string): Promise<CachedNodeOutput | undefined> {
    const { rows } = await this.pool.query<{ output: NodeOutput; cost_usd: number | null }>(
      'SELECT output, cost_usd FROM flow_node_cache WHERE signature = $1 AND created_at_ms > $2',
      [signature, this.clock.nowMs() - this.nodeCache.maxAgeMs],
    );
    const row = rows[0];
    if (!row) return undefined;
    return { output: row.output, ...(row.cost_usd !== null ? { costUsd: row.cost_usd } : {}) };
  }

  async cacheOutput(
    signature: string,
    output: NodeOutput,
    costUsd: number | undefined,
    producedAtMs?: number,
  ): Promise<void> {
    await this.trimCache(await this.writeCacheEntry(this.pool, signature, output, costUsd, producedAtMs));
  }

  async nodeCacheSize(): Promise<number> {
    const { rows } = await this.pool.query<{ entries: number }>(
      'SELECT COUNT(*)::int AS entries FROM flow_node_cache',
    );
    return rows[0]!.entries;
  }

  /** Upserts one entry (keeping a live one: it was first); returns the expiry bound it judged by. */
  private async writeCacheEntry(
    queryable: Queryable,
    signature: string,
    output: NodeOutput,
    costUsd: number | undefined,
    producedAtMs: number | undefined,
  ): Promise<number> {
    const nowMs = this.clock.nowMs();
    const expiredBeforeMs = nowMs - this.nodeCache.maxAgeMs;
    // Never younger than now: an output stamped by a clock running ahead would otherwise live longer.
    const createdAtMs = Math.min(producedAtMs ?? nowMs, nowMs);
    await queryable.query(
      `INSERT INTO flow_node_cache (signature, output, cost_usd, created_at_ms) VALUES ($1, $2, $3, $4)
       ON CONFLICT (signature) DO UPDATE SET output = excluded.output, cost_usd = excluded.cost_usd,
         created_at_ms = excluded.created_at_ms
       WHERE flow_node_cache.created_at_ms <= $5`,
      [signature, JSON.stringify(output), costUsd ?? null, createdAtMs, expiredBeforeMs],
    );
    return expiredBeforeMs;
  }

  /**
   * Drops expired entries, then every entry but the newest `maxEntries`, each in its own statement after
   * the write committed. "All but the newest n" is the same set whichever instance asks, so concurrent
   * trims agree instead of each removing its own surplus (which emptied the cache); rows another trim is
   * deleting at that moment are skipped (SKIP LOCKED), so trims never wait on each other or deadlock.
   * Both read the age index.
   */
  private async trimCache(expiredBeforeMs: number): Promise<void> {
    await this.pool.query(
      `DELETE FROM flow_node_cache WHERE signature IN (
         SELECT signature FROM flow_node_cache WHERE created_at_ms <= $1 FOR UPDATE SKIP LOCKED)`,
      [expiredBeforeMs],
    );
    await this.pool.query(
      `DELETE FROM flow_node_cache WHERE signature IN (
         SELECT signature FROM flow_node_cache ORDER BY created_at_ms DESC, position DESC OFFSET $1
         FOR UPDATE SKIP LOCKED)`,
      [this.nodeCache.maxEntries],
    );
  }

  // Idempotent run creation

  async findIdempotentRun(key: string, requestHash: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ request_hash: string; run_id: string }>(
      'SELECT request_hash, run_id FROM flow_run_idempotency WHERE key = $1 AND expires_at_ms > $2',
      [key, this.clock.nowMs()],
    );
    const row = rows[0];
    if (!row) return undefined;
    if (row.request_hash !== requestHash) throw new RunIdempotencyConflictError(row.run_id);
    return row.run_id;
  }

  async rememberIdempotentRun(key: string, requestHash: string, runId: string, ttlMs: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO flow_run_idempotency (key, request_hash, run_id, expires_at_ms) VALUES ($1, $2, $3, $4)
       ON CONFLICT (key) DO UPDATE SET request_hash = excluded.request_hash, run_id = excluded.run_id,
         expires_at_ms = excluded.expires_at_ms`,
      [key, requestHash, runId, this.clock.nowMs() + ttlMs],
    );
  }
}

async function writeNodeRun(queryable: Queryable, node: NodeRun): Promise<void> {
  await queryable.query(
    `INSERT INTO flow_node_runs (run_id, node_id, record) VALUES ($1, $2, $3)
     ON CONFLICT (run_id, node_id) DO UPDATE SET record = excluded.record`,
    [node.runId, node.nodeId, JSON.stringify(node)],
  );
}

function runDriverLockName(runId: string): string {
  return `imagegate:flow-run-driver:${runId}`;
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === UNIQUE_VIOLATION;
}

function flowFromRow(row: FlowRow): StoredFlow {
  return {
    name: row.name,
    ...(row.owner_key_id !== null ? { ownerKeyId: row.owner_key_id } : {}),
    draft: row.draft,
    ...(row.draft_source !== null ? { draftSource: row.draft_source } : {}),
    createdAtMs: Number(row.created_at_ms),
    updatedAtMs: Number(row.updated_at_ms),
    ...(row.latest_version !== null ? { latestVersion: row.latest_version } : {}),
  };
}

function versionFromRow(row: VersionRow): FlowVersion {
  return {
    flowName: row.flow_name,
    version: row.version,
    sha256: row.sha256,
    document: row.document,
    message: row.message,
    ...(row.published_by !== null ? { publishedBy: row.published_by } : {}),
    publishedAtMs: Number(row.published_at_ms),
    ...(row.rollback_of !== null ? { rollbackOf: row.rollback_of } : {}),
    ...(row.source !== null ? { source: row.source } : {}),
  };
}
