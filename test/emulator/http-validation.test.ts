import { describe, expect, it } from 'vitest';
import { builtInCatalog, loadCatalog } from '../../src/catalog/index.js';
import { ManualClock } from '../../src/clock/index.js';
import { createEmulator, parseScenario } from '../../src/emulator/index.js';
import { beforeShutdowns, referencePng } from './sdk-harness.js';

/** Requests a real SDK would never send, straight at the Hono app: each must get Google's 400, not a crash. */

function emulator(options: Parameters<typeof createEmulator>[0] = {}) {
  const created = createEmulator({ clock: new ManualClock(beforeShutdowns), ...options });
  created.clock.setNow(beforeShutdowns, { frozen: true });
  return created;
}

const keyHeaders = { 'x-goog-api-key': 'k', 'content-type': 'application/json' };

async function post(
  app: ReturnType<typeof emulator>['app'],
  path: string,
  body: string,
  headers: Record<string, string> = keyHeaders,
) {
  const response = await app.request(path, { method: 'POST', headers, body });
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    text,
    json: safeJson(text),
  };
}

function safeJson(text: string): { error?: { code: number; status: string; message: string } } {
  try {
    return JSON.parse(text) as { error?: { code: number; status: string; message: string } };
  } catch {
    return {};
  }
}

const generate = (model: string) => `/v1beta/models/${model}:generateContent`;
const withImageConfig = (imageConfig: Record<string, unknown>) =>
  JSON.stringify({ contents: [{ parts: [{ text: 'x' }] }], generationConfig: { imageConfig } });

