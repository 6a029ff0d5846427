import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock/index.js';
import { ApiKeyStore, PostgresApiKeyStore } from '../../server/auth/index.js';
import { loadPostgresAdapter, newTaskId, openDataDirectory, SqliteTaskStore } from '../../tasks/index.js';
import {
  postgresAvailable,
  temporaryPostgresSchema,
  testPostgresUrl,
} from '../../tasks/test-support/temporary-postgres.js';
import type { CliIo } from '../cli-io.js';
import { migrateCommand, parseMigrateFlags } from './migrate.js';

const { PostgresTaskStore } = await loadPostgresAdapter();

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'imagegate-migrate-'));
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

async function run(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  let code = 0;
  const io: CliIo = {
    stdout: (text) => (out += text),
    stderr: (text) => (err += text),
    env,
    cwd: directory,
    isInteractive: false,
    clock: new ManualClock(Date.UTC(2026, 10, 21)),
  };
  const command = migrateCommand(io, (exitCode) => (code = exitCode));
  command
    .exitOverride()
    .configureOutput({ writeOut: (text) => (out += text), writeErr: (text) => (err += text) });
  await command.parseAsync(args, { from: 'user' });
  return { code, out, err };
}

describe('imagegate migrate flags', () => {
  it('names the flag and what it allows', () => {
    expect(() => parseMigrateFlags({ from: './data' })).toThrow(/--from "\.\/data": sqlite:<data directory>/);
    expect(() => parseMigrateFlags({ to: 'mysql://x' })).toThrow(/--to "mysql:\/\/x": a postgres:\/\//);
    expect(parseMigrateFlags({ from: 'sqlite:./data' }).from).toBe('./data');
  });

  it('refuses to run without a PostgreSQL store', async () => {
    const result = await run([]);
    expect(result.code).not.toBe(0);
    expect(result.err).toMatch(/the store is sqlite/);
  });
});

const available = await postgresAvailable();
describe.skipIf(!available)('imagegate migrate --from sqlite:DIR --to postgres://…', () => {
  const schema = temporaryPostgresSchema('imagegate_cli');

  it('copies a single-instance installation; keys made there verify on PostgreSQL', async () => {
    const temporary = await schema();
    await temporary.truncate();
    const data = openDataDirectory(join(directory, 'data'), { cwd: directory });
    const startMs = Date.UTC(2026, 2, 1);
    const sqlite = new SqliteTaskStore(data.handle, { closeDatabase: false });
    const { task } = await sqlite.create({
      id: newTaskId(startMs),
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
    const { secret } = new ApiKeyStore(data.handle).create({ name: 'moved', monthlyBudgetUsd: 1 });
    data.handle.close();

    const args = ['--from', 'sqlite:data', '--to', testPostgresUrl, '--schema', temporary.name];
    const first = await run(args);
    expect(first.err).toBe('');
    expect(first.out).toContain('Copied tasks: 1 new of 1 read.');
    expect(first.out).toContain('Copied api_keys: 1 new of 1 read.');
    expect((await run(args)).out).toContain('Copied tasks: 0 new of 1 read.');

    const pool = temporary.pool();
    try {
      expect((await new PostgresTaskStore(pool, { closePool: false }).get(task.id))?.id).toBe(task.id);
      expect(await new PostgresApiKeyStore(pool).verify(secret)).toMatchObject({
        name: 'moved',
        monthlyBudgetUsd: 1,
      });
    } finally {
      await pool.end();
    }
  });
});
