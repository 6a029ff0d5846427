import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiError,
  decodedImage,
  imagePart,
  textOf,
  startTestEmulator,
  type TestEmulator,
} from './sdk-harness.js';

let harness: TestEmulator;

const scenario = `
latency: { scale: 0 }
scripted:
  - model: gemini-2.5-flash-image
    responses: [429, 503, 500, connection-reset, truncated-body, IMAGE_SAFETY, NO_IMAGE, "block-prompt:SAFETY", ok]
  - model: gemini-3-pro-image-preview
    responses: [{ servedImageSize: 1K }]
  - model: gemini-3.1-flash-image-preview
    methods: [streamGenerateContent]
    responses: [429]
  - model: gemini-3-pro-image
    methods: [models.get]
    responses: [{ status: 503, message: "Scripted outage." }]
`;

beforeAll(async () => {
  harness = await startTestEmulator({ scenarioYaml: scenario, invalidApiKeys: ['revoked-key'] });
});

afterAll(async () => {
  await harness.emulator.close();
});

describe('scripted faults seen through @google/genai', () => {
  const model = 'gemini-2.5-flash-image';
  const call = () => harness.client().models.generateContent({ model, contents: 'a lantern' });

  it('answers the script in order, then normally again, and counts every outcome', async () => {
    const quota = await apiError(call());
    expect(quota.status).toBe(429);
    expect(quota.body.error).toMatchObject({ code: 429, status: 'RESOURCE_EXHAUSTED' });
    const detailTypes = (quota.body.error.details as { '@type': string }[]).map((detail) => detail['@type']);
    expect(detailTypes).toContain('type.googleapis.com/google.rpc.QuotaFailure');

    const overloaded = await apiError(call());
    expect(overloaded.status).toBe(503);
    expect(overloaded.body.error).toMatchObject({ code: 503, status: 'UNAVAILABLE' });

    const internal = await apiError(call());
    expect(internal.status).toBe(500);
    expect(internal.body.error).toMatchObject({ code: 500, status: 'INTERNAL' });

    await expect(call()).rejects.toThrow(/fetch failed/);
    await expect(call()).rejects.toThrow(SyntaxError);

    const unsafe = await call();
    expect(unsafe.candidates?.[0]?.finishReason).toBe('IMAGE_SAFETY');
    expect(imagePart(unsafe)).toBeUndefined();
    expect(unsafe.candidates?.[0]?.content?.role).toBe('model');

    const noImage = await call();
    expect(noImage.candidates?.[0]?.finishReason).toBe('NO_IMAGE');
    expect(imagePart(noImage)).toBeUndefined();
    expect(textOf(noImage)).toBeTruthy();

    const blocked = await call();
    expect(blocked.candidates).toBeUndefined();
    expect(blocked.promptFeedback?.blockReason).toBe('SAFETY');

    expect(imagePart(await call())).toBeDefined();

    const stats = (await (await fetch(`${harness.emulator.url}/_emulator/stats`)).json()) as {
      models: Record<string, { byOutcome: Record<string, number> }>;
    };
    expect(stats.models[model]?.byOutcome).toMatchObject({
      '429': 1,
      '503': 1,
      '500': 1,
      'connection-reset': 1,
      'truncated-body': 1,
      IMAGE_SAFETY: 1,
      NO_IMAGE: 1,
      'block-prompt:SAFETY': 1,
      ok: 1,
    });
  });

  it('serves a smaller size than asked when scripted to (a silent downgrade)', async () => {
    const response = await harness.client().models.generateContent({
      model: 'gemini-3-pro-image-preview',
      contents: 'a mountain',
      config: { imageConfig: { imageSize: '2K', aspectRatio: '1:1' } },
    });
    expect(await decodedImage(imagePart(response)?.data)).toEqual({
      format: 'png',
      width: 1024,
      height: 1024,
    });
  });

  it('fails a stream the way the real server does: the JSON error under text/event-stream', async () => {
    const failure = await apiError(
      harness
        .client()
        .models.generateContentStream({ model: 'gemini-3.1-flash-image-preview', contents: 'a river' }),
    );
    expect(failure.status).toBe(429);
    // The SDK wraps a non-JSON response: the Google body arrives as the message text.
    const inner = JSON.parse(String(failure.body.error.message)) as { error: { status: string } };
    expect(inner.error.status).toBe('RESOURCE_EXHAUSTED');
  });

  it('scripts non-generation methods with their own message', async () => {
    const failure = await apiError(harness.client().models.get({ model: 'gemini-3-pro-image' }));
    expect(failure).toEqual({
      status: 503,
      body: { error: { code: 503, message: 'Scripted outage.', status: 'UNAVAILABLE' } },
    });
  });

  it('answers a revoked key with 400 API_KEY_INVALID and a missing key with 403', async () => {
    const revoked = await apiError(
      harness
        .client({ apiKey: 'revoked-key' })
        .models.generateContent({ model: 'gemini-3-pro-image', contents: 'x' }),
    );
    expect(revoked.status).toBe(400);
    expect(revoked.body.error.message).toBe('API key not valid. Please pass a valid API key.');
    expect((revoked.body.error.details as { reason?: string }[])[0]?.reason).toBe('API_KEY_INVALID');

    const anonymous = await fetch(`${harness.emulator.url}/v1beta/models`);
    expect(anonymous.status).toBe(403);
    expect(((await anonymous.json()) as { error: { status: string } }).error.status).toBe(
      'PERMISSION_DENIED',
    );
  });
});