describe('request validation like the real API', () => {
  const { app } = emulator();

  it.each([
    ['gemini-3-pro-image-preview', { imageSize: '1k' }, /Use an uppercase K \("1K"\)/],
    [
      'gemini-3-pro-image-preview',
      { imageSize: '512' },
      /Image size "512" is not supported by models\/gemini-3-pro-image-preview/,
    ],
    [
      'gemini-2.5-flash-image',
      { aspectRatio: '1:8' },
      /Aspect ratio "1:8" is not supported by models\/gemini-2.5-flash-image/,
    ],
    ['gemini-2.5-flash-image', { aspectRatio: 'wide' }, /Aspect ratio "wide"/],
  ])('%s with %j → 400 INVALID_ARGUMENT', async (model, imageConfig, message) => {
    const answer = await post(app, generate(model), withImageConfig(imageConfig));
    expect(answer.status).toBe(400);
    expect(answer.json.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
    expect(answer.json.error?.message).toMatch(message);
  });

  it('refuses more input images than the model takes', async () => {
    const png = await referencePng(8, 8);
    const parts = [
      { text: 'merge' },
      ...Array.from({ length: 4 }, () => ({ inlineData: { mimeType: 'image/png', data: png } })),
    ];
    const answer = await post(
      app,
      generate('gemini-2.5-flash-image'),
      JSON.stringify({ contents: [{ role: 'user', parts }] }),
    );
    expect(answer.status).toBe(400);
    expect(answer.json.error?.message).toBe(
      'Too many input images: the request has 4; models/gemini-2.5-flash-image accepts at most 3.',
    );
  });

  it('refuses an unsupported MIME type', async () => {
    const body = JSON.stringify({
      contents: [{ parts: [{ inlineData: { mimeType: 'application/pdf', data: 'JVBERi0=' } }] }],
    });
    const answer = await post(app, generate('gemini-2.5-flash-image'), body);
    expect(answer.status).toBe(400);
    expect(answer.json.error?.message).toMatch(/^Unsupported MIME type: application\/pdf\./);
  });

  it('refuses video on a model without video input', async () => {
    const body = JSON.stringify({
      contents: [{ parts: [{ inlineData: { mimeType: 'video/mp4', data: 'AAAA' } }] }],
    });
    expect((await post(app, generate('gemini-2.5-flash-image'), body)).json.error?.message).toMatch(
      /Unsupported MIME type: video\/mp4/,
    );
  });

  it('refuses more candidates than the model allows', async () => {
    const body = JSON.stringify({
      contents: [{ parts: [{ text: 'x' }] }],
      generationConfig: { candidateCount: 2 },
    });
    const answer = await post(app, generate('gemini-3-pro-image-preview'), body);
    expect(answer.status).toBe(400);
    expect(answer.json.error?.message).toBe(
      'Multiple candidates is not enabled for models/gemini-3-pro-image-preview.',
    );
  });

  it('names a mistyped field by its proto path', async () => {
    const body = JSON.stringify({
      contents: [{ parts: [{ text: 'x' }] }],
      generation_config: { temperature: 'hot' },
    });
    const answer = await post(app, generate('gemini-2.5-flash-image'), body);
    expect(answer.status).toBe(400);
    expect(answer.json.error?.message).toMatch(/^Invalid value at 'generation_config\.temperature'/);
  });

  it('answers malformed JSON with "Invalid JSON payload received."', async () => {
    const answer = await post(app, generate('gemini-2.5-flash-image'), '{"contents": [');
    expect(answer.status).toBe(400);
    expect(answer.json.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
    expect(answer.json.error?.message).toMatch(/^Invalid JSON payload received\./);
  });

  it('refuses a wrong content type', async () => {
    const answer = await post(app, generate('gemini-2.5-flash-image'), 'contents=x', {
      'x-goog-api-key': 'k',
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(answer.status).toBe(400);
    expect(answer.json.error?.message).toMatch(/Invalid Content-Type "application\/x-www-form-urlencoded"/);
  });

  it('accepts the key as ?key= and snake_case fields', async () => {
    const body = JSON.stringify({
      contents: [{ parts: [{ text: 'x' }] }],
      generation_config: { response_modalities: ['TEXT'] },
    });
    const answer = await post(app, `${generate('gemini-2.5-flash-image')}?key=abc`, body, {
      'content-type': 'application/json',
    });
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('text-only reply');
  });

  it('answers an unknown path with a 404 in Google’s shape', async () => {
    const response = await app.request('/v1beta/tunedModels', { headers: keyHeaders });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { status: string } }).error.status).toBe('NOT_FOUND');
  });

  it('answers an unsupported model method with the model 404', async () => {
    const answer = await post(app, '/v1beta/models/gemini-2.5-flash-image:predict', '{}');
    expect(answer.status).toBe(404);
    expect(answer.json.error?.message).toContain('is not supported for predict');
  });
});

describe('limits', () => {
  it('refuses a body over maxRequestBytes with 400', async () => {
    const { app } = emulator({ maxRequestBytes: 1_000 });
    const answer = await post(
      app,
      generate('gemini-2.5-flash-image'),
      JSON.stringify({ contents: [{ parts: [{ text: 'x'.repeat(2_000) }] }] }),
    );
    expect(answer.status).toBe(400);
    expect(answer.json.error?.message).toBe('Request payload size exceeds the limit: 1000 bytes.');
  });

  it('refuses inline data over the catalog’s inline limit', async () => {
    const data = structuredClone(builtInCatalog());
    const flash = data.models.find((model) => model.id === 'gemini-2.5-flash-image')!;
    flash.capabilities.maxInlineRequestBytes.value = 100;
    const { app } = emulator({ catalog: loadCatalog(data) });
    const png = await referencePng(64, 64);
    const body = JSON.stringify({
      contents: [{ parts: [{ inlineData: { mimeType: 'image/png', data: png } }] }],
    });
    const answer = await post(app, generate('gemini-2.5-flash-image'), body);
    expect(answer.status).toBe(400);
    expect(answer.json.error?.message).toMatch(/^Request payload size exceeds the limit: 100 bytes/);
  });
});

describe('resumable upload over raw HTTP', () => {
  it('keeps the prefix in the upload URL and checks chunk offsets', async () => {
    const { app } = emulator();
    const start = await app.request('http://emulator.test/base/upload/v1beta/files', {
      method: 'POST',
      headers: {
        ...keyHeaders,
        'x-goog-upload-protocol': 'resumable',
        'x-goog-upload-command': 'start',
        'x-goog-upload-header-content-length': '4',
        'x-goog-upload-header-content-type': 'image/png',
      },
      body: JSON.stringify({ file: { displayName: 'four' } }),
    });
    expect(start.status).toBe(200);
    expect(start.headers.get('x-goog-upload-status')).toBe('active');
    const uploadUrl = new URL(start.headers.get('x-goog-upload-url')!);
    expect(uploadUrl.pathname).toBe('/base/upload/v1beta/files');

    const chunk = (offset: number, bytes: string, command: string) =>
      app.request(uploadUrl.toString(), {
        method: 'POST',
        headers: { ...keyHeaders, 'x-goog-upload-command': command, 'x-goog-upload-offset': String(offset) },
        body: bytes,
      });
    const first = await chunk(0, 'ab', 'upload');
    expect(first.headers.get('x-goog-upload-status')).toBe('active');
    const wrongOffset = await chunk(1, 'cd', 'upload, finalize');
    expect(wrongOffset.status).toBe(400);
    const final = await chunk(2, 'cd', 'upload, finalize');
    expect(final.headers.get('x-goog-upload-status')).toBe('final');
    const { file } = (await final.json()) as { file: Record<string, string> };
    expect(file).toMatchObject({
      displayName: 'four',
      sizeBytes: '4',
      mimeType: 'image/png',
      state: 'ACTIVE',
    });
    expect(file.uri).toBe(`http://emulator.test/base/v1beta/${file.name}`);
  });
});

describe('unexpected failures', () => {
  it('turns an exception into a 500 in Google’s shape and keeps serving', async () => {
    // Outside @hono/node-server there is no socket to reset, so this fault throws inside the app.
    const created = emulator({
      scenario: parseScenario('scripted: [{ model: "*", responses: [connection-reset] }]'),
    });
    const body = JSON.stringify({
      contents: [{ parts: [{ text: 'x' }] }],
      generationConfig: { responseModalities: ['TEXT'] },
    });
    const failed = await post(created.app, generate('gemini-2.5-flash-image'), body);
    expect(failed.status).toBe(500);
    expect(failed.json.error).toMatchObject({ code: 500, status: 'INTERNAL' });
    expect((await post(created.app, generate('gemini-2.5-flash-image'), body)).status).toBe(200);
  });
});

describe('streaming on the wire', () => {
  it('sends text/event-stream with CRLF CRLF between compact JSON events and nothing after the last', async () => {
    const { app } = emulator();
    const body = JSON.stringify({
      contents: [{ parts: [{ text: 'a quiet harbour at dawn' }] }],
      generationConfig: { responseModalities: ['TEXT'] },
    });
    const answer = await post(
      app,
      '/v1beta/models/gemini-2.5-flash-image:streamGenerateContent?alt=sse',
      body,
    );
    expect(answer.status).toBe(200);
    expect(answer.contentType).toBe('text/event-stream');
    expect(answer.text.endsWith('\r\n\r\n')).toBe(true);
    const events = answer.text.slice(0, -4).split('\r\n\r\n');
    expect(events.length).toBeGreaterThanOrEqual(2);
    const chunks = events.map((event) => {
      expect(event.startsWith('data: ')).toBe(true);
      return JSON.parse(event.slice('data: '.length)) as { candidates: { finishReason?: string }[] };
    });
    expect(chunks.at(-1)?.candidates[0]?.finishReason).toBe('STOP');
  });
});
