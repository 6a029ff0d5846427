import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { BlobStore } from '../../src/blobs/index.js';
import { builtInCatalog } from '../../src/catalog/index.js';
import { clockStartingAt, type Clock } from '../../src/clock/index.js';
import { testDayMs } from '../support/test-day.js';
import { configSchema, type ImagegateConfigInput } from '../../src/config/index.js';
import { Registry } from '../../src/registry/index.js';
import { ApiKeyStore, BlobOwners } from '../../src/server/auth/index.js';
import { createServerApp, type ServerAppDependencies } from '../../src/server/create-server-app.js';
import {
  openSqliteDatabase,
  SqliteTaskStore,
  TaskEventHub,
  type TaskRecord,
  type TaskStore,
} from '../../src/tasks/index.js';

export interface TestServer {
  app: ReturnType<typeof createServerApp>;
  store: SqliteTaskStore;
  blobs: BlobStore;
  events: TaskEventHub;
  keys: ApiKeyStore;
  owners: BlobOwners;
  clock: Clock;
  directory: string;
  errors: unknown[];
  close(): Promise<void>;
}

/** A server app on an in-memory SQLite store and a temporary blob folder; no worker unless a test adds one. */
export async function createTestServer(
  options: {
    clock?: Clock;
    config?: ImagegateConfigInput;
    withKeys?: boolean;
    overrides?: Partial<ServerAppDependencies>;
  } = {},
): Promise<TestServer> {
  const directory = await mkdtemp(join(tmpdir(), 'imagegate-server-'));
  const database = openSqliteDatabase(':memory:');
  // Real pace (leases, polls), pinned calendar (lifecycle, budgets' months, key dates).
  const clock = options.clock ?? clockStartingAt(testDayMs);
  const store = new SqliteTaskStore(database, { clock, closeDatabase: false });
  const blobs = new BlobStore({ directory: join(directory, 'blobs') });
  const catalog = builtInCatalog();
  const config = configSchema.parse(options.config ?? {});
  const registry = new Registry({ config, catalog, clock });
  const events = new TaskEventHub();
  const keys = new ApiKeyStore(database, { clock });
  const owners = new BlobOwners(database);
  const errors: unknown[] = [];
  const app = createServerApp({
    store,
    blobs,
    registry,
    catalog,
    config,
    clock,
    events,
    ...(options.withKeys ? { keys } : {}),
    owners,
    storePollIntervalMs: 20,
    logError: (error) => errors.push(error),
    ...options.overrides,
  });
  return {
    app,
    store,
    blobs,
    events,
    keys,
    owners,
    clock,
    directory,
    errors,
    close: async () => {
      await store.close();
      database.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

export async function pngBytes(width = 8, height = 8): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 90 } } })
    .png()
    .toBuffer();
}

export function jsonRequest(body: unknown, headers: Record<string, string> = {}): RequestInit {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}

/** Drives a task to success through the store, as a worker would, with one stored image. */
export async function finishTask(
  server: Pick<TestServer, 'store' | 'blobs' | 'events' | 'clock'>,
  servedBy: { modelId: string; platform: 'gemini-api' | 'vertex-ai' },
): Promise<TaskRecord> {
  const store: TaskStore = server.store;
  const claimed = await store.claim('test-worker', server.clock.nowMs(), 60_000);
  if (!claimed) throw new Error('no task to claim');
  const image = await pngBytes(16, 16);
  const stored = await server.blobs.put(image, 'image/png');
  await store.complete(
    claimed.lease,
    {
      status: 'success',
      result: {
        images: [{ sha256: stored.sha256, mimeType: 'image/png', width: 16, height: 16 }],
        text: 'here you go',
        nextTurnContents: [{ role: 'model', parts: [{ text: 'here you go' }] }],
      },
      attempts: [],
      warnings: [],
      servedBy,
    },
    server.clock.nowMs(),
  );
  server.events.notify(claimed.task.id);
  return (await store.get(claimed.task.id))!;
}
