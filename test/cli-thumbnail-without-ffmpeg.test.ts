import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runCli } from '../src/cli/run-cli.js';
import { captureIo } from './support/capture-io.js';

// A machine where the optional npm package is not installed: importing it fails, as it does then.
vi.mock('@ffmpeg-installer/ffmpeg', () => {
  throw new Error("Cannot find package '@ffmpeg-installer/ffmpeg'");
});

/** The smallest MP4 header the sniffer accepts: the file is refused for ffmpeg, not for its type. */
const mp4Header = Buffer.concat([
  Buffer.from([0, 0, 0, 0x18]),
  Buffer.from('ftypisom'),
  Buffer.from([0, 0, 2, 0]),
  Buffer.from('isomiso2'),
]);

describe('imagegate thumbnail with no ffmpeg anywhere', () => {
  it('says so clearly and exits 2 (fix this machine), not 4 (try again later), without a stack trace', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'imagegate-no-ffmpeg-'));
    await writeFile(join(directory, 'clip.mp4'), mp4Header);
    // No PATH: no ffmpeg on it either.
    const io = captureIo({ cwd: directory, env: {} });
    const exitCode = await runCli(['thumbnail', 'clip.mp4', '--json'], io);
    expect(exitCode).toBe(2);
    expect(io.err()).toContain('ffmpeg was not found: it is not on PATH and the optional npm package');
    expect(io.err()).toContain('IMAGEGATE_FFMPEG');
    expect(io.err()).not.toMatch(/\n\s+at /);
    expect(JSON.parse(io.out())).toMatchObject({ ok: false, exitCode: 2, outcome: 'bad_input' });
  });
});
