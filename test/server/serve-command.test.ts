import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { curlExample, parseServeFlags, serveCommand } from '../../src/cli/commands/serve.js';
import type { RunningServer } from '../../src/server/index.js';
import { captureIo } from '../support/capture-io.js';

/** Splits a shell command written with single-quoted words (what `curlExample` prints). */
function shellWords(command: string): string[] {
  return [...command.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map(
    (match) => match[1] ?? match[2] ?? match[3]!,
  );
}

/** Replays a printed `curl -X POST URL -H … -d …` with fetch. */
function replayCurl(command: string): Promise<Response> {
  const words = shellWords(command);
  expect(words[0]).toBe('curl');
  let method = 'GET';
  let url = '';
  let body: string | undefined;
  const headers = new Headers();
  for (let index = 1; index < words.length; index += 1) {
    const word = words[index]!;
    if (word === '-s') continue;
    if (word === '-X') method = words[++index]!;
    else if (word === '-H') {
      const [name, ...value] = words[++index]!.split(':');
      headers.set(name!.trim(), value.join(':').trim());
    } else if (word === '-d') body = words[++index];
    else url = word;
  }
  return fetch(url, { method, headers, ...(body !== undefined ? { body } : {}) });
}

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

describe('imagegate serve', () => {
  it('prints the URL and a curl example that works as printed, then stops gracefully', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'imagegate-serve-'));
    cleanup.push(() => rm(cwd, { recursive: true, force: true }));
    const io = captureIo({ cwd, env: {} });
    let started: (server: RunningServer) => void = () => {};
    const running = new Promise<RunningServer>((resolve) => (started = resolve));
    let stop: () => void = () => {};
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const finished = serveCommand(io, async (server) => {
      started(server);
      await stopped;
    }).parseAsync(['--port', '0', '--data-dir', 'state'], { from: 'user' });
    const server = await running;

    const lines = io.out().split('\n');
    expect(lines[0]).toBe(`imagegate listening on ${server.url}`);
    expect(server.dataDirectory).toBe(join(cwd, 'state'));
    expect(io.err()).toContain('built-in Gemini emulator');
    const curl = lines.find((line) => line.trim().startsWith('curl '))!.trim();
    const response = await replayCurl(curl);
    expect(response.status).toBe(200);
    const task = (await response.json()) as {
      status: string;
      result: { images: Array<{ url: string; width: number }> };
    };
    expect(task.status).toBe('success');
    const image = await fetch(`${server.url}${task.result.images[0]!.url}`);
    expect(image.headers.get('content-type')).toBe('image/png');

    stop();
    await finished;
    expect(io.err()).toContain('imagegate stopped');
  });

  it('includes the Authorization header when keys are required', () => {
    expect(curlExample('http://127.0.0.1:8080', true)).toContain('Authorization: Bearer $IMAGEGATE_API_KEY');
    expect(curlExample('http://127.0.0.1:8080', false)).not.toContain('Authorization');
  });

  it('refuses bad flags naming the flag and the value', () => {
    expect(() => parseServeFlags({ port: '80000' })).toThrow(
      'Invalid --port "80000": port must be between 0 and 65535',
    );
    expect(() => parseServeFlags({ dataDir: '' })).toThrow('Invalid --data-dir ""');
  });
});
