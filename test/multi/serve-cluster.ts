import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type pg from 'pg';
import type { z } from 'zod';
import { startTemporaryS3Server } from '../../src/blobs/test-support/temporary-s3-server.js';
import type { Clock } from '../../src/clock/index.js';
import { deleteRedisKeys, testRedisUrl } from '../../src/coordination/test-support/temporary-redis.js';
import { parseScenario, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { openPostgresPool } from '../../src/tasks/postgres-connection.js';
import { temporaryPostgresSchema, testPostgresUrl } from '../../src/tasks/test-support/temporary-postgres.js';
import { startServerProcess, type ServerProcess } from '../server/server-process.js';
import { readJson, taskPageSchema, taskSchema } from '../support/read-json.js';

/** The schema the instances migrate on a private PostgreSQL server (the shared one gets a random one). */
const PRIVATE_SERVER_SCHEMA = 'imagegate';

export type ApiTask = z.infer<typeof taskSchema>;

export interface ServeClusterOptions {
  /** How many `imagegate serve` processes to start, named a, b, c, … (one data directory each). */
  instances: number;
  /** The emulator's scenario, as YAML. */
  scenarioYaml: string;
  /** The clock the emulator waits on (a manual one holds every upstream call). Default: the system's. */
  emulatorClock?: Clock;
  /** The instances' shared `imagegate.config.yaml`. */
  configYaml: string;
  /**
   * The store on this PostgreSQL (schema `imagegate`, migrated at start). Default: a schema of the
   * test file's own on the shared test server.
   */
  postgresUrl?: string;
  /** Coordination on this Redis, under a key prefix of the cluster's own. Default: none (local). */
  redisUrl?: string;
  /** Images in a bucket on an s3rver the cluster starts (path-style). Default: in each data directory. */
  s3?: boolean;
  /** More environment for every instance. */
  env?: NodeJS.ProcessEnv;
}

export interface ServeCluster {
  servers: ServerProcess[];
  emulator: RunningEmulator;
  /** A new pool on the cluster's store (migrated); the caller ends it. */
  pool(): pg.Pool;
  /** The Redis key prefix every instance uses, when coordinating on Redis. */
  redisKeyPrefix: string | undefined;
}

/**
 * Several `imagegate serve` processes on one PostgreSQL schema, and optionally one Redis key prefix and
 * one s3rver bucket, against one emulator: the setup of the multi-process drills. Call at describe level
 * (it registers the schema and the cleanup after each test); call what it returns inside a test.
 */
export function serveClusterFixture(
  schemaPrefix: string,
): (options: ServeClusterOptions) => Promise<ServeCluster> {
  const schema = temporaryPostgresSchema(schemaPrefix);
  let started: { servers: ServerProcess[]; cleanups: (() => Promise<unknown>)[] } | undefined;
  afterEach(async ({ task }) => {
    if (!started) return;
    const { servers, cleanups } = started;
    started = undefined;
    const failed = task.result?.state === 'fail';
    for (const [index, server] of servers.entries()) {
      // A failed drill, or a server that ended by itself, is explained by what the servers wrote.
      if (failed || server.child.exitCode !== null) {
        console.error(
          `server ${index} (exit ${String(server.child.exitCode)}):\n${server.stderr().slice(-4_000)}`,
        );
      }
    }
    for (const server of servers) if (server.child.exitCode === null) server.child.kill('SIGKILL');
    await Promise.all(servers.map((server) => server.exited));
    for (const cleanup of cleanups) await cleanup();
  });
  return async (options) => {
    const store = options.postgresUrl
      ? { url: options.postgresUrl, schema: PRIVATE_SERVER_SCHEMA }
      : { url: testPostgresUrl, schema: (await schema()).name };
    const servers: ServerProcess[] = [];
    const cleanups: (() => Promise<unknown>)[] = [];
    started = { servers, cleanups };
    const directory = await mkdtemp(join(tmpdir(), `${schemaPrefix}-`));
    cleanups.push(() => rm(directory, { recursive: true, force: true }));
    const emulator = await startEmulator({
      scenario: parseScenario(options.scenarioYaml, 'scenario.yaml'),
      ...(options.emulatorClock ? { clock: options.emulatorClock } : {}),
    });
    cleanups.push(() => emulator.close());
    const s3 = options.s3 ? await startTemporaryS3Server() : undefined;
    if (s3) cleanups.push(() => s3.close());
    const redisKeyPrefix = options.redisUrl ? `imagegate-test-${randomBytes(6).toString('hex')}:` : undefined;
    // A private Redis is thrown away whole; the shared one keeps other runs' keys.
    if (redisKeyPrefix && options.redisUrl === testRedisUrl)
      cleanups.push(() => deleteRedisKeys(redisKeyPrefix));
    const configPath = join(directory, 'imagegate.config.yaml');
    await writeFile(configPath, options.configYaml);
    const env: NodeJS.ProcessEnv = {
      GEMINI_API_KEY: 'serve-cluster-test',
      GOOGLE_GEMINI_BASE_URL: emulator.url,
      IMAGEGATE_STORE: 'postgres',
      IMAGEGATE_POSTGRES_URL: store.url,
      IMAGEGATE_POSTGRES_SCHEMA: store.schema,
      IMAGEGATE_POSTGRES_MIGRATE: 'true',
      IMAGEGATE_WEBHOOK_SECRET: 'whsec_dGVzdC1zZWNyZXQtZm9yLXNlcnZlLWNsdXN0ZXJz',
      ...(options.redisUrl && redisKeyPrefix
        ? {
            IMAGEGATE_COORDINATION: 'redis',
            IMAGEGATE_REDIS_URL: options.redisUrl,
            IMAGEGATE_REDIS_KEY_PREFIX: redisKeyPrefix,
          }
        : {}),
      ...(s3
        ? {
            IMAGEGATE_BLOBS: 's3',
            IMAGEGATE_S3_BUCKET: s3.bucket,
            IMAGEGATE_S3_ENDPOINT: s3.endpoint,
            IMAGEGATE_S3_FORCE_PATH_STYLE: 'true',
            AWS_ACCESS_KEY_ID: s3.options.credentials.accessKeyId,
            AWS_SECRET_ACCESS_KEY: s3.options.credentials.secretAccessKey,
          }
        : {}),
      ...options.env,
    };
    for (let index = 0; index < options.instances; index++) {
      const name = String.fromCharCode('a'.charCodeAt(0) + index);
      servers.push(
        await startServerProcess({
          args: ['--config', configPath, '--data-dir', join(directory, name)],
          env,
          cwd: directory,
        }),
      );
    }
    return {
      servers,
      emulator,
      redisKeyPrefix,
      pool: () => openPostgresPool(store.url, { schema: store.schema }),
    };
  };
}

/** Submits `count` tasks to `servers` in turn, `inParallel` requests at a time; the ids in order. */
export async function submitRoundRobin(
  servers: readonly ServerProcess[],
  count: number,
  options: { prompt: string; inParallel?: number; headers?: Record<string, string> },
): Promise<string[]> {
  const inParallel = options.inParallel ?? 30;
  const ids: string[] = [];
  for (let start = 0; start < count; start += inParallel) {
    const batch = Array.from({ length: Math.min(inParallel, count - start) }, (_, offset) => start + offset);
    ids.push(
      ...(await Promise.all(
        batch.map(async (index) => {
          const response = await fetch(`${servers[index % servers.length]!.url}/v1/images/generations`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...options.headers },
            body: JSON.stringify({
              model: 'image_fast',
              prompt: `${options.prompt} ${index}`,
              image_size: '512',
            }),
          });
          if (response.status !== 202) {
            throw new Error(`submission ${index} answered ${response.status}: ${await response.text()}`);
          }
          return (await readJson(response, taskSchema)).id;
        }),
      )),
    );
  }
  return ids;
}

