import type pg from 'pg';

/*
 * The task store's hot statements, each one round trip and one commit (autocommit, no BEGIN/COMMIT), as
 * named prepared statements: each pooled connection parses and plans them once. None notifies: the store
 * sends its notifications after the commit (postgres-notifier.ts says why).
 *
 * Event numbering: an event is inserted in the statement that changes its task's row, numbered after the
 * events that statement's snapshot sees. The writes that apply only to the row version they were computed
 * from (`xmin`, see `leasedWrite`) cannot miss an event committed after their snapshot: that commit also
 * changed the row, so the version no longer matches and nothing is written. A claim can (it re-reads a
 * row updated since its snapshot, as `FOR UPDATE` does): it then collides on the events' primary key and
 * the caller retries it (`isEventSequenceCollision`).
 */

type Statement = Pick<pg.QueryConfig, 'name' | 'text'>;

function statement(name: string, text: string): Statement {
  return { name: `imagegate_task_${name}`, text };
}

/** The next event's sequence number for task `$1`, as the statement's snapshot sees its events. */
const NEXT_SEQUENCE_SQL = '(SELECT COALESCE(MAX(sequence), 0) + 1 FROM task_events WHERE task_id = $1)';

/** Columns that copy the record: $1 id, $2 status, $3 run_after_ms, $4 lease_expires_at_ms, $5 fencing_token, $6 record. */
const RECORD_COLUMNS = [
  'status = $2',
  'run_after_ms = $3',
  'lease_expires_at_ms = $4',
  'fencing_token = $5',
  'record = $6',
].join(', ');

/**
 * A new task and its `queued` event (sequence 1).
 * $1 id, $2 status, $3 model, $4 api_key_id, $5 created_at_ms, $6 run_after_ms, $7 fencing_token,
 * $8 record.
 */
export const insertTask = statement(
  'insert',
  `WITH inserted AS (
     INSERT INTO tasks (id, status, model, api_key_id, created_at_ms, run_after_ms, lease_expires_at_ms,
       fencing_token, record)
     VALUES ($1, $2, $3, $4, $5, $6, NULL, $7, $8)
     RETURNING id
   )
   INSERT INTO task_events (task_id, sequence, type, at_ms, data)
   SELECT id, 1, 'queued', $5, '{}'::jsonb FROM inserted`,
);

/**
 * Writes the record computed from row version `$7` (its `xmin`) only if the row is still that version, with
 * its event; answers the new version, or no row when someone wrote the task since.
 * $1..$6 as `RECORD_COLUMNS`, $7 version, $8 event type (NULL: none), $9 at_ms, $10 data.
 */
export const leasedWrite = statement(
  'leased_write',
  `WITH updated AS (
     UPDATE tasks SET ${RECORD_COLUMNS} WHERE id = $1 AND xmin = $7::text::xid
     RETURNING id, xmin::text AS version
   ), event AS (
     INSERT INTO task_events (task_id, sequence, type, at_ms, data)
     SELECT id, ${NEXT_SEQUENCE_SQL}, $8, $9, $10 FROM updated WHERE $8::text IS NOT NULL
   )
   SELECT version FROM updated`,
);

/** A task's record and its row version, for a write that applies only to that version. $1 id. */
export const selectVersioned = statement(
  'select_versioned',
  'SELECT record, xmin::text AS version FROM tasks WHERE id = $1',
);

/**
 * Claims the claimable task created first, as `claimed` in task-transitions.ts does (the contract suite and
 * postgres-task-store.test.ts check that the two agree): the queued task due longest, or the processing task
 * whose lease expired that was created earliest, whichever of the two was created first. Rows another
 * worker is claiming are skipped, not waited for. A reclaimed task whose cancel was requested is not taken
 * (`cancel_pending` names it; the caller finishes the cancel).
 * $1 now_ms, $2 worker id, $3 lease_ms.
 */
export const claimNext = statement(
  'claim_next',
  `WITH queued AS (
     SELECT id, created_at_ms, false AS reclaimed FROM tasks WHERE status = 'queued' AND run_after_ms <= $1
     ORDER BY run_after_ms, created_at_ms, id LIMIT 1 FOR UPDATE SKIP LOCKED
   ), expired AS (
     SELECT id, created_at_ms, true AS reclaimed FROM tasks
     WHERE status = 'processing' AND lease_expires_at_ms <= $1 AND run_after_ms <= $1
     -- "+ 0": no index gives this order, so the planner finds the few expired leases through
     -- tasks_lease_expiry and sorts them, instead of walking tasks_by_status_age in created order over
     -- every old version of a processing row (see migration 0003).
     ORDER BY created_at_ms + 0, id LIMIT 1 FOR UPDATE SKIP LOCKED
   ), chosen AS (
     SELECT id, reclaimed FROM (SELECT * FROM queued UNION ALL SELECT * FROM expired) AS candidates
     ORDER BY created_at_ms, id LIMIT 1
   ), claimed AS (
     UPDATE tasks SET status = 'processing', fencing_token = (record->>'fencingToken')::bigint + 1,
       lease_expires_at_ms = $1 + $3,
       record = record || jsonb_build_object(
         'status', 'processing',
         'claimCount', (record->>'claimCount')::integer + 1,
         'fencingToken', (record->>'fencingToken')::bigint + 1,
         'leaseOwner', $2::text,
         'leaseExpiresAtMs', $1 + $3,
         'startedAtMs', COALESCE(record->'startedAtMs', to_jsonb($1::bigint)),
         'updatedAtMs', $1::bigint)
     FROM chosen
     WHERE tasks.id = chosen.id AND NOT (chosen.reclaimed AND (tasks.record->>'cancelRequested')::boolean)
     RETURNING tasks.id, tasks.record, xmin::text AS version, chosen.reclaimed
   ), event AS (
     INSERT INTO task_events (task_id, sequence, type, at_ms, data)
     -- Task ids sort byte-wise (COLLATE "C") in tasks, not in task_events: compared in the events' own
     -- collation, the lookup is an index scan instead of a scan of every event.
     SELECT id,
       (SELECT COALESCE(MAX(sequence), 0) + 1 FROM task_events WHERE task_id = claimed.id COLLATE "default"),
       'processing', $1,
       jsonb_build_object('workerId', $2::text, 'claimCount', (record->>'claimCount')::integer)
         || CASE WHEN reclaimed THEN '{"reclaimedAfterLeaseExpiry": true}'::jsonb ELSE '{}'::jsonb END
     FROM claimed
   )
   SELECT claimed.record, claimed.version, NULL AS cancel_pending FROM claimed
   UNION ALL
   SELECT NULL, NULL, chosen.id FROM chosen WHERE NOT EXISTS (SELECT FROM claimed)`,
);

/** A claim that numbered its event from a snapshot older than the row it claimed (see above): retry it. */
export function isEventSequenceCollision(error: unknown): boolean {
  const { code, constraint } = error as { code?: unknown; constraint?: unknown };
  return code === '23505' && constraint === 'task_events_pkey';
}
