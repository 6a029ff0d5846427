import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { GoogleGenAI } from '@google/genai';
import {
  GoogleGenerativeAI,
  GoogleGenerativeAIFetchError,
  type Content as LegacyContent,
  type GenerationConfig as LegacyGenerationConfig,
  type Part as LegacyPart,
} from '@google/generative-ai';
import { APICallError, generateText, streamText, type ModelMessage } from 'ai';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInCatalog, findModel, knownValue } from '../../src/catalog/index.js';
import { catalogPixelSize, referencePng, startTestEmulator, type TestEmulator } from './sdk-harness.js';

/**
 * Client libraries other people wrote, each pointed at the emulator through its documented base-URL
 * option, run through the same checks: list models (where the client can), text → image with an aspect
 * ratio and size checked in pixels, an edit, a stream, a two-turn chat, and the retired model's 404.
 */

const retiredId = 'gemini-3.1-flash-image-preview';
/** A model with image sizes, served on the day the preview is retired. */
const sizedModel = 'gemini-3.1-flash-image';
const editModel = 'gemini-2.5-flash-image';

/** The day after the preview's Gemini API shutdown, from the catalog: the preview is retired, its GA twin is not. */
function dayAfterShutdownMs(): number {
  const lifecycle = findModel(builtInCatalog(), retiredId)?.platforms['gemini-api'];
  const date = lifecycle ? knownValue(lifecycle.shutdownDate) : undefined;
  expect(date, `${retiredId} shutdown date`).toBeTruthy();
  return Date.parse(`${date}T00:00:00Z`) + 24 * 3600 * 1000;
}

interface Image {
  bytes: Uint8Array;
}

interface StreamSummary {
  textPieces: number;
  images: Image[];
}

interface ClientUnderTest {
  name: string;
  /** Model names as the client lists them, or undefined when the client has no list call. */
  listModels?: () => Promise<string[]>;
  textToImage(model: string, prompt: string, aspectRatio: string, imageSize: string): Promise<Image>;
  edit(model: string, prompt: string, pngBase64: string): Promise<Image>;
  stream(model: string, prompt: string): Promise<StreamSummary>;
  /** Sends two messages in one conversation; returns the image of each answer. */
  chat(model: string, first: string, second: string): Promise<[Image, Image]>;
  /** Calls a model that is gone; returns the HTTP status and the error text the client surfaces. */
  notFound(model: string): Promise<{ status: number; text: string }>;
}

const legacyImageConfig = (extra: Record<string, unknown> = {}) =>
  ({ responseModalities: ['TEXT', 'IMAGE'], ...extra }) as LegacyGenerationConfig;

function legacyImage(parts: readonly LegacyPart[] | undefined): Image {
  const data = parts?.find((part) => part.inlineData)?.inlineData?.data;
  expect(data, 'an image part').toBeDefined();
  return { bytes: Buffer.from(data!, 'base64') };
}

/** The legacy `@google/generative-ai` SDK: `RequestOptions.baseUrl` and `apiVersion`. */
function legacyClient(baseUrl: string): ClientUnderTest {
  const genAI = new GoogleGenerativeAI('matrix-key');
  const model = (id: string, generationConfig?: LegacyGenerationConfig) =>
    genAI.getGenerativeModel(
      { model: id, ...(generationConfig ? { generationConfig } : {}) },
      { baseUrl, apiVersion: 'v1beta' },
    );
  return {
    name: '@google/generative-ai 0.24 (legacy)',
    async textToImage(id, prompt, aspectRatio, imageSize) {
      const result = await model(
        id,
        legacyImageConfig({ imageConfig: { aspectRatio, imageSize } }),
      ).generateContent(prompt);
      return legacyImage(result.response.candidates?.[0]?.content.parts);
    },
    async edit(id, prompt, pngBase64) {
      const result = await model(id, legacyImageConfig()).generateContent([
        prompt,
        { inlineData: { mimeType: 'image/png', data: pngBase64 } },
      ]);
      return legacyImage(result.response.candidates?.[0]?.content.parts);
    },
    async stream(id, prompt) {
      const result = await model(id, legacyImageConfig()).generateContentStream(prompt);
      const summary: StreamSummary = { textPieces: 0, images: [] };
      for await (const chunk of result.stream) {
        for (const part of chunk.candidates?.[0]?.content.parts ?? []) {
          if (part.text) summary.textPieces += 1;
          if (part.inlineData) summary.images.push({ bytes: Buffer.from(part.inlineData.data, 'base64') });
        }
      }
      return summary;
    },
    async chat(id, first, second) {
      const session = model(id, legacyImageConfig()).startChat();
      const one = await session.sendMessage(first);
      const two = await session.sendMessage(second);
      const history: LegacyContent[] = await session.getHistory();
      expect(history.map((content) => content.role)).toEqual(['user', 'model', 'user', 'model']);
      return [
        legacyImage(one.response.candidates?.[0]?.content.parts),
        legacyImage(two.response.candidates?.[0]?.content.parts),
      ];
    },
    async notFound(id) {
      try {
        await model(id).generateContent('a comet');
      } catch (error) {
        expect(error).toBeInstanceOf(GoogleGenerativeAIFetchError);
        const fetchError = error as GoogleGenerativeAIFetchError;
        return { status: fetchError.status ?? 0, text: fetchError.message };
      }
      throw new Error('expected a 404');
    },
  };
}

