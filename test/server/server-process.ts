import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));
/** tsx's loader by absolute path, so the child can run from any working directory. */
const tsxLoader = new URL('node_modules/tsx/dist/loader.mjs', new URL('../../', import.meta.url)).href;

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  /** Resolves with the exit code or signal. */
  exited: Promise<number | NodeJS.Signals | null>;
}

/** Runs `imagegate serve` as a child process from the sources and resolves once it prints its URL. */
export function startServerProcess(options: {
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
}): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    ['--import', tsxLoader, `${repositoryRoot}src/cli/main.ts`, 'serve', '--port', '0', ...options.args],
    { cwd: options.cwd, env: { PATH: process.env.PATH, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code)),
  );
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /imagegate listening on (http:\/\/\S+)/.exec(stdout);
      if (match) resolve({ url: match[1]!, child, stderr: () => stderr, exited });
    });
    void exited.then((code) =>
      reject(new Error(`imagegate serve exited (${String(code)}) before listening:\n${stderr}`)),
    );
  });
}

export interface CliProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs one `imagegate …` command as a child process from the sources, as a user's shell would. */
export function runCliProcess(
  args: string[],
  options: { env: NodeJS.ProcessEnv; cwd: string },
): Promise<CliProcessResult> {
  const child = spawn(
    process.execPath,
    ['--import', tsxLoader, `${repositoryRoot}src/cli/main.ts`, ...args],
    {
      cwd: options.cwd,
      env: { PATH: process.env.PATH, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}
