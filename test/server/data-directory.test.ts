import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliProcess, startServerProcess, type ServerProcess } from './server-process.js';

/**
 * Keys, tasks and cost live in one data directory: what `imagegate keys` writes, `imagegate serve`
 * reads, and `imagegate cost report` sees what that server ran. Each command is its own process.
 */
describe('one data directory across commands', () => {
  let folder: string;
  let server: ServerProcess | undefined;
  const env = { GEMINI_API_KEY: '' };

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'imagegate-data-dir-'));
  });
  afterEach(async () => {
    server?.child.kill('SIGKILL');
    await server?.exited;
    server = undefined;
    await rm(folder, { recursive: true, force: true });
  });

  it('a key made with "keys create" works against "serve", a revoked one gets 401 at once, cost report sees the task', async () => {
    const dataDir = join(folder, 'data');
    const created = await runCliProcess(
      ['keys', 'create', '--name', 'nightly', '--json', '--data-dir', dataDir],
      {
        env,
        cwd: folder,
      },
    );
    expect(created.code, created.stderr).toBe(0);
    const { secret, id } = JSON.parse(created.stdout) as { secret: string; id: string };

    server = await startServerProcess({ args: ['--data-dir', dataDir], env, cwd: folder });
    const submit = (key: string) =>
      fetch(`${server!.url}/v1/images/generations?wait=30`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ model: 'image_fast', prompt: 'a lighthouse' }),
      });
    const accepted = await submit(secret);
    expect(accepted.status).toBe(200);
    const task = (await accepted.json()) as { status: string };
    expect(task.status).toBe('success');

    const report = await runCliProcess(['cost', 'report', '--by', 'key', '--json', '--data-dir', dataDir], {
      env,
      cwd: folder,
    });
    expect(report.code, report.stderr).toBe(0);
    const groups = (JSON.parse(report.stdout) as { groups: { key: string; tasks: number }[] }).groups;
    expect(groups).toEqual([expect.objectContaining({ key: id, tasks: 1 })]);

    const revoked = await runCliProcess(['keys', 'revoke', id, '--data-dir', dataDir], { env, cwd: folder });
    expect(revoked.code, revoked.stderr).toBe(0);
    expect((await submit(secret)).status).toBe(401);
  });

  it('cost report on a directory with no database is a bad flag (exit 2), not an empty report', async () => {
    const report = await runCliProcess(['cost', 'report', '--data-dir', join(folder, 'nothing-here')], {
      env,
      cwd: folder,
    });
    expect(report.code).toBe(2);
    expect(report.stderr).toContain('--data-dir');
  });
});
