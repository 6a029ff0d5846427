import { createPartFromBase64, type GenerateContentResponse } from '@google/genai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AspectRatio, ImageSize } from '../../src/catalog/index.js';
import {
  catalogPixelSize,
  decodedImage,
  textOf,
  imagePart,
  referencePng,
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

describe('generateContent through @google/genai', () => {
  const pairs: [string, AspectRatio, ImageSize][] = [
    ['gemini-2.5-flash-image', '16:9', '1K'],
    ['gemini-3.1-flash-image-preview', '1:1', '512'],
    ['gemini-3.1-flash-image-preview', '1:8', '512'],
    ['gemini-3-pro-image-preview', '3:4', '1K'],
  ];

  it.each(pairs)('%s at %s / %s returns a PNG of the catalog size', async (model, aspectRatio, imageSize) => {
    const ai = harness.client({ prefix: '/gemini/proxy' });
    const response = await ai.models.generateContent({
      model,
      contents: 'a lighthouse at dusk',
      config: { responseModalities: ['TEXT', 'IMAGE'], imageConfig: { aspectRatio, imageSize } },
    });
    const image = await decodedImage(imagePart(response)?.data);
    expect(image).toEqual({ format: 'png', ...catalogPixelSize(model, imageSize, aspectRatio) });
    expect(imagePart(response)?.mimeType).toBe('image/png');
    expect(response.candidates?.[0]?.content?.role).toBe('model');
    expect(response.candidates?.[0]?.finishReason).toBe('STOP');
    expect(response.candidates?.[0]?.index).toBe(0);
    expect(response.modelVersion).toBe(model);
    expect(response.responseId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(textOf(response)).toContain('a lighthouse at dusk');
  });

  it('reports image tokens from the catalog and signs parts of thinking models only', async () => {
    const ai = harness.client();
    const flash = await ai.models.generateContent({
      model: 'gemini-2.5-flash-image',
      contents: 'a red kite',
    });
    expect(flash.usageMetadata?.candidatesTokensDetails).toEqual([{ modality: 'IMAGE', tokenCount: 1290 }]);
    expect(flash.usageMetadata?.totalTokenCount).toBe(
      (flash.usageMetadata?.promptTokenCount ?? 0) + (flash.usageMetadata?.candidatesTokenCount ?? 0),
    );
    expect(flash.candidates?.[0]?.content?.parts?.some((part) => part.thoughtSignature)).toBe(false);

    const pro = await ai.models.generateContent({
      model: 'gemini-3-pro-image-preview',
      contents: 'a red kite',
      config: { imageConfig: { imageSize: '4K', aspectRatio: '1:1' } },
    });
    expect(pro.usageMetadata?.candidatesTokensDetails).toEqual([{ modality: 'IMAGE', tokenCount: 2000 }]);
    const parts = pro.candidates?.[0]?.content?.parts ?? [];
    expect(parts[0]?.thoughtSignature).toBeTruthy();
    expect(parts.find((part) => part.inlineData)?.thoughtSignature).toBeTruthy();
  });

  it('answers image-only when asked for IMAGE alone', async () => {
    const response = await harness.client().models.generateContent({
      model: 'gemini-2.5-flash-image',
      contents: 'a blue door',
      config: { responseModalities: ['IMAGE'] },
    });
    expect(response.candidates?.[0]?.content?.parts?.map((part) => Object.keys(part))).toEqual([
      ['inlineData'],
    ]);
  });

  it('answers several candidates where the model allows it', async () => {
    const response = await harness.client().models.generateContent({
      model: 'gemini-2.5-flash-image',
      contents: 'three pears',
      config: { candidateCount: 2 },
    });
    expect(response.candidates?.map((candidate) => candidate.index)).toEqual([0, 1]);
    expect(imagePart(response, 0)?.data).not.toBe(imagePart(response, 1)?.data);
  });

  it('edits a reference image, following its shape when no ratio is asked', async () => {
    const reference = await referencePng(160, 90);
    const response = await harness.client().models.generateContent({
      model: 'gemini-3.1-flash-image-preview',
      contents: [
        { role: 'user', parts: [{ text: 'make it night' }, createPartFromBase64(reference, 'image/png')] },
      ],
      config: { imageConfig: { imageSize: '512' } },
    });
    const image = await decodedImage(imagePart(response)?.data);
    expect(image).toEqual({
      format: 'png',
      ...catalogPixelSize('gemini-3.1-flash-image-preview', '512', '16:9'),
    });
    expect(textOf(response)).toContain('edited');
    expect(response.usageMetadata?.promptTokensDetails?.map((detail) => detail.modality)).toEqual([
      'TEXT',
      'IMAGE',
    ]);
  });

  it('runs a two-turn chat edit, echoing the model turn with its signatures', async () => {
    const ai = harness.client();
    const chat = ai.chats.create({
      model: 'gemini-3-pro-image-preview',
      config: { responseModalities: ['TEXT', 'IMAGE'], imageConfig: { aspectRatio: '4:3', imageSize: '1K' } },
    });
    const first = await chat.sendMessage({ message: 'a paper boat on a pond' });
    const second = await chat.sendMessage({ message: 'now make the boat red' });
    const history = chat.getHistory();
    expect(history.map((content) => content.role)).toEqual(['user', 'model', 'user', 'model']);
    expect(history[1]?.parts?.find((part) => part.inlineData)?.thoughtSignature).toBeTruthy();
    expect(textOf(second)).toContain('now make the boat red');
    expect(textOf(second)).toContain('edited');
    expect(imagePart(second)?.data).not.toBe(imagePart(first)?.data);
    expect(await decodedImage(imagePart(second)?.data)).toEqual({
      format: 'png',
      ...catalogPixelSize('gemini-3-pro-image-preview', '1K', '4:3'),
    });
  });

  it('streams text chunks, then the image, then the finish reason', async () => {
    const stream = await harness.client().models.generateContentStream({
      model: 'gemini-3.1-flash-image-preview',
      contents: 'a windmill in a field of tulips',
      config: { imageConfig: { aspectRatio: '3:2', imageSize: '512' } },
    });
    const chunks: GenerateContentResponse[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    const kinds = chunks.map((chunk) =>
      chunk.candidates?.[0]?.finishReason ? 'finish' : imagePart(chunk) ? 'image' : 'text',
    );
    expect(kinds.at(-1)).toBe('finish');
    expect(kinds.at(-2)).toBe('image');
    expect(kinds.slice(0, -2).every((kind) => kind === 'text')).toBe(true);
    expect(new Set(chunks.map((chunk) => chunk.responseId)).size).toBe(1);
    const text = chunks.map((chunk) => textOf(chunk)).join('');
    expect(text).toContain('a windmill in a field of tulips');
    const image = chunks.find((chunk) => imagePart(chunk));
    expect(await decodedImage(imagePart(image!)?.data)).toEqual({
      format: 'png',
      ...catalogPixelSize('gemini-3.1-flash-image-preview', '512', '3:2'),
    });
    expect(chunks.at(-1)?.usageMetadata?.candidatesTokensDetails).toEqual([
      { modality: 'IMAGE', tokenCount: 747 },
    ]);
  });

  it('counts tokens with the same estimate generateContent reports', async () => {
    const ai = harness.client();
    const counted = await ai.models.countTokens({
      model: 'gemini-2.5-flash-image',
      contents: 'twelve chars',
    });
    const generated = await ai.models.generateContent({
      model: 'gemini-2.5-flash-image',
      contents: 'twelve chars',
    });
    expect(counted.totalTokens).toBe(3);
    expect(generated.usageMetadata?.promptTokenCount).toBe(counted.totalTokens);
  });
});
