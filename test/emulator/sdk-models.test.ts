import { GoogleGenAI } from '@google/genai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInCatalog, knownValue, lifecycleOn } from '../../src/catalog/index.js';
import {
  apiError,
  decodedImage,
  imagePart,
  startTestEmulator,
  beforeShutdowns,
  type TestEmulator,
} from './sdk-harness.js';

let harness: TestEmulator;

beforeAll(async () => {
  harness = await startTestEmulator();
});

afterAll(async () => {
  await harness.emulator.close();
});

/** Every ID (aliases included) the catalog serves on the Gemini API at the test instant. */
function expectedGeminiIds(atMs: number): string[] {
  return builtInCatalog()
    .models.filter((model) => {
      const lifecycle = lifecycleOn(model, 'gemini-api', atMs);
      return lifecycle !== undefined && !lifecycle.isRetired;
    })
    .flatMap((model) => [model.id, ...model.aliases]);
}

describe('models through @google/genai', () => {
  it('lists every served model across pages, with the real fields', async () => {
    const pager = await harness.client({ prefix: '/some/prefix' }).models.list({ config: { pageSize: 2 } });
    const names: string[] = [];
    for await (const model of pager) names.push(model.name ?? '');
    expect(names).toEqual(expectedGeminiIds(beforeShutdowns).map((id) => `models/${id}`));

    const first = (await harness.client().models.list({ config: { pageSize: 100 } })).page;
    const pro = first.find((model) => model.name === 'models/gemini-3-pro-image-preview');
    const catalogPro = builtInCatalog().models.find((model) => model.id === 'gemini-3-pro-image-preview')!;
    expect(pro).toMatchObject({
      displayName: catalogPro.displayName,
      description: catalogPro.description,
      inputTokenLimit: knownValue(catalogPro.capabilities.inputTokenLimit),
      outputTokenLimit: knownValue(catalogPro.capabilities.outputTokenLimit),
      supportedActions: ['generateContent', 'countTokens', 'batchGenerateContent'],
      temperature: 1,
      topP: 0.95,
      topK: 64,
      maxTemperature: 1,
      thinking: true,
    });
  });

  it('gets one model, and its alias', async () => {
    const ai = harness.client();
    expect((await ai.models.get({ model: 'gemini-2.5-flash-image' })).name).toBe(
      'models/gemini-2.5-flash-image',
    );
    expect((await ai.models.get({ model: 'nano-banana-pro-preview' })).name).toBe(
      'models/nano-banana-pro-preview',
    );
  });

  it('answers an unknown model with the real 404 wording', async () => {
    const failure = await apiError(
      harness.client().models.generateContent({ model: 'gemini-2.5-flash-imag', contents: 'x' }),
    );
    expect(failure.status).toBe(404);
    expect(failure.body.error).toEqual({
      code: 404,
      status: 'NOT_FOUND',
      message:
        'models/gemini-2.5-flash-imag is not found for API version v1beta, or is not supported for generateContent. ' +
        'Call ListModels to see the list of available models and their supported methods.',
    });
  });

  it('serves apiVersion v1 as well, naming it in errors', async () => {
    const ai = harness.client({ apiVersion: 'v1' });
    const response = await ai.models.generateContent({ model: 'gemini-2.5-flash-image', contents: 'a fox' });
    expect(await decodedImage(imagePart(response)?.data)).toMatchObject({
      format: 'png',
      width: 1024,
      height: 1024,
    });
    const failure = await apiError(ai.models.get({ model: 'no-such-model' }));
    expect(failure.body.error.message).toContain('for API version v1,');
  });

  it('is found through GOOGLE_GEMINI_BASE_URL alone', async () => {
    const saved = process.env.GOOGLE_GEMINI_BASE_URL;
    process.env.GOOGLE_GEMINI_BASE_URL = `${harness.emulator.url}/env-prefix`;
    try {
      const ai = new GoogleGenAI({ apiKey: 'test-key', httpOptions: { apiVersion: 'v1beta' } });
      const response = await ai.models.generateContent({
        model: 'gemini-2.5-flash-image',
        contents: 'an owl',
      });
      expect(imagePart(response)?.mimeType).toBe('image/png');
    } finally {
      if (saved === undefined) delete process.env.GOOGLE_GEMINI_BASE_URL;
      else process.env.GOOGLE_GEMINI_BASE_URL = saved;
    }
  });
});
