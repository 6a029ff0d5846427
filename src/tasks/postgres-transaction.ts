import type pg from 'pg';

/** Runs `work` in one transaction on one pooled connection; rolls back when it throws. */
export async function inPostgresTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  // A checked-out client has no 'error' listener of the pool's: when PostgreSQL drops the connection
  // between two queries of the transaction (a restart, pg_terminate_backend), the event would end the
  // process. Heard here, the broken client is destroyed on release instead of going back to the pool.
  let broken: Error | undefined;
  const onError = (error: Error) => (broken ??= error);
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: unknown) => {
      broken ??= rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}
