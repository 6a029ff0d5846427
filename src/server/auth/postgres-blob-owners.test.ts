import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock/index.js';
import { loadPostgresAdapter } from '../../tasks/index.js';
import { postgresAvailable, temporaryPostgresSchema } from '../../tasks/test-support/temporary-postgres.js';
import { PostgresBlobOwners } from './postgres-blob-owners.js';

const { PostgresTaskStore } = await loadPostgresAdapter();

const available = await postgresAvailable();
const sha = (character: string) => character.repeat(64);

describe.skipIf(!available)('PostgreSQL blob ownership', () => {
  const schema = temporaryPostgresSchema();
  const pools: { end(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const pool of pools) await pool.end();
  });

  it('answers the same on every instance: what a key added is its own, admins reach everything', async () => {
    const temporary = await schema();
    await temporary.truncate();
    const [first, second] = [temporary.pool(), temporary.pool()];
    pools.push(first, second);
    await new PostgresBlobOwners(first).add(sha('a'), 'key_a');
    await new PostgresBlobOwners(first).add(sha('b'), undefined);
    const other = new PostgresBlobOwners(second);
    expect(await other.reachable({ keyId: 'key_a', admin: false }, sha('a'))).toBe(true);
    expect(await other.reachable({ keyId: 'key_b', admin: false }, sha('a'))).toBe(false);
    expect(await other.reachable({ keyId: undefined, admin: false }, sha('b'))).toBe(true);
    expect(await other.reachable({ keyId: undefined, admin: false }, sha('a'))).toBe(false);
    expect(await other.reachable({ keyId: 'key_b', admin: true }, sha('a'))).toBe(true);
  });

  it("makes a successful task's images and its next turn's stored images its key's, in the completing transaction", async () => {
    const temporary = await schema();
    await temporary.truncate();
    const pool = temporary.pool();
    pools.push(pool);
    const clock = new ManualClock(Date.UTC(2026, 5, 1));
    const store = new PostgresTaskStore(pool, { clock, closePool: false });
    const nowMs = clock.nowMs();
    await store.create({
      id: 'task_img_01jx0000000000000000000001',
      request: {
        model: 'image_fast',
        prompt: 'p',
        outputFormat: 'png',
        references: [],
        history: [],
        imageCount: 1,
      },
      metadata: {},
      apiKeyId: 'key_a',
      createdAtMs: nowMs,
    });
    const claimed = await store.claim('worker', nowMs, 30_000);
    await store.complete(
      claimed!.lease,
      {
        status: 'success',
        result: {
          images: [{ sha256: sha('c'), mimeType: 'image/png', width: 8, height: 8 }],
          nextTurnContents: [
            {
              role: 'model',
              parts: [{ fileData: { mimeType: 'image/png', fileUri: `/v1/images/${sha('d')}` } }],
            },
          ],
        },
        attempts: [],
        warnings: [],
        servedBy: { modelId: 'gemini-3.1-flash-image', platform: 'gemini-api' },
      },
      nowMs + 1,
    );
    const owners = new PostgresBlobOwners(pool);
    const owner = { keyId: 'key_a', admin: false };
    expect(await owners.reachable(owner, sha('c'))).toBe(true);
    expect(await owners.reachable(owner, sha('d'))).toBe(true);
    expect(await owners.reachable({ keyId: 'key_b', admin: false }, sha('c'))).toBe(false);
  });
});
