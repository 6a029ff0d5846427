import type BetterSqlite3 from 'better-sqlite3';
import { BlobStore, loadS3Adapter } from '../blobs/index.js';
import type { Clock } from '../clock/index.js';
import { PostgresFlowStore, SqliteFlowStore, type FlowStore, type NodeCacheLimits } from '../flows/index.js';
import { loadRedisAdapter, type SharedRateLimits } from '../coordination/index.js';
import type { UpstreamGuards } from '../engine/index.js';
import { describeDeployment, type DeploymentSettings } from '../config/index.js';
import { loadPostgresAdapter, openDataDirectory, SqliteTaskStore, type TaskStore } from '../tasks/index.js';
import {
  ApiKeyStore,
  BlobOwners,
  PostgresApiKeyStore,
  PostgresBlobOwners,
  type ApiKeyDirectory,
  type BlobOwnership,
} from './auth/index.js';
import {
  PostgresWebhookDeliveries,
  SqliteWebhookDeliveries,
  type WebhookDeliveryStore,
} from '../webhooks/index.js';
import type { DependencyCheck } from './dependency-health.js';

export interface ServerStorage {
  /** One line naming what is used (no passwords), printed by `imagegate serve`. */
  description: string;
  store: TaskStore;
  blobs: BlobStore;
  keys: ApiKeyDirectory;
  /** Which key owns which blob: in the shared store, so every instance answers the same. */
  owners: BlobOwnership;
  /** Webhook deliveries, in the shared store: any instance attempts what another enqueued. */
  webhookDeliveries: WebhookDeliveryStore;
  /** Flows, versions and runs, in the shared store: a flow pushed to one instance runs on any. */
  flows: FlowStore;
  /** The data directory: its SQLite file (batch jobs and, on SQLite, everything) and the webhook secret file. */
  dataDirectory: string;
  database: BetterSqlite3.Database;
  webhookSecretPath: string;
  /** Per-key limits shared through Redis (`coordination: redis`); undefined: counted in-process. */
  rateLimits?: SharedRateLimits;
  /** Per-(platform, model) quotas and circuit breakers shared through Redis; undefined: in-process. */
  upstreamGuards?: UpstreamGuards;
  /** What `/healthz` and the worker's pause watch; empty for the embedded defaults. */
  dependencies: DependencyCheck[];
  /**
   * Starts hearing other instances (PostgreSQL `LISTEN`): `onClaimable` wakes the local worker,
   * `onEvents` tells local SSE streams. A no-op on SQLite, where one process serves.
   */
  listen(handlers: { onClaimable(): void; onEvents(taskId: string): void }): Promise<void>;
  close(): Promise<void>;
}

export interface OpenServerStorageOptions {
  dataDirectory: string;
  cwd: string;
  clock: Clock;
  /** Read for AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (else the AWS SDK's own chain). */
  env: NodeJS.ProcessEnv;
  /** The flow node cache's bounds (`nodeCacheLimits(config)`). */
  nodeCache: NodeCacheLimits;
}

/**
 * Opens the task store, blobs and keys the deployment settings name: SQLite and files in the data
 * directory by default, PostgreSQL (migrated first when `store.migrate`) and S3 for several instances.
 */
