import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ignore from 'ignore';
import { getFileInfo } from 'prettier';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/run-cli.js';
import {
  EmulatorClock,
  Faults,
  parseScenario,
  startEmulator,
  type RunningEmulator,
} from '../src/emulator/index.js';
import { ManualClock } from '../src/clock/index.js';
import { captureIo } from './support/capture-io.js';
import { testDayMs } from './support/test-day.js';

/**
 * The README's examples, run as printed so they never rot. Code blocks whose info string carries `test`
 * are executed: `npx imagegate …` lines through the CLI in-process (no key, so the built-in emulator
 * answers), TypeScript blocks with tsx in a child process.
 */
const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));
const readme = await readFile(join(repositoryRoot, 'README.md'), 'utf8');

interface CodeBlock {
  info: string;
  code: string;
}

function codeBlocks(markdown: string): CodeBlock[] {
  const pattern = /^```(.*)\n([\s\S]*?)^```$/gm;
  return [...markdown.matchAll(pattern)].map((match) => ({ info: match[1]!.trim(), code: match[2]! }));
}

/** Splits a shell line into words, honouring double and single quotes (all the README uses). */
function shellWords(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((match) => match[1] ?? match[2] ?? match[3]!);
}

const blocks = codeBlocks(readme);
/** A command line, its words without the trailing comment, and the exit code the comment promises. */
function commandLines(info: string) {
  return blocks
    .filter((block) => block.info === info)
    .flatMap((block) => block.code.split('\n'))
    .filter((line) => line.startsWith('npx imagegate '))
    .map((line) => {
      const [command = '', comment = ''] = line.split(' # ');
      return {
        line,
        words: shellWords(command).slice(2),
        exitCode: Number(/exit (\d)$/.exec(comment)?.[1] ?? 0),
      };
    });
}
const cliLines = commandLines('sh test');

/** Every file under `directory`, as paths relative to it with `/` separators. */
async function filesUnder(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(directory, join(entry.parentPath, entry.name)).split('\\').join('/'));
}

/** The folder the README's examples write into; the checkout's ignore files must cover it. */
const examplesOutput = 'out/';
/** Blocks like ```yaml file=plan.yaml are files the commands read. */
const exampleFiles = blocks.flatMap((block) => {
  const name = /\bfile=(\S+)/.exec(block.info)?.[1];
  return name ? [{ name, content: block.code }] : [];
});
const tsxBinary = join(repositoryRoot, 'node_modules', '.bin', 'tsx');
const runFile = promisify(execFile);

async function runTypeScript(code: string, env: NodeJS.ProcessEnv): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'imagegate-readme-'));
  const rewritten = code
    .replace(/from 'imagegate'/g, `from '${join(repositoryRoot, 'src', 'index.ts')}'`)
    .replace(/from '@google\/genai'/g, `from '${import.meta.resolve('@google/genai')}'`);
  const file = join(directory, 'example.mts');
  await writeFile(file, rewritten);
  const { stdout } = await runFile(tsxBinary, [file], {
    cwd: directory,
    env: { PATH: process.env.PATH, ...env },
    timeout: 60_000,
  });
  return stdout;
}