/** The Vercel AI SDK (`ai` 6 with `@ai-sdk/google` 3): `createGoogleGenerativeAI({ baseURL })`. */
function vercelClient(baseUrl: string): ClientUnderTest {
  const google = createGoogleGenerativeAI({ apiKey: 'matrix-key', baseURL: `${baseUrl}/v1beta` });
  const imageOptions = (imageConfig?: Record<string, string>) => ({
    google: { responseModalities: ['TEXT', 'IMAGE'], ...(imageConfig ? { imageConfig } : {}) },
  });
  const firstImage = (files: readonly { mediaType: string; uint8Array: Uint8Array }[]): Image => {
    const file = files.find((candidate) => candidate.mediaType.startsWith('image/'));
    expect(file, 'an image file').toBeDefined();
    return { bytes: file!.uint8Array };
  };
  return {
    name: 'Vercel AI SDK (ai 6, @ai-sdk/google 3)',
    async textToImage(id, prompt, aspectRatio, imageSize) {
      const result = await generateText({
        model: google(id),
        prompt,
        maxRetries: 0,
        providerOptions: imageOptions({ aspectRatio, imageSize }),
      });
      return firstImage(result.files);
    },
    async edit(id, prompt, pngBase64) {
      const result = await generateText({
        model: google(id),
        maxRetries: 0,
        providerOptions: imageOptions(),
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: prompt },
              { type: 'file', data: Buffer.from(pngBase64, 'base64'), mediaType: 'image/png' },
            ],
          },
        ],
      });
      return firstImage(result.files);
    },
    async stream(id, prompt) {
      const result = streamText({
        model: google(id),
        prompt,
        maxRetries: 0,
        providerOptions: imageOptions(),
      });
      const summary: StreamSummary = { textPieces: 0, images: [] };
      for await (const part of result.fullStream) {
        if (part.type === 'error') throw part.error;
        if (part.type === 'text-delta') summary.textPieces += 1;
        if (part.type === 'file' && part.file.mediaType.startsWith('image/'))
          summary.images.push({ bytes: part.file.uint8Array });
      }
      return summary;
    },
    async chat(id, first, second) {
      const messages: ModelMessage[] = [{ role: 'user', content: first }];
      const one = await generateText({
        model: google(id),
        messages,
        maxRetries: 0,
        providerOptions: imageOptions(),
      });
      messages.push(...one.response.messages, { role: 'user', content: second });
      const two = await generateText({
        model: google(id),
        messages,
        maxRetries: 0,
        providerOptions: imageOptions(),
      });
      return [firstImage(one.files), firstImage(two.files)];
    },
    async notFound(id) {
      try {
        await generateText({ model: google(id), prompt: 'a comet', maxRetries: 0 });
      } catch (error) {
        expect(APICallError.isInstance(error)).toBe(true);
        const callError = error as APICallError;
        return { status: callError.statusCode ?? 0, text: callError.responseBody ?? '' };
      }
      throw new Error('expected a 404');
    },
  };
}