export async function openServerStorage(
  settings: DeploymentSettings,
  options: OpenServerStorageOptions,
): Promise<ServerStorage> {
  const data = openDataDirectory(options.dataDirectory, { cwd: options.cwd });
  const closers: (() => Promise<void> | void)[] = [() => void data.handle.close()];
  const dependencies: DependencyCheck[] = [];
  try {
    let store: TaskStore;
    let keys: ApiKeyDirectory;
    let owners: BlobOwnership;
    let webhookDeliveries: WebhookDeliveryStore;
    let flows: FlowStore;
    let listen: ServerStorage['listen'] = async () => {};
    if (settings.store.kind === 'postgres') {
      const { url, schema, poolSize } = settings.store;
      const {
        migratePostgres,
        openPostgresPool,
        postgresConnectionConfig,
        PostgresTaskListener,
        PostgresTaskStore,
      } = await loadPostgresAdapter();
      const pool = openPostgresPool(url, { ...(schema ? { schema } : {}), max: poolSize });
      closers.unshift(() => pool.end());
      if (settings.store.migrate) await migratePostgres(pool, schema ? { schema } : {});
      store = new PostgresTaskStore(pool, { clock: options.clock, closePool: false });
      keys = new PostgresApiKeyStore(pool, { clock: options.clock });
      owners = new PostgresBlobOwners(pool);
      webhookDeliveries = new PostgresWebhookDeliveries(pool);
      const postgresFlows = new PostgresFlowStore(pool, {
        clock: options.clock,
        nodeCache: options.nodeCache,
      });
      // Before the pool ends: the store holds a connection (its run-driver locks) out of the pool.
      closers.unshift(() => postgresFlows.close());
      flows = postgresFlows;
      dependencies.push({ name: 'postgres', check: async () => void (await pool.query('SELECT 1')) });
      listen = async (handlers) => {
        const listener = new PostgresTaskListener({
          connection: postgresConnectionConfig(url, schema ? { schema } : {}),
          clock: options.clock,
          ...handlers,
        });
        closers.unshift(() => listener.stop());
        await listener.start();
      };
    } else {
      store = new SqliteTaskStore(data.handle, { clock: options.clock, closeDatabase: false });
      keys = new ApiKeyStore(data.handle, { clock: options.clock });
      owners = new BlobOwners(data.handle);
      webhookDeliveries = new SqliteWebhookDeliveries(data.handle);
      flows = new SqliteFlowStore(data.handle, { clock: options.clock, nodeCache: options.nodeCache });
    }
    let blobs: BlobStore;
    if (settings.blobs.kind === 's3') {
      const { kind: _kind, ...s3 } = settings.blobs;
      const accessKeyId = options.env.AWS_ACCESS_KEY_ID;
      const secretAccessKey = options.env.AWS_SECRET_ACCESS_KEY;
      // The server's env option, not only process.env, so tests and embedders can pass them.
      const credentials =
        accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey } } : {};
      const { S3BlobStore } = await loadS3Adapter();
      const s3Blobs = new S3BlobStore({ ...s3, ...credentials });
      closers.unshift(() => s3Blobs.close());
      dependencies.push({ name: 's3', check: () => s3Blobs.ping() });
      blobs = s3Blobs;
    } else {
      blobs = new BlobStore({ directory: data.blobs });
    }
    let rateLimits: SharedRateLimits | undefined;
    let upstreamGuards: UpstreamGuards | undefined;
    if (settings.coordination.kind === 'redis') {
      const { url, keyPrefix } = settings.coordination;
      const { RedisRateLimits, RedisUpstreamGuards } = await loadRedisAdapter();
      const redis = new RedisRateLimits({ url, keyPrefix });
      closers.unshift(() => redis.close());
      dependencies.push({ name: 'redis', check: () => redis.ping() });
      rateLimits = redis;
      upstreamGuards = new RedisUpstreamGuards({ url, keyPrefix, clock: options.clock });
      const guards = upstreamGuards;
      closers.unshift(() => guards.close());
    }
    return {
      description: describeDeployment(settings),
      ...(rateLimits ? { rateLimits } : {}),
      ...(upstreamGuards ? { upstreamGuards } : {}),
      store,
      blobs,
      keys,
      owners,
      webhookDeliveries,
      flows,
      dataDirectory: data.directory,
      database: data.handle,
      webhookSecretPath: data.webhookSecret,
      dependencies,
      listen,
      close: async () => {
        await store.close();
        for (const close of closers.splice(0)) await close();
      },
    };
  } catch (error) {
    for (const close of closers.splice(0)) await Promise.resolve(close()).catch(() => undefined);
    throw error;
  }
}
