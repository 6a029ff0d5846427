import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Imagegate, ImageGenerationError, InvalidInputError } from '../src/index.js';
import { defaultConfig } from '../src/config/index.js';
import { GeminiProvider } from '../src/provider/gemini-provider.js';
import { makeTestVideo } from '../src/emulator/art/test-support/test-video.js';
import { startTestEmulator, type TestEmulator } from './emulator/sdk-harness.js';

/**
 * The library front door against the emulator through the real SDK: every public entry point, typed
 * results, typed errors.
 */
describe('library API', () => {
  let harness: TestEmulator;
  let imagegate: Imagegate;

  beforeAll(async () => {
    harness = await startTestEmulator({ atMs: Date.UTC(2026, 10, 21) });
    // Emulated time follows the manual clock, so the provider's polling moves uploaded videos to ACTIVE.
    harness.emulator.clock.setNow(Date.UTC(2026, 10, 21));
    imagegate = await Imagegate.create({
      config: defaultConfig,
      provider: new GeminiProvider({
        geminiApi: { apiKey: 'test-key', baseUrl: harness.emulator.url },
        filePollIntervalMs: 10,
        clock: harness.baseClock,
      }),
      clock: harness.baseClock,
    });
  });

  afterAll(async () => {
    await imagegate.close();
    await harness.emulator.close();
  });

  it('generateImage returns verified images, usage, cost, attempts and who served it', async () => {
    const result = await imagegate.generateImage({
      prompt: 'a red fox',
      aspectRatio: '3:2',
      imageSize: '1K',
    });
    expect(result.images).toHaveLength(1);
    expect([result.images[0]!.width, result.images[0]!.height]).toEqual([1264, 848]);
    expect(result.servedBy).toEqual({ modelId: 'gemini-3.1-flash-image', platform: 'gemini-api' });
    expect(result.usage.outputImageTokens).toBe(1120);
    expect(result.costUsd).toBeGreaterThan(0);
    expect(result.attempts.map((attempt) => attempt.outcome)).toEqual(['success']);
    expect(result.requestedModel).toBe('image_fast');
  });

  it('a chat keeps the model turns, thought signatures included, and edits across turns', async () => {
    const chat = imagegate.chat({ model: 'image_quality', aspectRatio: '1:1' });
    const first = await chat.send('a wooden boat on a lake');
    const second = await chat.send('make it night time');
    expect(first.servedBy.modelId).toBe('gemini-3-pro-image');
    expect(chat.history.map((turn) => turn.role)).toEqual(['user', 'model', 'user', 'model']);
    const modelParts = chat.history[1]!.parts;
    expect(modelParts.some((part) => typeof part.thoughtSignature === 'string')).toBe(true);
    expect(modelParts.some((part) => part.inlineData !== undefined)).toBe(true);
    expect(second.images[0]!.sha256).not.toBe(first.images[0]!.sha256);
  });

  it('a chat turn served by a fallback model says so, since the history now mixes models', async () => {
    const { parseScenario } = await import('../src/emulator/index.js');
    harness.emulator.faults.replaceScenario(
      parseScenario(
        'scripted:\n  - { model: gemini-3-pro-image, responses: [ok, { status: 429, quota: per-day }] }\n',
      ),
    );
    const chat = imagegate.chat({ model: 'image_quality' });
    const first = await chat.send('a kite');
    const warnings: string[] = [];
    const second = await chat.send(
      'add a second kite',
      {},
      { onWarning: (warning) => warnings.push(warning) },
    );
    harness.emulator.faults.replaceScenario(parseScenario('{}'));
    expect(first.servedBy.modelId).toBe('gemini-3-pro-image');
    expect(second.servedBy.modelId).toBe('gemini-3.1-flash-image');
    expect(warnings.some((warning) => /the history mixes models/.test(warning))).toBe(true);
    expect(second.warnings.some((warning) => /the history mixes models/.test(warning))).toBe(true);
  });

  it('thumbnailFromVideo uploads the video through the Files API and returns a 16:9 image', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'imagegate-video-'));
    const video = join(directory, 'test.mp4');
    await makeTestVideo(directory, 'mp4');
    const result = await imagegate.thumbnailFromVideo(video, { imageSize: '1K' });
    expect([result.images[0]!.width, result.images[0]!.height]).toEqual([1376, 768]);
    expect(result.servedBy.modelId).toBe('gemini-3.1-flash-image');
  });

  it('editImage derives from the given image and converts to JPEG when asked', async () => {
    const input = await sharp({ create: { width: 300, height: 300, channels: 3, background: '#ffcc00' } })
      .png()
      .toBuffer();
    const result = await imagegate.editImage({
      prompt: 'add a hat',
      images: [{ bytes: input, mimeType: 'image/png', label: 'yellow.png' }],
      outputFormat: 'jpeg',
    });
    expect(result.images[0]!.mimeType).toBe('image/jpeg');
    expect((await sharp(result.images[0]!.bytes).metadata()).format).toBe('jpeg');
  });

  it('refuses bad input with InvalidInputError naming the field, before any call', async () => {
    const error = await imagegate
      .generateImage({ prompt: 'x', aspectRatio: '7:3' as never })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).field).toBe('aspectRatio');
  });

  it('a blocked prompt is an ImageGenerationError carrying the outcome and the attempts', async () => {
    await harness.emulator.faults.replaceScenario(
      (await import('../src/emulator/index.js')).parseScenario(
        'safety:\n  - { model: "*", pattern: "(?i)forbidden", verdict: IMAGE_SAFETY }\n',
      ),
    );
    const error = await imagegate
      .generateImage({ prompt: 'a forbidden thing' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ImageGenerationError);
    expect((error as ImageGenerationError).outcome.kind).toBe('blocked_output');
    expect((error as ImageGenerationError).isRetryable).toBe(false);
    expect((error as ImageGenerationError).attempts).toHaveLength(1);
  });
});