/** `@google/genai` 2.x, the reference client: `httpOptions.baseUrl`. */
function genaiClient(baseUrl: string): ClientUnderTest {
  const ai = new GoogleGenAI({ apiKey: 'matrix-key', httpOptions: { baseUrl, apiVersion: 'v1beta' } });
  const image = (parts: readonly { inlineData?: { data?: string } }[] | undefined): Image => {
    const data = parts?.find((part) => part.inlineData)?.inlineData?.data;
    expect(data, 'an image part').toBeDefined();
    return { bytes: Buffer.from(data!, 'base64') };
  };
  return {
    name: '@google/genai 2.x',
    async listModels() {
      const names: string[] = [];
      for await (const model of await ai.models.list()) names.push(model.name ?? '');
      return names;
    },
    async textToImage(model, prompt, aspectRatio, imageSize) {
      const response = await ai.models.generateContent({
        model,
        contents: prompt,
        config: { imageConfig: { aspectRatio, imageSize } },
      });
      return image(response.candidates?.[0]?.content?.parts);
    },
    async edit(model, prompt, pngBase64) {
      const response = await ai.models.generateContent({
        model,
        contents: [{ text: prompt }, { inlineData: { mimeType: 'image/png', data: pngBase64 } }],
      });
      return image(response.candidates?.[0]?.content?.parts);
    },
    async stream(model, prompt) {
      const summary: StreamSummary = { textPieces: 0, images: [] };
      for await (const chunk of await ai.models.generateContentStream({ model, contents: prompt })) {
        for (const part of chunk.candidates?.[0]?.content?.parts ?? []) {
          if (part.text) summary.textPieces += 1;
          if (part.inlineData?.data)
            summary.images.push({ bytes: Buffer.from(part.inlineData.data, 'base64') });
        }
      }
      return summary;
    },
    async chat(model, first, second) {
      const chat = ai.chats.create({ model });
      const one = await chat.sendMessage({ message: first });
      const two = await chat.sendMessage({ message: second });
      return [image(one.candidates?.[0]?.content?.parts), image(two.candidates?.[0]?.content?.parts)];
    },
    async notFound(model) {
      try {
        await ai.models.generateContent({ model, contents: 'a comet' });
      } catch (error) {
        const apiError = error as { status: number; message: string };
        return { status: apiError.status, text: apiError.message };
      }
      throw new Error('expected a 404');
    },
  };
}

let harness: TestEmulator;

beforeAll(async () => {
  harness = await startTestEmulator({ atMs: dayAfterShutdownMs() });
});

afterAll(async () => {
  await harness.emulator.close();
});

/** `lists`: whether the client has a models.list call (neither the legacy SDK nor the AI SDK has one). */
const clients: { key: string; make: (baseUrl: string) => ClientUnderTest; lists: boolean }[] = [
  { key: 'legacy', make: legacyClient, lists: false },
  { key: 'vercel', make: vercelClient, lists: false },
  { key: 'genai', make: genaiClient, lists: true },
];

async function pixelSize(image: Image): Promise<{ width: number; height: number; format: string }> {
  const metadata = await sharp(image.bytes).metadata();
  return { width: metadata.width, height: metadata.height, format: metadata.format };
}

describe.each(clients)('client matrix: $key', ({ make, lists }) => {
  let client: ClientUnderTest;
  beforeAll(() => {
    client = make(harness.emulator.url);
  });

  it.runIf(lists)('lists models, without the retired one', async () => {
    expect(client.listModels, 'a list call').toBeDefined();
    const names = await client.listModels!();
    expect(names).toContain(`models/${sizedModel}`);
    expect(names).not.toContain(`models/${retiredId}`);
  });

  it.each([
    ['16:9', '2K'],
    ['3:4', '1K'],
  ])('draws text → image at %s %s, exactly the catalog’s pixels', async (aspectRatio, imageSize) => {
    const image = await client.textToImage(sizedModel, 'a harbour at dusk', aspectRatio, imageSize);
    const expected = catalogPixelSize(sizedModel, imageSize as '1K', aspectRatio as '1:1');
    expect(await pixelSize(image)).toEqual({ ...expected, format: 'png' });
  });

  it('edits a reference image, keeping its shape', async () => {
    const reference = await referencePng(300, 200);
    const image = await client.edit(editModel, 'make it blue', reference);
    // No ratio asked: the output follows the reference's 3:2 shape.
    expect(await pixelSize(image)).toEqual({ ...catalogPixelSize(editModel, '1K', '3:2'), format: 'png' });
  });

  it('streams text in pieces and the image whole', async () => {
    const summary = await client.stream(editModel, 'a windmill in a field');
    expect(summary.textPieces).toBeGreaterThanOrEqual(2);
    expect(summary.images).toHaveLength(1);
    expect(await pixelSize(summary.images[0]!)).toEqual({
      ...catalogPixelSize(editModel, '1K', '1:1'),
      format: 'png',
    });
  });

  it('keeps a chat going: the second answer edits the first', async () => {
    const [first, second] = await client.chat(editModel, 'a wooden boat', 'make it night time');
    expect(Buffer.from(second.bytes).equals(Buffer.from(first.bytes))).toBe(false);
    expect((await pixelSize(second)).width).toBeGreaterThan(0);
  });

  it('surfaces the retired model’s 404 with Google’s words', async () => {
    const failure = await client.notFound(retiredId);
    expect(failure.status).toBe(404);
    expect(failure.text).toContain(
      `models/${retiredId} is not found for API version v1beta, or is not supported for generateContent.`,
    );
  });
});
