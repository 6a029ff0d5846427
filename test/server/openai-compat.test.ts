import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import Database from 'better-sqlite3';
import { Hono } from 'hono';
import OpenAI, { toFile } from 'openai';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Imagegate } from '../../src/client/index.js';
import { ManualClock } from '../../src/clock/index.js';
import { defaultConfig } from '../../src/config/index.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { GeminiProvider } from '../../src/provider/gemini-provider.js';
import { ApiKeyStore, createAuthMiddleware } from '../../src/server/auth/index.js';
import { createOpenAiRoutes } from '../../src/server/openai/index.js';

/**
 * The official `openai` client, base URL pointed at imagegate, generating and editing through the
 * emulator: the whole path from OpenAI request shape to Gemini call and back.
 */
describe('OpenAI-compatible endpoints with the official openai client', () => {
  const nowMs = Date.UTC(2026, 10, 21);
  let emulator: RunningEmulator;
  let imagegate: Imagegate;
  let server: ServerType;
  let baseURL: string;
  let secret: string;
  const stored = new Map<string, Buffer>();

  beforeAll(async () => {
    emulator = await startEmulator();
    emulator.clock.setNow(nowMs);
    const clock = new ManualClock(nowMs);
    imagegate = await Imagegate.create({
      config: defaultConfig,
      provider: new GeminiProvider({ geminiApi: { apiKey: 'k', baseUrl: emulator.url }, clock }),
      clock,
    });
    const keys = new ApiKeyStore(new Database(':memory:'), { clock });
    secret = keys.create({ name: 'openai client' }).secret;
    const app = new Hono();
    app.use('/openai/*', createAuthMiddleware({ keys, required: true }));
    app.route(
      '/openai/v1',
      createOpenAiRoutes({
        generate: (request, model, signal) => imagegate.runRequest(request, { model, signal }),
        storeImage: async (bytes) => {
          const name = `${stored.size + 1}`;
          stored.set(name, bytes);
          return `${baseURL.replace('/openai/v1', '')}/images/${name}`;
        },
        clock,
      }),
    );
    const address = await new Promise<AddressInfo>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, resolve);
    });
    baseURL = `http://127.0.0.1:${address.port}/openai/v1`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await imagegate.close();
    await emulator.close();
  });

  const client = () => new OpenAI({ apiKey: secret, baseURL, maxRetries: 0 });

  it('images.generate returns decodable images of the mapped shape', async () => {
    const response = await client().images.generate({
      model: 'gpt-image-1',
      prompt: 'a lighthouse at dusk',
      size: '1536x1024',
      n: 2,
    });
    expect(response.created).toBe(nowMs / 1000);
    expect(response.data).toHaveLength(2);
    expect(response.output_format).toBe('png');
    for (const image of response.data ?? []) {
      const metadata = await sharp(Buffer.from(image.b64_json ?? '', 'base64')).metadata();
      expect([metadata.format, metadata.width, metadata.height]).toEqual(['png', 1264, 848]);
    }
    expect(response.size).toBe('1264x848');
    expect(response.usage?.total_tokens).toBeGreaterThan(0);
  });

  it('images.generate with response_format url and jpeg output', async () => {
    const response = await client().images.generate({
      prompt: 'a red fox',
      response_format: 'url',
      output_format: 'jpeg',
    });
    const url = response.data?.[0]?.url ?? '';
    expect(url).toMatch(/\/images\/\d+$/);
    const bytes = stored.get(url.split('/').at(-1) ?? '');
    expect((await sharp(bytes).metadata()).format).toBe('jpeg');
  });

  it('images.edit sends a PNG as the reference and returns the edit', async () => {
    const input = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#cc3300' } })
      .png()
      .toBuffer();
    const response = await client().images.edit({
      model: 'gpt-image-1',
      image: await toFile(input, 'input.png', { type: 'image/png' }),
      prompt: 'make it blue',
      size: '1024x1024',
    });
    const edited = Buffer.from(response.data?.[0]?.b64_json ?? '', 'base64');
    const metadata = await sharp(edited).metadata();
    expect([metadata.width, metadata.height]).toEqual([1024, 1024]);
  });

  it('images.edit takes several images at once', async () => {
    const image = (colour: string) =>
      sharp({ create: { width: 32, height: 32, channels: 3, background: colour } })
        .png()
        .toBuffer();
    const response = await client().images.edit({
      image: [
        await toFile(await image('#ff0000'), 'red.png', { type: 'image/png' }),
        await toFile(await image('#0000ff'), 'blue.png', { type: 'image/png' }),
      ],
      prompt: 'combine them',
    });
    expect(response.data).toHaveLength(1);
  });

  it('surfaces a bad field as BadRequestError naming the param', async () => {
    const error = await client()
      .images.generate({ prompt: 'x', size: 'huge' as '1024x1024' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error).toMatchObject({ status: 400, param: 'size', type: 'invalid_request_error' });
  });

  it('surfaces an unknown model as NotFoundError and a mask as BadRequestError', async () => {
    const missing = await client()
      .images.generate({ prompt: 'x', model: 'image_fastt' })
      .catch((caught: unknown) => caught);
    expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
    expect((missing as InstanceType<typeof OpenAI.NotFoundError>).message).toContain('Did you mean');
    const png = await sharp({ create: { width: 8, height: 8, channels: 4, background: '#000000' } })
      .png()
      .toBuffer();
    const masked = await client()
      .images.edit({
        image: await toFile(png, 'in.png', { type: 'image/png' }),
        mask: await toFile(png, 'mask.png', { type: 'image/png' }),
        prompt: 'x',
      })
      .catch((caught: unknown) => caught);
    expect(masked).toMatchObject({ status: 400, param: 'mask' });
  });

  it('refuses a wrong API key with AuthenticationError', async () => {
    const error = await new OpenAI({ apiKey: 'igk_wrong', baseURL, maxRetries: 0 }).images
      .generate({ prompt: 'x' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(error).toMatchObject({ code: 'invalid_api_key' });
  });
});
