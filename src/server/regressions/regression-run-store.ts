import type BetterSqlite3 from 'better-sqlite3';
import { z } from 'zod';

export type RegressionStatus = 'queued' | 'running' | 'success' | 'failed';

/** What a regression run was asked to compare. */
export const regressionInputSchema = z.object({
  prompts: z.array(z.object({ id: z.string(), prompt: z.string() })),
  baseline: z.string(),
  candidate: z.string(),
  aspectRatio: z.string().optional(),
  imageSize: z.string().optional(),
});
export type RegressionInput = z.infer<typeof regressionInputSchema>;

export interface RegressionRun {
  id: string;
  apiKeyId?: string;
  status: RegressionStatus;
  input: RegressionInput;
  done: number;
  total: number;
  /** The finished comparison (pairs and summary), as the API shows it. */
  result?: unknown;
  error?: string;
  createdAtMs: number;
  updatedAtMs: number;
}

const rowSchema = z.object({
  id: z.string(),
  api_key_id: z.string().nullable(),
  status: z.enum(['queued', 'running', 'success', 'failed']),
  input_json: z.string(),
  done: z.number().int(),
  total: z.number().int(),
  result_json: z.string().nullable(),
  error: z.string().nullable(),
  created_at_ms: z.number().int(),
  updated_at_ms: z.number().int(),
});

/** Regression runs started over HTTP, in the server's SQLite database, so a restart resumes them. */
export class RegressionRunStore {
  constructor(private readonly database: BetterSqlite3.Database) {
    database.exec(`
      CREATE TABLE IF NOT EXISTS regression_runs (
        id TEXT PRIMARY KEY,
        api_key_id TEXT,
        status TEXT NOT NULL,
        input_json TEXT NOT NULL,
        done INTEGER NOT NULL DEFAULT 0,
        total INTEGER NOT NULL,
        result_json TEXT,
        error TEXT,
        created_at_ms INTEGER NOT NULL,
        updated_at_ms INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS regression_runs_by_status ON regression_runs (status, created_at_ms);
    `);
  }

  create(run: Pick<RegressionRun, 'id' | 'apiKeyId' | 'input' | 'createdAtMs'>): RegressionRun {
    this.database
      .prepare(
        `INSERT INTO regression_runs (id, api_key_id, status, input_json, done, total, created_at_ms, updated_at_ms)
         VALUES (?, ?, 'queued', ?, 0, ?, ?, ?)`,
      )
      .run(
        run.id,
        run.apiKeyId ?? null,
        JSON.stringify(run.input),
        run.input.prompts.length,
        run.createdAtMs,
        run.createdAtMs,
      );
    return this.get(run.id)!;
  }

  get(id: string): RegressionRun | undefined {
    const row = this.database.prepare('SELECT * FROM regression_runs WHERE id = ?').get(id);
    return row ? runOf(row) : undefined;
  }

  /** Newest first; one key's runs, or every run without a key id. */
  /** Newest first; `owner` is a key id, null for runs started without a key, undefined for all (admins). */
  list(owner: string | null | undefined, limit = 50): RegressionRun[] {
    const rows =
      owner === undefined
        ? this.database
            .prepare('SELECT * FROM regression_runs ORDER BY created_at_ms DESC LIMIT ?')
            .all(limit)
        : owner === null
          ? this.database
              .prepare(
                'SELECT * FROM regression_runs WHERE api_key_id IS NULL ORDER BY created_at_ms DESC LIMIT ?',
              )
              .all(limit)
          : this.database
              .prepare(
                'SELECT * FROM regression_runs WHERE api_key_id = ? ORDER BY created_at_ms DESC LIMIT ?',
              )
              .all(owner, limit);
    return rows.map(runOf);
  }

  /** Runs not finished (queued, or running when the process stopped), oldest first. */
  unfinished(): RegressionRun[] {
    return this.database
      .prepare("SELECT * FROM regression_runs WHERE status IN ('queued', 'running') ORDER BY created_at_ms")
      .all()
      .map(runOf);
  }

  update(
    id: string,
    change: { status?: RegressionStatus; done?: number; result?: unknown; error?: string },
    nowMs: number,
  ): void {
    const current = this.get(id);
    if (!current) return;
    this.database
      .prepare(
        'UPDATE regression_runs SET status = ?, done = ?, result_json = ?, error = ?, updated_at_ms = ? WHERE id = ?',
      )
      .run(
        change.status ?? current.status,
        change.done ?? current.done,
        change.result !== undefined
          ? JSON.stringify(change.result)
          : current.result === undefined
            ? null
            : JSON.stringify(current.result),
        change.error ?? current.error ?? null,
        nowMs,
        id,
      );
  }
}

function runOf(raw: unknown): RegressionRun {
  const row = rowSchema.parse(raw);
  return {
    id: row.id,
    ...(row.api_key_id !== null ? { apiKeyId: row.api_key_id } : {}),
    status: row.status,
    input: regressionInputSchema.parse(JSON.parse(row.input_json)),
    done: row.done,
    total: row.total,
    ...(row.result_json !== null ? { result: JSON.parse(row.result_json) as unknown } : {}),
    ...(row.error !== null ? { error: row.error } : {}),
    createdAtMs: row.created_at_ms,
    updatedAtMs: row.updated_at_ms,
  };
}
