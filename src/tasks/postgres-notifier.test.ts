import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { postgresConnectionConfig } from './postgres-connection.js';
import { PostgresNotifier } from './postgres-notifier.js';
import {
  postgresAvailable,
  temporaryPostgresSchema,
  testPostgresUrl,
} from './test-support/temporary-postgres.js';

const available = await postgresAvailable();

describe.skipIf(!available)('PostgresNotifier', () => {
  const schema = temporaryPostgresSchema();

  it('sends what is asked for in one turn as one statement, once each, in order', async () => {
    const temporary = await schema();
    // A channel of this run's own, so parallel runs do not hear each other.
    const channel = `${temporary.name}_channel`;
    const listener = new pg.Client(postgresConnectionConfig(testPostgresUrl));
    const heard: string[] = [];
    let allHeard: () => void = () => {};
    const done = new Promise<void>((resolve) => (allHeard = resolve));
    listener.on('notification', (message) => {
      heard.push(message.payload ?? '');
      if (heard.length === 3) allHeard();
    });
    const pool = temporary.pool();
    const statements: string[] = [];
    pool.on('connect', (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      client.query = ((config: unknown, ...rest: unknown[]) => {
        statements.push(typeof config === 'string' ? config : ((config as { text: string }).text ?? ''));
        return query(config, ...rest);
      }) as typeof client.query;
    });
    const notifier = new PostgresNotifier(pool);
    try {
      await listener.connect();
      await listener.query(`LISTEN ${channel}`);
      notifier.notify([{ channel, payload: 'task_a' }]);
      notifier.notify([
        { channel, payload: 'task_b' },
        { channel, payload: 'task_a' },
        { channel, payload: 'task_c' },
      ]);
      await notifier.flush();
      await done;
      expect(heard).toEqual(['task_a', 'task_b', 'task_c']);
      expect(statements.filter((text) => text.includes('pg_notify'))).toHaveLength(1);
    } finally {
      await listener.end();
      await pool.end();
    }
  });

  it('survives a pool that has ended: notifications are hints, the write they follow stands', async () => {
    const temporary = await schema();
    const pool = temporary.pool();
    await pool.end();
    const notifier = new PostgresNotifier(pool);
    notifier.notify([{ channel: `${temporary.name}_channel`, payload: '' }]);
    await expect(notifier.flush()).resolves.toBeUndefined();
  });
});
