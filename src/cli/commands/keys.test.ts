import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiKeyStore } from '../../server/auth/index.js';
import { ManualClock } from '../../clock/index.js';
import { dataDirectoryLayout } from '../../tasks/index.js';
import type { CliIo } from '../cli-io.js';
import { keysCommand } from './keys.js';

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'imagegate-keys-'));
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  let code = 0;
  const io: CliIo = {
    stdout: (text) => (out += text),
    stderr: (text) => (err += text),
    env: {},
    cwd: directory,
    isInteractive: false,
    clock: new ManualClock(Date.UTC(2026, 10, 21)),
  };
  const command = keysCommand(io, (exitCode) => (code = exitCode));
  command
    .exitOverride()
    .configureOutput({ writeOut: (text) => (out += text), writeErr: (text) => (err += text) });
  for (const sub of command.commands) {
    sub
      .exitOverride()
      .configureOutput({ writeOut: (text) => (out += text), writeErr: (text) => (err += text) });
  }
  try {
    await command.parseAsync(args, { from: 'user' });
  } catch {
    code = code || 2;
  }
  return { code, out, err };
}

describe('imagegate keys', () => {
  it('creates a key whose printed secret verifies against the server database', async () => {
    const created = await run([
      'create',
      '--name',
      'nightly jobs',
      '--rate-limit',
      '30',
      '--monthly-budget',
      '25',
    ]);
    expect(created.code).toBe(0);
    const secret = /igk_[0-9A-Za-z]{32}/.exec(created.out)?.[0] ?? '';
    expect(created.out).toContain('Created API key "nightly jobs"');
    expect(created.out).toContain('30 requests/minute, $25.00/month');
    expect(created.out).toContain('cannot be shown again');
    const database = new Database(join(directory, '.imagegate', dataDirectoryLayout.database));
    const record = new ApiKeyStore(database).verify(secret);
    database.close();
    expect(record).toMatchObject({ name: 'nightly jobs', rateLimitPerMinute: 30, monthlyBudgetUsd: 25 });
  });

  it('creates an admin key with --admin, and says so', async () => {
    const created = await run(['create', '--name', 'operator', '--admin']);
    expect(created.code).toBe(0);
    expect(created.out).toContain('(key_');
    expect(created.out).toContain('admin).');
    const secret = /igk_[0-9A-Za-z]{32}/.exec(created.out)?.[0] ?? '';
    const database = new Database(join(directory, '.imagegate', dataDirectoryLayout.database));
    const record = new ApiKeyStore(database).verify(secret);
    database.close();
    expect(record?.admin).toBe(true);
    const plain = JSON.parse((await run(['create', '--name', 'app', '--json'])).out) as { admin: boolean };
    expect(plain.admin).toBe(false);
  });

  it('prints JSON with the secret once, and lists keys without secrets', async () => {
    const dataDir = join(directory, 'data');
    const created = JSON.parse(
      (await run(['create', '--name', 'ci', '--json', '--data-dir', dataDir])).out,
    ) as {
      id: string;
      prefix: string;
      secret: string;
    };
    expect(created.secret.startsWith(created.prefix)).toBe(true);
    const listed = await run(['list', '--json', '--data-dir', dataDir]);
    expect(JSON.parse(listed.out)).toEqual([
      {
        id: created.id,
        name: 'ci',
        prefix: created.prefix,
        // The injected clock's day, not today: key dates never depend on when the suite runs.
        created_at: '2026-11-21T00:00:00.000Z',
        revoked_at: null,
        rate_limit_per_minute: null,
        monthly_budget_usd: null,
        admin: false,
      },
    ]);
    expect(listed.out).not.toContain(created.secret);
    const text = await run(['list', '--data-dir', dataDir]);
    expect(text.out).toMatch(/^ID\s+PREFIX\s+NAME/);
    expect(text.out).toContain(`${created.prefix}…`);
    expect(text.out).toContain('active');
  });

  it('revokes by prefix or id, and says when nothing matches', async () => {
    const first = JSON.parse((await run(['create', '--name', 'one', '--json'])).out) as {
      id: string;
      prefix: string;
    };
    const second = JSON.parse((await run(['create', '--name', 'two', '--json'])).out) as { id: string };
    expect(await run(['revoke', first.prefix])).toMatchObject({
      code: 0,
      out: expect.stringContaining('Revoked API key "one"'),
    });
    expect((await run(['revoke', second.id])).code).toBe(0);
    expect((await run(['list'])).out.match(/revoked \d{4}/g)).toHaveLength(2);
    const missing = await run(['revoke', 'igk_nothing']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('No API key has the id or prefix "igk_nothing"');
  });

  it.each([
    [['create', '--name', 'x', '--rate-limit', 'fast'], '--rate-limit'],
    [['create', '--name', 'x', '--rate-limit', '0'], 'more than 0'],
    [['create', '--name', 'x', '--monthly-budget', '-5'], 'above 0'],
    [['create', '--name', '  '], 'a name is required'],
  ])('refuses %j with exit code 2', async (args, message) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.err).toContain(message);
  });

  it('reports a missing --name through the io instead of exiting', async () => {
    const result = await run(['create']);
    expect(result.code).toBe(2);
    expect(result.err).toContain("required option '--name <name>' not specified");
  });

  it('says how to start when there are no keys', async () => {
    expect((await run(['list'])).out).toContain('No API keys yet');
  });
});
