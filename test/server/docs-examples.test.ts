import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/index.js';

/**
 * The shell examples of docs/server.md marked `sh test`, run as printed with bash, curl and jq against a
 * real server on the built-in emulator (only the address changes). Without those tools the examples
 * cannot run, so the suite skips with one line, except under CI, which installs them.
 */
const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));
const documented = await readFile(join(repositoryRoot, 'docs', 'server.md'), 'utf8');
const shellExamples = [...documented.matchAll(/^```sh test\n([\s\S]*?)^```$/gm)].map((match) => match[1]!);

const onPath = (tool: string) =>
  (process.env.PATH ?? '').split(delimiter).some((folder) => folder && existsSync(join(folder, tool)));
const missingTools = ['bash', 'curl', 'jq'].filter((tool) => !onPath(tool));
if (missingTools.length > 0) {
  if (process.env.CI === 'true') throw new Error(`CI needs ${missingTools.join(', ')} for the docs examples`);
  console.log(`skipping docs/server.md shell examples: ${missingTools.join(', ')} not on PATH`);
}
const runShell = promisify(execFile);

let directory: string;
let server: RunningServer;

describe.skipIf(missingTools.length > 0)('docs/server.md examples', () => {
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'imagegate-docs-'));
    server = await startServer({
      port: 0,
      dataDirectory: join(directory, 'data'),
      env: { GEMINI_API_KEY: '' },
    });
  });
  afterAll(async () => {
    await server.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('has examples to run', () => {
    expect(shellExamples.length).toBeGreaterThanOrEqual(1);
  });

  it.each(shellExamples.map((script, index) => [index, script] as const))(
    'example %i runs as printed',
    async (_index, script) => {
      const { stdout } = await runShell(
        'bash',
        ['-euo', 'pipefail', '-c', script.replaceAll('http://127.0.0.1:8080', server.url)],
        {
          cwd: directory,
          timeout: 60_000,
        },
      );
      const answer = JSON.parse(stdout) as { status: string; result: { next_turn_contents: unknown[] } };
      expect(answer.status).toBe('success');
      // The continued conversation: the first turn, its reply, then this turn and its reply.
      expect(answer.result.next_turn_contents.length).toBe(4);
      expect(stdout.length).toBeLessThan(10_240);
    },
  );

  it('keeps a task under 10 KB whatever the image size: images are referenced, never inlined', async () => {
    const response = await fetch(`${server.url}/v1/images/generations?wait=30`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'image_quality', prompt: 'a detailed harbour', image_size: '4K' }),
    });
    const text = await response.text();
    const task = JSON.parse(text) as {
      status: string;
      result: { images: { url: string }[]; next_turn_contents: { parts: Record<string, unknown>[] }[] };
    };
    expect(task.status).toBe('success');
    expect(text.length).toBeLessThan(10_240);
    const imageParts = task.result.next_turn_contents
      .flatMap((content) => content.parts)
      .filter((part) => 'fileData' in part);
    expect(imageParts.length).toBe(1);
    // Every reference is a path the server answers with the image.
    for (const part of imageParts) {
      const { fileUri } = part['fileData'] as { fileUri: string };
      const image = await fetch(`${server.url}${fileUri}`);
      expect(image.status).toBe(200);
      expect(image.headers.get('content-type')).toBe('image/png');
    }
  });

  it('refuses a reference to an image the server does not hold, naming the part', async () => {
    const response = await fetch(`${server.url}/v1/images/generations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        prompt: 'continue',
        contents: [
          {
            role: 'user',
            parts: [
              { text: 'x' },
              { fileData: { mimeType: 'image/png', fileUri: `/v1/images/${'a'.repeat(64)}` } },
            ],
          },
        ],
      }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { param: string } };
    expect(body.error.param).toBe('contents[0].parts[1].fileData.fileUri');
  });
});