describe('README', () => {
  it('has command examples to run', () => {
    expect(cliLines.length).toBeGreaterThanOrEqual(8);
  });

  it('runs every command example with the exit code its comment promises (default 0)', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'imagegate-readme-cli-'));
    for (const file of exampleFiles) await writeFile(join(directory, file.name), file.content);
    for (const { line, words, exitCode: expectedExitCode } of cliLines) {
      const io = captureIo({ cwd: directory });
      const exitCode = await runCli(words, io);
      const failure = exitCode === expectedExitCode ? '' : io.err();
      expect({ line, exitCode, failure }).toEqual({ line, exitCode: expectedExitCode, failure: '' });
    }
    // Run in a checkout, the examples write only into the ignored folder: `npm test` stays green.
    const written = (await filesUnder(directory)).filter(
      (path) => !exampleFiles.some((file) => file.name === path),
    );
    expect(written.length).toBeGreaterThan(0);
    expect(written.filter((path) => !path.startsWith(examplesOutput))).toEqual([]);
  });

  it('points every -o and --out in its commands into the ignored folder', () => {
    const outputs = readme
      .split('\n')
      .filter((line) => line.includes('npx imagegate '))
      .flatMap((line) => [...line.matchAll(/(?:^|\s)(?:-o|--out)\s+(\S+)/g)].map((match) => match[1]!));
    expect(outputs.length).toBeGreaterThanOrEqual(6);
    expect(outputs.filter((path) => !path.startsWith(examplesOutput))).toEqual([]);
  });

  it('keeps that folder out of git and out of prettier --check', async () => {
    const inside = `${examplesOutput}regress/report.html`;
    const gitignore = ignore().add(await readFile(join(repositoryRoot, '.gitignore'), 'utf8'));
    expect(gitignore.ignores(inside)).toBe(true);
    const info = await getFileInfo(join(repositoryRoot, inside), {
      ignorePath: join(repositoryRoot, '.prettierignore'),
    });
    expect(info.ignored).toBe(true);
  });

  it('runs the library example', async () => {
    const code = blocks.find((block) => block.info === 'ts test')?.code;
    expect(code).toBeDefined();
    const stdout = await runTypeScript(code!, {});
    expect(stdout).toMatch(/^1376 768 gemini-3\.1-flash-image 0\.\d+ \[\]\n1 4\n$/);
  });

  it('shows a scenario the emulator accepts and that does what the README says', async () => {
    const yaml = blocks.find((block) => block.info === 'yaml scenario')?.code;
    expect(yaml).toBeDefined();
    const scenario = parseScenario(yaml!, 'README.md');
    const clock = new EmulatorClock();
    const faults = new Faults({ clock, scenario });
    expect(new Date(clock.nowMs()).toISOString().slice(0, 10)).toBe('2026-06-26');
    const call = {
      platform: 'gemini-api' as const,
      modelId: 'gemini-3.1-flash-image',
      method: 'generateContent' as const,
    };
    expect(faults.beforeCall({ ...call, prompt: 'a cat' })).toMatchObject({ kind: 'error', httpStatus: 503 });
    expect(faults.beforeCall({ ...call, prompt: 'a cat' })).toBeUndefined();
    expect(faults.safetyVerdict({ ...call, prompt: 'a Weapon' })).toEqual({
      kind: 'finish',
      finishReason: 'IMAGE_SAFETY',
    });
  });

  describe('with the emulator running', () => {
    let emulator: RunningEmulator;
    beforeAll(async () => {
      emulator = await startEmulator({ port: 0, clock: new ManualClock(testDayMs) });
    });
    afterAll(() => emulator.close());

    it('runs the plain @google/genai example through GOOGLE_GEMINI_BASE_URL', async () => {
      const code = blocks.find((block) => block.info === 'ts test-with-emulator')?.code;
      expect(code).toBeDefined();
      const stdout = await runTypeScript(code!, { GOOGLE_GEMINI_BASE_URL: emulator.url });
      expect(stdout).toMatch(/^image\/png \d+\n$/);
      expect(emulator.stats.snapshot().models['gemini-3.1-flash-image']?.calls).toBe(1);
    });

    /** What the README exports before these examples: the emulator's URL and any key. */
    const emulatorEnv = () => ({ GOOGLE_GEMINI_BASE_URL: emulator.url, GEMINI_API_KEY: 'any-key' });

    it('runs the CLI against it with GOOGLE_GEMINI_BASE_URL and any key, not in-process', async () => {
      const lines = commandLines('sh test-with-emulator');
      expect(lines.length).toBeGreaterThanOrEqual(1);
      const directory = await mkdtemp(join(tmpdir(), 'imagegate-readme-emulator-'));
      for (const { line, words } of lines) {
        emulator.stats.reset();
        const io = captureIo({ cwd: directory, env: emulatorEnv() });
        expect({ line, exitCode: await runCli(words, io) }).toEqual({ line, exitCode: 0 });
        expect(io.err()).not.toContain('built-in Gemini emulator');
        expect(emulator.stats.snapshot().models['gemini-3.1-flash-image']?.calls).toBe(1);
      }
    });

    it('runs the library against it the same way', async () => {
      const code = blocks.find((block) => block.info === 'ts test-with-emulator-library')?.code;
      expect(code).toBeDefined();
      emulator.stats.reset();
      const stdout = await runTypeScript(code!, emulatorEnv());
      expect(stdout).toBe('gemini-3.1-flash-image 1\n');
      expect(emulator.stats.snapshot().models['gemini-3.1-flash-image']?.calls).toBe(1);
    });
  });
});
