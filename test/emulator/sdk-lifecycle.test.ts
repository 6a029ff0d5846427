import { GoogleGenAI } from '@google/genai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInCatalog, findModel, knownValue } from '../../src/catalog/index.js';
import { apiError, imagePart, startTestEmulator, type TestEmulator } from './sdk-harness.js';

let harness: TestEmulator;
const previewId = 'gemini-3.1-flash-image-preview';

/** Midnight UTC of the model's announced shutdown day on a platform, from the catalog. */
function shutdownMs(platform: 'gemini-api' | 'vertex-ai'): number {
  const lifecycle = findModel(builtInCatalog(), previewId)?.platforms[platform];
  const date = lifecycle ? knownValue(lifecycle.shutdownDate) : undefined;
  expect(date, `${previewId} shutdown date on ${platform}`).toBeTruthy();
  return Date.parse(`${date}T00:00:00Z`);
}

async function listedIds(ai: GoogleGenAI): Promise<string[]> {
  const names: string[] = [];
  for await (const model of await ai.models.list()) names.push(model.name ?? '');
  return names;
}

beforeAll(async () => {
  harness = await startTestEmulator();
});

afterAll(async () => {
  await harness.emulator.close();
});

describe('the lifecycle clock', () => {
  it('answers the day before shutdown and 404s from the shutdown day, through the control API', async () => {
    const ai = harness.client();
    const setClock = (atMs: number) =>
      fetch(`${harness.emulator.url}/_emulator/clock`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ now: new Date(atMs).toISOString(), frozen: true }),
      });

    expect((await setClock(shutdownMs('gemini-api') - 1)).ok).toBe(true);
    const before = await ai.models.generateContent({
      model: previewId,
      contents: 'a comet',
      config: { imageConfig: { imageSize: '512' } },
    });
    expect(imagePart(before)).toBeDefined();
    expect(await listedIds(ai)).toContain(`models/${previewId}`);

    expect((await setClock(shutdownMs('gemini-api'))).ok).toBe(true);
    const failure = await apiError(ai.models.generateContent({ model: previewId, contents: 'a comet' }));
    expect(failure.status).toBe(404);
    expect(failure.body.error).toMatchObject({
      status: 'NOT_FOUND',
      message: `models/${previewId} is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.`,
    });
    expect(await listedIds(ai)).not.toContain(`models/${previewId}`);
    expect((await apiError(ai.models.get({ model: previewId }))).status).toBe(404);
  });

  it('uses Vertex AI’s own shutdown date on Vertex paths', async () => {
    const between = shutdownMs('gemini-api') + 86_400_000;
    expect(between).toBeLessThan(shutdownMs('vertex-ai'));
    harness.emulator.clock.setNow(between, { frozen: true });
    const vertex = new GoogleGenAI({
      vertexai: true,
      apiKey: 'express-key',
      httpOptions: { baseUrl: harness.emulator.url, apiVersion: 'v1beta1' },
    });
    const served = await vertex.models.generateContent({
      model: previewId,
      contents: 'a comet',
      config: { imageConfig: { imageSize: '512' } },
    });
    expect(imagePart(served)).toBeDefined();
    expect(
      (await apiError(harness.client().models.generateContent({ model: previewId, contents: 'a comet' })))
        .status,
    ).toBe(404);

    harness.emulator.clock.setNow(shutdownMs('vertex-ai'), { frozen: true });
    const failure = await apiError(vertex.models.generateContent({ model: previewId, contents: 'a comet' }));
    expect(failure.status).toBe(404);
    expect(failure.body.error.status).toBe('NOT_FOUND');
    expect(String(failure.body.error.message)).toContain(`publishers/google/models/${previewId}`);
  });
});
