import type { GenerateContentResponse } from '@google/genai';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { classifyResponse } from './classify-response.js';

async function pngBase64(width: number, height: number): Promise<string> {
  const bytes = await sharp({ create: { width, height, channels: 3, background: { r: 200, g: 120, b: 40 } } })
    .png()
    .toBuffer();
  return bytes.toString('base64');
}

const response = (value: object) => value as GenerateContentResponse;
const png = { mimeType: 'image/png' };
let square: string;
let wide: string;

beforeAll(async () => {
  square = await pngBase64(64, 64);
  wide = await pngBase64(96, 54);
});

describe('classifyResponse', () => {
  it('verifies images, keeps the model content and splits usage', async () => {
    const content = {
      role: 'model',
      parts: [
        { text: 'thinking…', thought: true },
        { inlineData: { mimeType: 'image/png', data: wide }, thought: true },
        { text: 'Here it is', thoughtSignature: 'c2ln' },
        { inlineData: { mimeType: 'image/png', data: square }, thoughtSignature: 'c2ln' },
      ],
    };
    const result = await classifyResponse(
      response({
        candidates: [{ content, finishReason: 'STOP', index: 0 }],
        usageMetadata: {
          promptTokenCount: 10,
          candidatesTokenCount: 1300,
          thoughtsTokenCount: 50,
          totalTokenCount: 1360,
          candidatesTokensDetails: [{ modality: 'IMAGE', tokenCount: 1290 }],
        },
      }),
      { ...png, width: 64, height: 64 },
    );
    expect(result.outcome.kind).toBe('success');
    expect(result.images).toHaveLength(1);
    expect(result.images[0]).toMatchObject({ width: 64, height: 64, mimeType: 'image/png' });
    expect(result.images[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(result.text).toBe('Here it is');
    expect(result.modelContent).toEqual(content);
    expect(result.usage).toEqual({
      promptTokens: 10,
      outputTextTokens: 10,
      outputImageTokens: 1290,
      thoughtsTokens: 50,
      totalTokens: 1360,
    });
  });

  it('collects one image per candidate', async () => {
    const result = await classifyResponse(
      response({
        candidates: [0, 1].map((index) => ({
          content: { role: 'model', parts: [{ inlineData: { mimeType: 'image/png', data: square } }] },
          finishReason: 'STOP',
          index,
        })),
      }),
      { ...png, allowedSizes: [{ width: 64, height: 64 }] },
    );
    expect(result.outcome.kind).toBe('success');
    expect(result.images).toHaveLength(2);
  });

  it('reads promptFeedback.blockReason as blocked_prompt', async () => {
    const result = await classifyResponse(
      response({ promptFeedback: { blockReason: 'PROHIBITED_CONTENT' } }),
      png,
    );
    expect(result.outcome).toMatchObject({ kind: 'blocked_prompt', retryable: false });
    expect(result.outcome.message).toContain('PROHIBITED_CONTENT');
  });

  it.each(['IMAGE_SAFETY', 'SAFETY', 'PROHIBITED_CONTENT', 'IMAGE_PROHIBITED_CONTENT', 'RECITATION'])(
    'reads finishReason %s without an image as blocked_output',
    async (finishReason) => {
      const result = await classifyResponse(
        response({ candidates: [{ content: { role: 'model', parts: [] }, finishReason }] }),
        png,
      );
      expect(result.outcome).toMatchObject({ kind: 'blocked_output', retryable: false });
    },
  );

  it('reads NO_IMAGE and text-only replies as no_image', async () => {
    const noImage = await classifyResponse(response({ candidates: [{ finishReason: 'NO_IMAGE' }] }), png);
    expect(noImage.outcome).toMatchObject({ kind: 'no_image', retryable: true, fallbackEligible: true });
    const textOnly = await classifyResponse(
      response({
        candidates: [
          { content: { role: 'model', parts: [{ text: 'I cannot draw that.' }] }, finishReason: 'STOP' },
        ],
      }),
      png,
    );
    expect(textOnly.outcome.kind).toBe('no_image');
    expect(textOnly.text).toBe('I cannot draw that.');
    const empty = await classifyResponse(response({}), png);
    expect(empty.outcome.kind).toBe('no_image');
  });

  it('reads an image of another size than asked as wrong_output (silent downgrade)', async () => {
    const result = await classifyResponse(
      response({
        candidates: [
          { content: { role: 'model', parts: [{ inlineData: { mimeType: 'image/png', data: wide } }] } },
        ],
      }),
      { ...png, width: 64, height: 64 },
    );
    expect(result.outcome).toMatchObject({ kind: 'wrong_output', retryable: true, fallbackEligible: true });
    expect(result.outcome.message).toContain('96x54, expected 64x64');
    expect(result.images).toEqual([]);
  });

  it('reads a size outside the allowed tier as wrong_output', async () => {
    const result = await classifyResponse(
      response({
        candidates: [
          { content: { role: 'model', parts: [{ inlineData: { mimeType: 'image/png', data: wide } }] } },
        ],
      }),
      {
        ...png,
        allowedSizes: [
          { width: 64, height: 64 },
          { width: 54, height: 96 },
        ],
      },
    );
    expect(result.outcome.kind).toBe('wrong_output');
    expect(result.outcome.message).toContain('expected one of 64x64, 54x96');
  });

  it('reads bytes that do not decode, or are cut off, as wrong_output', async () => {
    const garbage = await classifyResponse(
      response({
        candidates: [
          {
            content: {
              role: 'model',
              parts: [{ inlineData: { mimeType: 'image/png', data: 'bm90IGFuIGltYWdl' } }],
            },
          },
        ],
      }),
      png,
    );
    expect(garbage.outcome.kind).toBe('wrong_output');
    expect(garbage.outcome.message).toContain('does not decode');
    const full = Buffer.from(await pngBase64(256, 256), 'base64');
    const truncated = full.subarray(0, Math.floor(full.length / 2)).toString('base64');
    const cut = await classifyResponse(
      response({
        candidates: [
          { content: { role: 'model', parts: [{ inlineData: { mimeType: 'image/png', data: truncated } }] } },
        ],
      }),
      png,
    );
    expect(cut.outcome.kind).toBe('wrong_output');
  });

  it('reads a response of the wrong shape as wrong_output naming the field', async () => {
    const result = await classifyResponse(response({ candidates: 'nope' }), png);
    expect(result.outcome.kind).toBe('wrong_output');
    expect(result.outcome.message).toContain('candidates');
  });
});
