import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/run-cli.js';
import { ManualClock } from '../src/clock/index.js';
import { makeTestVideo } from '../src/emulator/art/test-support/test-video.js';
import { captureIo } from './support/capture-io.js';

/** With no key the CLI runs the emulator in-process, says so once, and writes a real image. */
describe('imagegate generate without a key', () => {
  it('writes a decodable image of the asked size and prints its path', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'imagegate-generate-'));
    const io = captureIo({ cwd: directory });
    const exitCode = await runCli(
      ['generate', 'a lighthouse at dusk', '--aspect', '16:9', '--size', '1K', '-o', 'lighthouse.png'],
      io,
    );
    expect(io.err()).toMatch(/No GEMINI_API_KEY set: using the built-in Gemini emulator/);
    expect(exitCode).toBe(0);
    expect(io.out().trim()).toBe(join(directory, 'lighthouse.png'));
    const metadata = await sharp(join(directory, 'lighthouse.png')).metadata();
    expect([metadata.format, metadata.width, metadata.height]).toEqual(['png', 1376, 768]);
  });

  it('prints JSON with --json and writes n images into a directory', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'imagegate-generate-'));
    const io = captureIo({ cwd: directory });
    const exitCode = await runCli(
      ['generate', 'three pears', '--n', '2', '-o', 'out/', '--json', '--format', 'jpeg'],
      io,
    );
    expect(exitCode).toBe(0);
    const result = JSON.parse(io.out()) as {
      ok: boolean;
      images: { path: string; mimeType: string; width: number }[];
      servedBy: { modelId: string; platform: string };
      attempts: unknown[];
    };
    expect(result.ok).toBe(true);
    expect(result.images).toHaveLength(2);
    expect(result.images.every((image) => image.mimeType === 'image/jpeg')).toBe(true);
    expect((await readdir(join(directory, 'out'))).sort()).toEqual(
      result.images.map((image) => image.path.split('/').pop()).sort(),
    );
    expect(result.servedBy.platform).toBe('gemini-api');
    expect(result.attempts.length).toBeGreaterThanOrEqual(1);
  });

  it('edits an image and derives the output from it', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'imagegate-edit-'));
    const input = join(directory, 'input.png');
    await sharp({ create: { width: 600, height: 400, channels: 3, background: '#1e90ff' } })
      .png()
      .toFile(input);
    const io = captureIo({ cwd: directory });
    const exitCode = await runCli(['edit', 'input.png', 'add a red balloon', '-o', 'edited.png'], io);
    expect(exitCode).toBe(0);
    const metadata = await sharp(join(directory, 'edited.png')).metadata();
    expect(metadata.format).toBe('png');
  });
});

describe('imagegate thumbnail and models without a key', () => {
  it('makes a 16:9 thumbnail from a video', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'imagegate-thumbnail-'));
    await makeTestVideo(directory, 'mp4');
    const io = captureIo({ cwd: directory });
    const exitCode = await runCli(['thumbnail', 'test.mp4', '-o', 'thumb.png'], io);
    expect({ exitCode, stderr: io.err() }).toMatchObject({ exitCode: 0 });
    const metadata = await sharp(join(directory, 'thumb.png')).metadata();
    expect(metadata.width! / metadata.height!).toBeCloseTo(16 / 9, 1);
  });

  it('refuses a file that is not a video', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'imagegate-thumbnail-'));
    await writeFile(join(directory, 'notes.mp4'), 'just text');
    const io = captureIo({ cwd: directory });
    expect(await runCli(['thumbnail', 'notes.mp4'], io)).toBe(2);
    expect(io.err()).toMatch(/notes\.mp4" is not a recognised image or video/);
  });

  it('lists routes and catalog models as JSON, with visibility from models.list', async () => {
    const io = captureIo({ cwd: tmpdir() });
    expect(await runCli(['models', '--json'], io)).toBe(0);
    const report = JSON.parse(io.out()) as {
      routes: { name: string; candidates: { model: string; visible: boolean | null; stage: string }[] }[];
      models: { model: string; platform: string; visible: boolean | null }[];
    };
    expect(report.routes.map((route) => route.name)).toEqual(
      expect.arrayContaining(['image_fast', 'image_quality']),
    );
    const fast = report.routes.find((route) => route.name === 'image_fast')!;
    expect(fast.candidates[0]).toMatchObject({ model: 'gemini-3.1-flash-image', visible: true });
    const retiredPreview = report.models.find(
      (row) => row.model === 'gemini-3.1-flash-image-preview' && row.platform === 'gemini-api',
    );
    expect(retiredPreview?.visible).toBe(false);
  });

  it('says when GOOGLE_GEMINI_BASE_URL is ignored because no key is set', async () => {
    const io = captureIo({ cwd: tmpdir(), env: { GOOGLE_GEMINI_BASE_URL: 'http://127.0.0.1:9' } });
    expect(await runCli(['models', '--json'], io)).toBe(0);
    expect(io.err()).toContain('using the built-in Gemini emulator');
    expect(io.err()).toContain(
      'GOOGLE_GEMINI_BASE_URL (http://127.0.0.1:9) is used only with a key: set GEMINI_API_KEY to any value',
    );
  });

  it('judges lifecycle and visibility on the injected clock, not on today', async () => {
    // 2026-06-01: the 3.1 Flash preview still answers on the Gemini API; its shutdown is 24 days away.
    const io = captureIo({ cwd: tmpdir(), clock: new ManualClock(Date.UTC(2026, 5, 1)) });
    expect(await runCli(['models', '--json'], io)).toBe(0);
    const report = JSON.parse(io.out()) as {
      models: { model: string; platform: string; visible: boolean | null; daysLeft: number | null }[];
    };
    const preview = report.models.find(
      (row) => row.model === 'gemini-3.1-flash-image-preview' && row.platform === 'gemini-api',
    );
    expect(preview).toMatchObject({ visible: true, daysLeft: 24 });
  });
});
