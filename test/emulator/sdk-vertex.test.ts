import { GoogleGenAI } from '@google/genai';
import { OAuth2Client } from 'google-auth-library';
import { builtInCatalog } from '../../src/catalog/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  catalogPixelSize,
  decodedImage,
  imagePart,
  startTestEmulator,
  type TestEmulator,
} from './sdk-harness.js';

let harness: TestEmulator;

beforeAll(async () => {
  harness = await startTestEmulator();
});

afterAll(async () => {
  await harness.emulator.close();
});

describe('Vertex AI mode', () => {
  it('serves express mode (API key, publishers/google/models/…) with a JPEG when asked', async () => {
    const ai = new GoogleGenAI({
      vertexai: true,
      apiKey: 'express-key',
      httpOptions: { baseUrl: `${harness.emulator.url}/vertex`, apiVersion: 'v1beta1' },
    });
    const response = await ai.models.generateContent({
      model: 'gemini-2.5-flash-image',
      contents: 'a tram in the rain',
      config: { imageConfig: { aspectRatio: '9:16', outputMimeType: 'image/jpeg' } },
    });
    expect(imagePart(response)?.mimeType).toBe('image/jpeg');
    expect(await decodedImage(imagePart(response)?.data)).toEqual({
      format: 'jpeg',
      ...catalogPixelSize('gemini-2.5-flash-image', '1K', '9:16'),
    });
    expect(response.candidates?.[0]?.content?.role).toBe('model');
  });

  it('serves projects/{p}/locations/{l}/… with a bearer token and a custom base URL', async () => {
    const authClient = new OAuth2Client();
    authClient.setCredentials({ access_token: 'emulator-token', expiry_date: Date.now() + 3_600_000 });
    const ai = new GoogleGenAI({
      vertexai: true,
      project: 'my-project',
      location: 'us-central1',
      googleAuthOptions: { authClient },
      httpOptions: { baseUrl: harness.emulator.url, apiVersion: 'v1beta1' },
    });
    const response = await ai.models.generateContent({
      model: 'gemini-3.1-flash-image-preview',
      contents: 'a kingfisher',
      config: { imageConfig: { aspectRatio: '1:1', imageSize: '512' } },
    });
    expect(await decodedImage(imagePart(response)?.data)).toEqual({ format: 'png', width: 512, height: 512 });
    const stats = harness.emulator.stats.snapshot();
    expect(stats.models['gemini-3.1-flash-image-preview']?.byMethod.generateContent).toBeGreaterThanOrEqual(
      1,
    );
  });
});

describe('Vertex AI models', () => {
  it('lists and gets publisher models in Vertex’s shape', async () => {
    const ai = new GoogleGenAI({
      vertexai: true,
      apiKey: 'express-key',
      httpOptions: { baseUrl: harness.emulator.url, apiVersion: 'v1beta1' },
    });
    const names: string[] = [];
    for await (const model of await ai.models.list()) names.push(model.name ?? '');
    expect(names).toContain('publishers/google/models/gemini-2.5-flash-image');
    const geminiApiOnly = builtInCatalog().models.filter((entry) => !entry.platforms['vertex-ai']);
    expect(geminiApiOnly.length).toBeGreaterThan(0);
    for (const entry of geminiApiOnly) expect(names).not.toContain(`publishers/google/models/${entry.id}`);
    const model = await ai.models.get({ model: 'gemini-2.5-flash-image' });
    expect(model.name).toBe('publishers/google/models/gemini-2.5-flash-image');
  });
});
