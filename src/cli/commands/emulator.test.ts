import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock/index.js';
import type { CliIo } from '../cli-io.js';
import { emulatorCommand, listeningLine, parseEmulatorFlags } from './emulator.js';

function capturingIo(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    env: {},
    cwd: '.',
    isInteractive: false,
    clock: new ManualClock(Date.UTC(2026, 10, 21)),
  };
}

let directory: string | undefined;
afterEach(() => {
  if (directory) rmSync(directory, { recursive: true, force: true });
  directory = undefined;
  process.exitCode = undefined;
});

describe('parseEmulatorFlags', () => {
  it('reads the defaults commander passes', () => {
    expect(parseEmulatorFlags({ port: '8090', host: '127.0.0.1' })).toEqual({
      port: 8090,
      host: '127.0.0.1',
    });
  });

  it('splits --api-keys at commas', () => {
    expect(parseEmulatorFlags({ port: '1', host: 'h', apiKeys: 'k1, k2' }).apiKeys).toEqual(['k1', 'k2']);
  });

  it.each([
    [
      { port: '1', host: 'h', apiKeys: 'k1,,k2' },
      'Invalid --api-keys "k1,,k2": expected a comma-separated list of non-empty keys',
    ],
    [{ port: '70000', host: 'h' }, 'Invalid --port "70000": port must be between 0 and 65535'],
    [{ port: 'eighty', host: 'h' }, 'Invalid --port "eighty"'],
    [
      { port: '1', host: 'h', scenario: '/no/such/file.yaml' },
      'Invalid --scenario "/no/such/file.yaml": scenario file does not exist',
    ],
  ])('refuses %j', (raw, message) => {
    expect(() => parseEmulatorFlags(raw)).toThrow(message);
  });
});

describe('emulatorCommand', () => {
  it('prints the listening line with the export to copy, serves, and stops when asked', async () => {
    directory = mkdtempSync(join(tmpdir(), 'imagegate-cli-'));
    const scenario = join(directory, 'scenario.yaml');
    writeFileSync(scenario, 'clock: { now: "2026-04-01T00:00:00Z", frozen: true }\n');
    const io = capturingIo();
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    let listening!: () => void;
    const started = new Promise<void>((resolve) => (listening = resolve));
    const originalStdout = io.stdout;
    io.stdout = (text) => {
      originalStdout(text);
      listening();
    };
    const run = emulatorCommand(io, () => stopped).parseAsync(
      ['--port', '0', '--scenario', scenario, '--api-keys', 'k1,k2'],
      { from: 'user' },
    );
    await started;
    const url = /listening on (\S+)/.exec(io.out.join(''))?.[1];
    expect(io.out.join('')).toBe(`${listeningLine(url!)}\n`);
    expect(io.out.join('')).toContain(`export GOOGLE_GEMINI_BASE_URL=${url}`);
    const clock = (await (await fetch(`${url}/_emulator/clock`)).json()) as Record<string, unknown>;
    expect(JSON.stringify(clock)).toContain('2026-04-01T00:00:00');
    const models = (key: string) => fetch(`${url}/v1beta/models`, { headers: { 'x-goog-api-key': key } });
    expect((await models('k2')).status).toBe(200);
    const refused = await models('k3');
    expect(refused.status).toBe(400);
    expect(
      ((await refused.json()) as { error: { details: { reason?: string }[] } }).error.details[0],
    ).toMatchObject({ reason: 'API_KEY_INVALID' });
    stop();
    await run;
    await expect(fetch(`${url}/_emulator/clock`)).rejects.toThrow();
  });

  it('reports a bad flag on stderr with exit code 2 and starts nothing', async () => {
    const io = capturingIo();
    await emulatorCommand(io, () => Promise.resolve()).parseAsync(['--port', '-1'], { from: 'user' });
    expect(io.err.join('')).toContain('Invalid --port "-1"');
    expect(io.out).toEqual([]);
    expect(process.exitCode).toBe(2);
  });
});
