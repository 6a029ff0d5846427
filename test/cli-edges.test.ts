import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/run-cli.js';
import { startEmulator, type RunningEmulator } from '../src/emulator/index.js';
import { ManualClock } from '../src/clock/index.js';
import { captureIo } from './support/capture-io.js';
import { testDayMs } from './support/test-day.js';

/** The CLI's rough edges a new user hit (issue 9): each is refused at once, with exit 2 and a message. */
const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));
const tsxLoader = new URL('node_modules/tsx/dist/loader.mjs', new URL('../', import.meta.url)).href;

let emulator: RunningEmulator;
let directory: string;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0, clock: new ManualClock(testDayMs) });
  directory = await mkdtemp(join(tmpdir(), 'imagegate-cli-edges-'));
  await writeFile(join(directory, 'notes.txt'), 'a file, not a folder');
});
afterAll(() => emulator.close());

/** Runs against the standalone emulator (any key), so its call statistics prove what was sent. */
async function run(args: string[]) {
  emulator.stats.reset();
  const io = captureIo({
    cwd: directory,
    env: { GEMINI_API_KEY: 'any-key', GOOGLE_GEMINI_BASE_URL: emulator.url },
  });
  const exitCode = await runCli(args, io);
  const calls = Object.values(emulator.stats.snapshot().models).reduce((sum, model) => sum + model.calls, 0);
  return { exitCode, stdout: io.out(), stderr: io.err(), calls };
}

describe('output paths are checked before any call', () => {
  it('refuses -o under a file with exit 2, and sends nothing', async () => {
    const result = await run(['generate', 'a lighthouse', '-o', 'notes.txt/out.png']);
    expect(result).toMatchObject({ exitCode: 2, calls: 0 });
    expect(result.stderr).toContain('-o "notes.txt/out.png": ');
    expect(result.stderr).toMatch(/notes\.txt" is a file, not a folder/);
  });

  it.skipIf(process.getuid?.() === 0)(
    'refuses an unwritable folder with exit 2, and sends nothing',
    async () => {
      const locked = join(directory, 'locked');
      await mkdir(locked, { recursive: true });
      await chmod(locked, 0o555);
      const result = await run(['generate', 'a lighthouse', '-o', 'locked/out.png']);
      expect(result).toMatchObject({ exitCode: 2, calls: 0 });
      expect(result.stderr).toMatch(/locked" is not writable/);
    },
  );

  it('creates missing folders after the call, as before', async () => {
    const result = await run(['generate', 'a lighthouse', '-o', 'new/deeper/out.png', '--size', '512']);
    expect(result).toMatchObject({ exitCode: 0, calls: 1 });
    expect(await readdir(join(directory, 'new', 'deeper'))).toEqual(['out.png']);
  });
});

describe('the -o extension and --format', () => {
  it('refuses a .png named file with --format jpeg, naming both flags, and sends nothing', async () => {
    const result = await run(['generate', 'a boat', '-o', 'boat.png', '--format', 'jpeg']);
    expect(result).toMatchObject({ exitCode: 2, calls: 0 });
    expect(result.stderr).toContain('--format jpeg disagrees with -o "boat.png" (.png is png)');
  });

  it('refuses an extension that is not an image format imagegate writes', async () => {
    const result = await run(['generate', 'a boat', '-o', 'boat.gif']);
    expect(result).toMatchObject({ exitCode: 2, calls: 0 });
    expect(result.stderr).toMatch(
      /\.gif is not an image format imagegate writes; use \.png, \.jpg or \.jpeg/,
    );
  });
});

describe('--json', () => {
  it('prints a JSON error for a bad flag (exit 2) as it does for a failed generation', async () => {
    const result = await run(['generate', 'a boat', '--aspect', '7:3', '--json']);
    expect(result).toMatchObject({ exitCode: 2, calls: 0 });
    expect(JSON.parse(result.stdout)).toMatchObject({
      ok: false,
      exitCode: 2,
      outcome: 'bad_input',
      message: expect.stringContaining('--aspect "7:3"'),
    });
  });

  it('prints a JSON error for a refused output path', async () => {
    const result = await run(['generate', 'a boat', '-o', 'notes.txt/x.png', '--json']);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, exitCode: 2, outcome: 'bad_input' });
  });
});

describe('messages speak of flags and arguments, not of library functions', () => {
  it.each([
    [['generate', ' '], 'the <prompt> argument is empty'],
    [['edit', 'in.png', ''], 'the <instruction> argument is empty'],
    [['thumbnail', 'clip.mp4', '--prompt', ''], '--prompt is empty'],
    [['generate', 'x', '--top-p', '3'], '--top-p "3": '],
    [['generate', 'x', '--n', '0'], '--n "0": '],
    [['models', '--config', ''], '--config "": '],
  ])('%j', async (args, expected) => {
    const result = await run(args);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(expected);
    expect(result.stderr).not.toMatch(/generateImage|editImage|thumbnailFromVideo|Invalid flags/);
  });
});

describe('serve and emulator on a busy port', () => {
  let blocker: Server;
  let port: number;
  beforeAll(async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    port = (blocker.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => blocker.close(() => resolve())));

  /** The real CLI in a child process: it must exit by itself, quickly, with a non-zero code. */
  function runChild(args: string[]): Promise<{ code: number | null; stderr: string; ms: number }> {
    const started = Date.now();
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        ['--import', tsxLoader, join(repositoryRoot, 'src', 'cli', 'main.ts'), ...args],
        { cwd: directory, env: { PATH: process.env.PATH }, timeout: 20_000 },
        (error, _stdout, stderr) =>
          resolve({ code: error ? (error.code as number | null) : 0, stderr, ms: Date.now() - started }),
      );
    });
  }

  it('emulator exits 2 at once with "port N is in use"', async () => {
    const result = await runChild(['emulator', '--port', String(port)]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`port ${port} is in use`);
    expect(result.stderr).not.toContain('EADDRINUSE');
  });

  it('serve exits 2 at once with "port N is in use"', async () => {
    const result = await runChild(['serve', '--port', String(port), '--data-dir', 'state']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`port ${port} is in use`);
    expect(result.ms).toBeLessThan(15_000);
  });
});
