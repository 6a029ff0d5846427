import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/run-cli.js';
import { captureIo } from './support/capture-io.js';

/**
 * Bad input never crashes and writes nothing: each case is refused with a message naming the problem and
 * exit code 2, before any image is written.
 */
describe('imagegate generate refuses bad input with exit code 2', () => {
  let directory: string;
  let pngPath: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'imagegate-cli-'));
    pngPath = join(directory, 'ref.png');
    await writeFile(
      pngPath,
      await sharp({ create: { width: 8, height: 8, channels: 3, background: '#884422' } })
        .png()
        .toBuffer(),
    );
  });

  async function run(args: string[]) {
    const io = captureIo({ cwd: directory });
    const exitCode = await runCli(
      ['generate', 'a lighthouse at dusk', '-o', join(directory, 'out'), ...args],
      io,
    );
    const written = (await readdir(directory)).filter(
      (name) => name !== 'ref.png' && !name.endsWith('.svg.png'),
    );
    return { exitCode, stderr: io.err(), written };
  }

  it('a missing reference file', async () => {
    const result = await run(['--ref', join(directory, 'nope.png')]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/nope\.png" does not exist/);
    expect(result.written.filter((name) => name !== 'big.png')).toEqual([]);
  });

  it('a 30 MB reference', async () => {
    const big = join(directory, 'big.png');
    await writeFile(big, Buffer.alloc(30 * 1024 * 1024));
    const result = await run(['--ref', big]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/is 30\.0 MB; the limit is 20\.0 MB/);
    expect(result.written).toEqual(['big.png']);
  });

  it('an SVG named .png', async () => {
    const fake = join(directory, 'logo.svg.png');
    await writeFile(fake, '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>');
    const result = await run(['--ref', fake]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/logo\.svg\.png" is image\/svg\+xml; allowed: image\/png/);
  });

  it('an unknown aspect ratio', async () => {
    const result = await run(['--aspect', '7:3']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/aspect/);
    expect(result.stderr).toContain('"7:3"');
    expect(result.stderr).toContain('16:9');
    expect(result.written).toEqual([]);
  });

  it('15 reference images', async () => {
    const result = await run(['--ref', ...Array.from({ length: 15 }, () => pngPath)]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/15 images given but gemini-3.1-flash-image accepts at most 14/);
    expect(result.written).toEqual([]);
  });

  it('an unknown logical name, with a suggestion', async () => {
    const result = await run(['--model', 'image_fats']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/image_fats/);
    expect(result.stderr).toMatch(/image_fast/);
    expect(result.written).toEqual([]);
  });

  it('a flag that is not a number', async () => {
    const result = await run(['--n', 'four']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/--n must be a number/);
  });

  it('an unknown flag', async () => {
    const result = await run(['--colour', 'red']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/unknown option '--colour'/);
  });
});
