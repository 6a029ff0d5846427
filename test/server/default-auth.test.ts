import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/index.js';
import { startServer } from '../../src/server/index.js';

const directories: string[] = [];
afterEach(async () => {
  await Promise.all(
    directories.splice(0).map((directory) => rm(directory, { recursive: true, force: true })),
  );
});

async function dataDirectory(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'imagegate-default-auth-'));
  directories.push(directory);
  return join(directory, 'data');
}

describe('serve and the default-auth rule', () => {
  it('refuses to listen on a non-loopback host while no key exists', async () => {
    await expect(
      startServer({
        config: configSchema.parse({}),
        host: '0.0.0.0',
        port: 0,
        dataDirectory: await dataDirectory(),
        env: {},
      }),
    ).rejects.toThrow(/Refusing to listen on 0\.0\.0\.0 without API keys.*allowUnauthenticated/);
  });

  it('answers without auth on loopback, says so at start, and keeps its data directory owner-only', async () => {
    const notices: string[] = [];
    const directory = await dataDirectory();
    const server = await startServer({
      config: configSchema.parse({}),
      port: 0,
      dataDirectory: directory,
      env: {},
      onNotice: (line) => notices.push(line),
    });
    try {
      expect(notices.join('\n')).toContain(
        'No API keys exist: answering without auth on 127.0.0.1 (loopback only)',
      );
      expect((await fetch(`${server.url}/v1/tasks`)).status).toBe(200);
      expect((await stat(directory)).mode & 0o777).toBe(0o700);
      expect((await stat(join(directory, 'tasks.sqlite'))).mode & 0o777).toBe(0o600);
      const health = (await (await fetch(`${server.url}/healthz`)).json()) as { status: string };
      expect(health.status).toBe('ok');
    } finally {
      await server.close();
    }
  });
});
