import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { GenerationResult } from '../../client/index.js';
import { ManualClock } from '../../clock/index.js';
import { ImageGenerationError } from '../../engine/index.js';
import { outcomeOf } from '../../outcome/index.js';
import type { ImageRequest } from '../../request/image-request.js';
import { createOpenAiRoutes, type OpenAiRoutesOptions } from './openai-routes.js';

const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#3366cc' } })
  .png()
  .toBuffer();

function resultWith(count: number, mimeType = 'image/png'): GenerationResult {
  return {
    images: Array.from({ length: count }, () => ({
      bytes: png,
      mimeType,
      width: 1264,
      height: 848,
      sha256: 'ab',
    })),
    usage: {
      promptTokens: 10,
      outputTextTokens: 0,
      outputImageTokens: 1290,
      thoughtsTokens: 0,
      totalTokens: 1300,
    },
    attempts: [],
    servedBy: { modelId: 'served-model', platform: 'gemini-api' },
    warnings: [],
    modelContents: [],
    requestedModel: 'image_fast',
  };
}

function routesWith(
  options: Partial<OpenAiRoutesOptions> = {},
  result: GenerationResult | Error = resultWith(1),
) {
  const calls: { request: ImageRequest; model: string }[] = [];
  const routes = createOpenAiRoutes({
    generate: async (request, model) => {
      calls.push({ request, model });
      if (result instanceof Error) throw result;
      return result;
    },
    clock: new ManualClock(Date.parse('2026-04-01T00:00:00Z')),
    ...options,
  });
  return { routes, calls };
}

const postJson = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

async function errorOf(response: Response) {
  return (
    (await response.json()) as {
      error: { type: string; code: string; message: string; param: string | null };
    }
  ).error;
}

describe('POST /images/generations', () => {
  it('maps the OpenAI fields to an image request and answers in the OpenAI shape', async () => {
    const { routes, calls } = routesWith({}, resultWith(2));
    const response = await routes.request(
      '/images/generations',
      postJson({
        model: 'gpt-image-1',
        prompt: 'a lighthouse',
        n: 2,
        size: '1536x1024',
        quality: 'high',
        user: 'u1',
      }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('x-imagegate-served-by')).toBe('gemini-api/served-model');
    expect(calls[0]?.model).toBe('image_fast');
    expect(calls[0]?.request).toMatchObject({
      prompt: 'a lighthouse',
      imageCount: 2,
      aspectRatio: '3:2',
      imageSize: '2K',
      outputFormat: 'png',
      referenceImages: [],
    });
    expect(await response.json()).toEqual({
      created: Date.parse('2026-04-01T00:00:00Z') / 1000,
      data: [{ b64_json: png.toString('base64') }, { b64_json: png.toString('base64') }],
      background: 'opaque',
      output_format: 'png',
      size: '1264x848',
      usage: { input_tokens: 10, output_tokens: 1290, total_tokens: 1300 },
    });
  });

  it('passes imagegate names through and uses the configured default for OpenAI names', async () => {
    const { routes, calls } = routesWith({ defaultModel: 'image_quality' });
    await routes.request('/images/generations', postJson({ prompt: 'x', model: 'image_fast' }));
    await routes.request('/images/generations', postJson({ prompt: 'x', model: 'dall-e-3' }));
    await routes.request('/images/generations', postJson({ prompt: 'x', model: null }));
    expect(calls.map((call) => call.model)).toEqual(['image_fast', 'image_quality', 'image_quality']);
  });

  it('answers with URLs from the image store when asked', async () => {
    const stored: string[] = [];
    const { routes } = routesWith(
      {
        storeImage: async (_bytes, mimeType) => {
          stored.push(mimeType);
          return `https://images.example/${stored.length}.jpg`;
        },
      },
      resultWith(1, 'image/jpeg'),
    );
    const response = await routes.request(
      '/images/generations',
      postJson({ prompt: 'x', response_format: 'url', output_format: 'jpeg' }),
    );
    const body = (await response.json()) as { data: unknown[]; output_format: string };
    expect(body.data).toEqual([{ url: 'https://images.example/1.jpg' }]);
    expect(body.output_format).toBe('jpeg');
    expect(stored).toEqual(['image/jpeg']);
  });

  it.each([
    [{}, 'prompt', 'Missing required parameter "prompt"'],
    [{ prompt: 'x', n: 9 }, 'n', 'at most 8 images'],
    [{ prompt: 'x', n: 1.5 }, 'n', 'whole number'],
    [{ prompt: 'x', size: 'big' }, 'size', 'WIDTHxHEIGHT'],
    [{ prompt: 'x', quality: 'ultra' }, 'quality', '"low", "medium", "high"'],
    [{ prompt: 'x', output_format: 'webp' }, 'output_format', '"png" and "jpeg"'],
    [{ prompt: 'x', background: 'transparent' }, 'background', 'transparent'],
    [{ prompt: 'x', stream: true }, 'stream', 'not supported'],
    [{ prompt: 'x', response_format: 'url' }, 'response_format', 'b64_json'],
    [{ prompt: 'x', colour: 'red' }, 'colour', 'Unknown parameter "colour"'],
  ])('refuses %j naming %s', async (body, param, message) => {
    const { routes, calls } = routesWith();
    const response = await routes.request('/images/generations', postJson(body));
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.type).toBe('invalid_request_error');
    expect(error.param).toBe(param);
    expect(error.message).toContain(message);
    expect(calls).toHaveLength(0);
  });

  it('refuses a body that is not a JSON object', async () => {
    const { routes } = routesWith();
    const response = await routes.request('/images/generations', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '[1,2',
    });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).code).toBe('invalid_json');
  });

  it('answers a rate-limited generation 429 with Retry-After', async () => {
    const failure = new ImageGenerationError(
      outcomeOf('rate_limited', 'slow down', { retryAfterMs: 30_000 }),
      [],
      [],
    );
    const { routes } = routesWith({}, failure);
    const response = await routes.request('/images/generations', postJson({ prompt: 'x' }));
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('30');
    expect(await errorOf(response)).toEqual({
      type: 'rate_limit_exceeded',
      code: 'rate_limit_exceeded',
      message: 'slow down',
      param: null,
    });
  });
});

