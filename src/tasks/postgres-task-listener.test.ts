import { describe, expect, it } from 'vitest';
import { postgresConnectionConfig } from './postgres-connection.js';
import { PostgresTaskListener } from './postgres-task-listener.js';
import { PostgresTaskStore } from './postgres-task-store.js';
import { newTaskId } from './task-id.js';
import {
  postgresAvailable,
  temporaryPostgresSchema,
  testPostgresUrl,
} from './test-support/temporary-postgres.js';

const available = await postgresAvailable();
const startMs = Date.UTC(2026, 2, 1, 12);

describe.skipIf(!available)('PostgresTaskListener', () => {
  const schema = temporaryPostgresSchema();

  it("hears another instance's new task and its events, and comes back after its connection is killed", async () => {
    const temporary = await schema();
    const store = new PostgresTaskStore(temporary.pool());
    const claimable: number[] = [];
    const events: string[] = [];
    const changes: boolean[] = [];
    let heard: () => void = () => {};
    const listener = new PostgresTaskListener({
      // Its own application name, so the test ends this connection and no other run's.
      connection: {
        ...postgresConnectionConfig(testPostgresUrl, { schema: temporary.name }),
        application_name: temporary.name,
      },
      onClaimable: () => {
        claimable.push(1);
        heard();
      },
      onEvents: (taskId) => {
        events.push(taskId);
        heard();
      },
      onConnectionChange: (connected) => changes.push(connected),
      reconnectDelayMs: 10,
    });
    const until = (done: () => boolean) =>
      new Promise<void>((resolve) => {
        heard = () => done() && resolve();
        heard();
      });
    try {
      await listener.start();
      expect(listener.isConnected).toBe(true);
      const before = claimable.length;
      const id = newTaskId(startMs);
      await store.create({
        id,
        request: {
          model: 'image_fast',
          prompt: 'p',
          outputFormat: 'png',
          references: [],
          history: [],
          imageCount: 1,
        },
        metadata: {},
        createdAtMs: startMs,
      });
      await until(() => claimable.length > before && events.includes(id));

      // PostgreSQL drops the listening connection (as on a restart): it reconnects by itself.
      const admin = temporary.pool();
      await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
        [temporary.name],
      );
      await admin.end();
      await until(() => changes.length >= 3);
      expect(changes.slice(0, 3)).toEqual([true, false, true]);
    } finally {
      await listener.stop();
      await store.close();
    }
  });
});
