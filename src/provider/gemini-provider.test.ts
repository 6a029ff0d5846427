import { OAuth2Client } from 'google-auth-library';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInCatalog, loadCatalog } from '../catalog/index.js';
import { ManualClock } from '../clock/index.js';
import { startEmulator, type RunningEmulator } from '../emulator/index.js';
import { GeminiProvider, PlatformNotConfiguredError } from './gemini-provider.js';
import { imageRequestSchema } from '../request/image-request.js';

/** The provider through the real SDK against the emulator: what it sends, and that it never retries. */
describe('GeminiProvider', () => {
  let emulator: RunningEmulator;
  const at = Date.UTC(2026, 10, 21);

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, clock: new ManualClock(at) });
    emulator.clock.setNow(at, { frozen: true });
  });
  afterAll(() => emulator.close());

  const reference = () =>
    sharp({ create: { width: 64, height: 48, channels: 3, background: '#2266aa' } })
      .png()
      .toBuffer();

  it('sends references inline while they fit the inline limit', async () => {
    emulator.stats.reset();
    const provider = new GeminiProvider({
      geminiApi: { apiKey: 'k', baseUrl: emulator.url },
      clock: emulator.clock,
    });
    const response = await provider.generate({
      platform: 'gemini-api',
      modelId: 'gemini-3.1-flash-image',
      candidateCount: 1,
      request: imageRequestSchema.parse({
        prompt: 'tint it',
        referenceImages: [{ bytes: await reference(), mimeType: 'image/png' }],
        imageSize: '512',
      }),
    });
    expect(response.candidates?.[0]?.content?.role).toBe('model');
    expect(emulator.stats.snapshot().models['(none)']?.byMethod['files.upload']).toBeUndefined();
  });

  it('uploads references through the Files API above the inline limit', async () => {
    emulator.stats.reset();
    const tinyInlineLimit = structuredClone(builtInCatalog());
    for (const model of tinyInlineLimit.models) {
      model.capabilities.maxInlineRequestBytes = { ...model.capabilities.maxInlineRequestBytes, value: 100 };
    }
    // The provider reads upload expiry (set by the emulator's pinned clock) against its own clock, so
    // both must be the same clock or the cached upload looks expired on any later real date.
    const provider = new GeminiProvider({
      geminiApi: { apiKey: 'k', baseUrl: emulator.url },
      catalog: loadCatalog(tinyInlineLimit),
      clock: emulator.clock,
    });
    const call = {
      platform: 'gemini-api' as const,
      modelId: 'gemini-3.1-flash-image',
      candidateCount: 1,
      request: imageRequestSchema.parse({
        prompt: 'tint it',
        referenceImages: [{ bytes: await reference(), mimeType: 'image/png' }],
        imageSize: '512',
      }),
    };
    const response = await provider.generate(call);
    expect(response.candidates?.[0]?.finishReason).toBe('STOP');
    // The resumable protocol is two calls: the start and the bytes.
    expect(emulator.stats.snapshot().models['(none)']?.byMethod['files.upload']).toBe(2);
    // A retry of the same request reuses the live upload instead of sending the bytes again.
    await provider.generate(call);
    expect(emulator.stats.snapshot().models['(none)']?.byMethod['files.upload']).toBe(2);
  });

  it('lists the model IDs visible to the key, without the models/ prefix', async () => {
    const provider = new GeminiProvider({
      geminiApi: { apiKey: 'k', baseUrl: emulator.url },
      clock: emulator.clock,
    });
    const ids = await provider.listModelIds('gemini-api');
    expect(ids).toContain('gemini-3-pro-image');
    expect(ids.every((id) => !id.startsWith('models/'))).toBe(true);
  });

  it('hands errors over unchanged and calls once (no SDK retries)', async () => {
    emulator.stats.reset();
    const provider = new GeminiProvider({
      geminiApi: { apiKey: 'k', baseUrl: emulator.url },
      clock: emulator.clock,
    });
    const error = await provider
      .generate({
        platform: 'gemini-api',
        modelId: 'gemini-9-imaginary-image',
        candidateCount: 1,
        request: imageRequestSchema.parse({ prompt: 'x' }),
      })
      .catch((caught: unknown) => caught);
    expect((error as { status?: number }).status).toBe(404);
  });

  it('refuses a platform it has no credentials for', async () => {
    const provider = new GeminiProvider({
      geminiApi: { apiKey: 'k', baseUrl: emulator.url },
      clock: emulator.clock,
    });
    await expect(provider.listModelIds('vertex-ai')).rejects.toBeInstanceOf(PlatformNotConfiguredError);
  });

  it('calls Vertex AI by project and location with OAuth, under Vertex’s own shutdown dates', async () => {
    // 2026-07-01: the 3.1 Flash preview is shut down on the Gemini API (06-25) but not yet on Vertex (07-17).
    const july = Date.UTC(2026, 6, 1);
    const vertexEmulator = await startEmulator({ port: 0, clock: new ManualClock(july) });
    vertexEmulator.clock.setNow(july, { frozen: true });
    try {
      const authClient = new OAuth2Client();
      authClient.setCredentials({ access_token: 'emulator-token', expiry_date: Date.now() + 3_600_000 });
      const provider = new GeminiProvider({
        geminiApi: { apiKey: 'k', baseUrl: vertexEmulator.url },
        vertexAi: {
          project: 'my-project',
          location: 'us-central1',
          baseUrl: vertexEmulator.url,
          googleAuthOptions: { authClient },
        },
      });
      const call = {
        modelId: 'gemini-3.1-flash-image-preview',
        candidateCount: 1,
        request: imageRequestSchema.parse({ prompt: 'a kingfisher', aspectRatio: '1:1', imageSize: '512' }),
      };
      const viaVertex = await provider.generate({ ...call, platform: 'vertex-ai' });
      expect(viaVertex.candidates?.[0]?.finishReason).toBe('STOP');
      const viaGeminiApi = await provider
        .generate({ ...call, platform: 'gemini-api' })
        .catch((caught: unknown) => caught);
      expect((viaGeminiApi as { status?: number }).status).toBe(404);
    } finally {
      await vertexEmulator.close();
    }
  });
});