describe('POST /images/edits', () => {
  function form(entries: [string, string | Blob, string?][]): FormData {
    const body = new FormData();
    for (const [name, value, fileName] of entries) {
      if (typeof value === 'string') body.append(name, value);
      else body.append(name, value, fileName);
    }
    return body;
  }
  const pngBlob = () => new Blob([png], { type: 'image/png' });

  it('sends every uploaded image as a reference, in order, with text fields read from the form', async () => {
    const { routes, calls } = routesWith();
    const response = await routes.request('/images/edits', {
      method: 'POST',
      body: form([
        ['image[]', pngBlob(), 'a.png'],
        ['image[]', pngBlob(), 'b.png'],
        ['prompt', 'put them together'],
        ['n', '1'],
        ['size', '1024x1024'],
        ['output_format', 'jpeg'],
      ]),
    });
    expect(response.status).toBe(200);
    expect(calls[0]?.request.referenceImages.map((image) => [image.label, image.mimeType])).toEqual([
      ['a.png', 'image/png'],
      ['b.png', 'image/png'],
    ]);
    expect(calls[0]?.request).toMatchObject({
      aspectRatio: '1:1',
      imageSize: '1K',
      outputFormat: 'jpeg',
    });
  });

  it.each([
    [[['prompt', 'x']], 'image', 'Missing required parameter "image"'],
    [
      [
        ['image', 'not a file'],
        ['prompt', 'x'],
      ],
      'image',
      'file upload',
    ],
    [
      [
        ['image', 'IMG'],
        ['prompt', 'x'],
        ['mask', 'IMG'],
      ],
      'mask',
      'Masks are not supported',
    ],
    [
      [
        ['image', 'IMG'],
        ['prompt', 'x'],
        ['n', 'two'],
      ],
      'n',
      'Invalid "n"',
    ],
    [
      [
        ['image', 'TXT'],
        ['prompt', 'x'],
      ],
      'image',
      'allowed: image/png',
    ],
  ] as const)('refuses %j naming %s', async (entries, param, message) => {
    const { routes, calls } = routesWith();
    const body = form(
      entries.map(([name, value]): [string, string | Blob, string?] =>
        value === 'IMG'
          ? [name, pngBlob(), 'in.png']
          : value === 'TXT'
            ? [name, new Blob(['hello'], { type: 'image/png' }), 'fake.png']
            : [name, value],
      ),
    );
    const response = await routes.request('/images/edits', { method: 'POST', body });
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.param).toBe(param);
    expect(error.message).toContain(message);
    expect(calls).toHaveLength(0);
  });

  it('refuses JSON and over-large bodies', async () => {
    const { routes } = routesWith({ maxEditBodyBytes: 1_000 });
    const json = await routes.request('/images/edits', postJson({ prompt: 'x' }));
    expect(json.status).toBe(400);
    expect((await errorOf(json)).code).toBe('invalid_content_type');
    const big = await routes.request('/images/edits', {
      method: 'POST',
      body: form([
        ['image', new Blob([Buffer.alloc(5_000)], { type: 'image/png' }), 'big.png'],
        ['prompt', 'x'],
      ]),
    });
    expect(big.status).toBe(413);
  });
});
