import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runCli } from '../../src/cli/run-cli.js';
import { PostgresApiKeyStore } from '../../src/server/auth/index.js';
import { loadPostgresAdapter } from '../../src/tasks/index.js';
import {
  postgresAvailable,
  temporaryPostgresSchema,
  testPostgresUrl,
} from '../../src/tasks/test-support/temporary-postgres.js';
import { captureIo } from '../support/capture-io.js';

const { PostgresTaskStore } = await loadPostgresAdapter();

const keyViewSchema = z.object({ id: z.string(), prefix: z.string(), revoked_at: z.string().nullable() });
const reportSchema = z.object({
  groups: z.array(z.object({ key: z.string() })),
  total: z.object({ actualUsd: z.number(), estimatedUsd: z.number() }),
});

const available = await postgresAvailable();

describe.skipIf(!available)('keys and cost on the PostgreSQL store', () => {
  const schema = temporaryPostgresSchema('imagegate_cli');
  let folder: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    const temporary = await schema();
    folder = await mkdtemp(join(tmpdir(), 'imagegate-cli-postgres-'));
    // --database-url names the database; the schema comes from the environment, as for serve.
    env = { IMAGEGATE_POSTGRES_SCHEMA: temporary.name };
  });
  afterAll(async () => {
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  async function run(args: string[], runEnv: NodeJS.ProcessEnv = env) {
    const io = captureIo({ cwd: folder, env: runEnv });
    const code = await runCli(args, io);
    return { code, out: io.out(), err: io.err() };
  }

  it('creates, lists and revokes keys where the servers read them, with --database-url or the environment', async () => {
    const created = await run([
      'keys',
      'create',
      '--name',
      'shared',
      '--json',
      '--database-url',
      testPostgresUrl,
    ]);
    expect(created.code, created.err).toBe(0);
    const { secret, id } = z.object({ secret: z.string(), id: z.string() }).parse(JSON.parse(created.out));
    const pool = (await schema()).pool();
    try {
      expect((await new PostgresApiKeyStore(pool).verify(secret))?.id).toBe(id);
      // Configured like serve: IMAGEGATE_STORE=postgres with IMAGEGATE_POSTGRES_URL.
      const listed = await run(['keys', 'list', '--json'], {
        ...env,
        IMAGEGATE_STORE: 'postgres',
        IMAGEGATE_POSTGRES_URL: testPostgresUrl,
      });
      expect(listed.code, listed.err).toBe(0);
      expect(
        z
          .array(keyViewSchema)
          .parse(JSON.parse(listed.out))
          .map((key) => key.id),
      ).toEqual([id]);
      const revoked = await run(['keys', 'revoke', id, '--json', '--database-url', testPostgresUrl]);
      expect(revoked.code, revoked.err).toBe(0);
      expect(keyViewSchema.parse(JSON.parse(revoked.out)).revoked_at).not.toBeNull();
      expect(await new PostgresApiKeyStore(pool).verify(secret)).toBeUndefined();
      // Nothing was written to a data directory.
      const local = await run(['keys', 'list', '--json', '--data-dir', 'data']);
      expect(JSON.parse(local.out)).toEqual([]);
    } finally {
      await pool.end();
    }
  });

  it('reports spend from the PostgreSQL task store', async () => {
    const store = new PostgresTaskStore((await schema()).pool());
    const request = {
      model: 'image_fast',
      prompt: 'p',
      outputFormat: 'png' as const,
      references: [],
      history: [],
      imageCount: 1,
    };
    const createdAtMs = Date.UTC(2026, 5, 1, 12);
    for (const [index, apiKeyId] of ['key_a', 'key_b'].entries()) {
      await store.create(
        {
          id: `task_img_01jx000000000000000000000${index + 1}`,
          request,
          metadata: {},
          apiKeyId,
          estimatedCostUsd: 0.067,
          createdAtMs: createdAtMs + index,
        },
        undefined,
        createdAtMs + index,
      );
    }
    const claimed = (await store.claim('worker', createdAtMs + 10, 60_000))!;
    await store.complete(
      claimed.lease,
      {
        status: 'success',
        result: { images: [], nextTurnContents: [] },
        attempts: [],
        warnings: [],
        actualCostUsd: 0.07,
        servedBy: { modelId: 'gemini-3.1-flash-image', platform: 'gemini-api' },
      },
      createdAtMs + 20,
    );
    await store.close();
    const result = await run([
      'cost',
      'report',
      '--by',
      'key',
      '--database-url',
      testPostgresUrl,
      '--from',
      '2026-06-01',
      '--to',
      '2026-06-01',
      '--json',
    ]);
    expect(result.code, result.err).toBe(0);
    const report = reportSchema.parse(JSON.parse(result.out));
    expect(report.groups.map((group) => group.key)).toEqual(['key_a', 'key_b']);
    expect(report.total.actualUsd).toBeCloseTo(0.07, 10);
    expect(report.total.estimatedUsd).toBeCloseTo(0.134, 10);
  });

  it('refuses a --database-url that is not a PostgreSQL URL, naming the flag', async () => {
    const result = await run(['cost', 'report', '--database-url', 'mysql://db/imagegate']);
    expect(result.code).toBe(2);
    expect(result.err).toContain('--database-url');
    expect(result.err).toContain('"mysql://db/imagegate"');
  });
});
