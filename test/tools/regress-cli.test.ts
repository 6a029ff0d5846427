import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/cli-io.js';
import { ManualClock } from '../../src/clock/index.js';
import { runCli } from '../../src/cli/run-cli.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';

function recordingIo(cwd: string, env: NodeJS.ProcessEnv): CliIo & { out: () => string; err: () => string } {
  let stdout = '';
  let stderr = '';
  return {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env,
    cwd,
    isInteractive: false,
    clock,
    out: () => stdout,
    err: () => stderr,
  };
}

// Two GA models of different families: every pair differs, and neither is retired on the pinned day.
const clock = new ManualClock(Date.UTC(2026, 10, 21));
const baseline = 'gemini-3.1-flash-image';
const candidate = 'gemini-3-pro-image';

describe('imagegate regress (CLI)', () => {
  let emulator: RunningEmulator;
  let cwd: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    emulator = await startEmulator({ clock });
    cwd = await mkdtemp(join(tmpdir(), 'imagegate-regress-cli-'));
    env = { GEMINI_API_KEY: 'k', GOOGLE_GEMINI_BASE_URL: emulator.url };
    await writeFile(
      join(cwd, 'prompts.txt'),
      '# three prompts\na red fox\n\na lighthouse\na bowl of ramen\n',
    );
  });
  afterAll(() => emulator.close());

  it('prints the one-screen summary, writes both reports and exits 1 when pairs need review', async () => {
    const io = recordingIo(cwd, env);
    const argv = ['regress', '--prompts', 'prompts.txt', '--baseline', baseline, '--candidate', candidate];
    const code = await runCli([...argv, '--size', '1K', '--out', 'out'], io);

    expect(code).toBe(1);
    expect(io.out()).toContain(
      `imagegate regress: ${baseline} (baseline) vs ${candidate} (candidate), 3 prompts`,
    );
    expect(io.out()).toMatch(/different\s+3 {3}p-001, p-002, p-003/);
    expect(io.out()).toContain(`Report: ${join(cwd, 'out', 'report.html')}`);
    expect(io.out().trim().split('\n').at(-1)).toMatch(
      /^REVIEW before moving to gemini-3-pro-image: 3 different/,
    );
    // Not a terminal: plain progress lines, no carriage returns.
    expect(io.err()).toContain('Comparing 3 prompts\n');
    expect(io.err()).toContain('3/3 pairs, 3 flagged\n');
    expect(io.err()).not.toContain('\r');
    const html = await readFile(join(cwd, 'out', 'report.html'), 'utf8');
    expect(html).toContain('data:image/jpeg;base64,');

    const again = recordingIo(cwd, env);
    expect(await runCli([...argv, '--size', '1K', '--out', 'out', '--json'], again)).toBe(1);
    const report = JSON.parse(again.out());
    expect(report.resumedPairs).toBe(3);
    expect(report.summary.counts.different).toBe(3);
    expect(again.err()).toContain('(3 already done, skipped)');
  });

  it('exits 0 when the candidate matches (lenient thresholds re-judge the stored pairs)', async () => {
    const io = recordingIo(cwd, env);
    const code = await runCli(
      [
        'regress',
        '--prompts',
        'prompts.txt',
        '--baseline',
        baseline,
        '--candidate',
        candidate,
        '--size',
        '1K',
        '--out',
        'out',
        '--thresholds',
        'ssim=0,phash=64,deltaE=1000',
      ],
      io,
    );
    expect(code).toBe(0);
    expect(io.out()).toMatch(/PASS: gemini-3-pro-image matches gemini-3\.1-flash-image on 3 of 3 prompts\./);
  });

  it.each([
    [['--prompts', 'prompts.csv'], /--prompts: .*prompts\.csv has extension "\.csv"; allowed: \.txt/],
    [['--prompts', 'missing.txt'], /--prompts: cannot read .*missing\.txt \(ENOENT\)/],
    [['--prompts', 'prompts.txt', '--thresholds', 'ssim=2'], /--thresholds: minSsim: .*\(got 2\)/],
    [
      ['--prompts', 'prompts.txt', '--thresholds', 'sharpness=1'],
      /unknown key "sharpness"; allowed: ssim, phash, deltaE/,
    ],
    [
      ['--prompts', 'prompts.txt', '--concurrency', 'two'],
      /--concurrency "two": --concurrency must be a whole number/,
    ],
    [['--prompts', 'prompts.txt', '--candidate', 'gemini-3-pro-imag'], /gemini-3-pro-imag/],
  ])('refuses bad input %j with exit code 2', async (flags, message) => {
    await writeFile(join(cwd, 'prompts.csv'), 'a,b\n');
    const io = recordingIo(cwd, env);
    const argv = ['regress', '--baseline', baseline, '--candidate', candidate, '--out', 'bad', ...flags];
    expect(await runCli(argv, io)).toBe(2);
    expect(io.err()).toMatch(message);
  });
});