/**
 * Every task `url` lists, page by page; undefined while it answers 503 (a dependency it has just seen go
 * away: clients are told to retry, and so does the drill). Any other failure fails the test.
 */
export async function listAllTasks(url: string): Promise<ApiTask[] | undefined> {
  const tasks: ApiTask[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ limit: '100' });
    if (cursor) query.set('cursor', cursor);
    const response = await fetch(`${url}/v1/tasks?${query.toString()}`);
    if (response.status === 503) return undefined;
    const page = await readJson(response, taskPageSchema);
    tasks.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor);
  return tasks;
}

const finalStatuses: ReadonlySet<string> = new Set(['success', 'failed', 'cancelled']);
const LIST_POLL_INTERVAL_MS = 2_000;

/** Polls `url`'s task list until every task is final or `timeoutMs` passes; the last list read. */
export async function waitUntilAllFinal(url: string, timeoutMs: number): Promise<ApiTask[]> {
  const deadlineMs = performance.now() + timeoutMs;
  let tasks: ApiTask[] | undefined;
  for (;;) {
    tasks = (await listAllTasks(url)) ?? tasks;
    const allFinal = tasks?.every((task) => finalStatuses.has(task.status)) ?? false;
    if (allFinal || performance.now() >= deadlineMs) break;
    await new Promise((resolve) => setTimeout(resolve, LIST_POLL_INTERVAL_MS));
  }
  if (!tasks) throw new Error(`${url} answered every task list with 503 for ${timeoutMs} ms`);
  return tasks;
}

/** What the emulator answered, over every model: successes, 429s, and all calls. */
export function emulatorOutcomes(running: RunningEmulator): { ok: number; refused: number; total: number } {
  let ok = 0;
  let refused = 0;
  let total = 0;
  for (const model of Object.values(running.stats.snapshot().models)) {
    ok += model.byOutcome.ok ?? 0;
    refused += model.byOutcome['429'] ?? 0;
    total += model.calls;
  }
  return { ok, refused, total };
}

/** Runs `work` over `items`, `inParallel` at a time; the results in order. */
export async function mapInBatches<Item, Result>(
  items: readonly Item[],
  inParallel: number,
  work: (item: Item) => Promise<Result>,
): Promise<Result[]> {
  const results: Result[] = [];
  for (let start = 0; start < items.length; start += inParallel) {
    results.push(...(await Promise.all(items.slice(start, start + inParallel).map(work))));
  }
  return results;
}
