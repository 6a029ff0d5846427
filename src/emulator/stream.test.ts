import { describe, expect, it } from 'vitest';
import type { GenerateContentResponse } from './response-shape.js';
import { sseBody, splitText, streamChunks } from './stream.js';

const response: GenerateContentResponse = {
  candidates: [
    {
      content: {
        role: 'model',
        parts: [
          { text: 'Here is the image you asked for', thoughtSignature: 'c2ln' },
          { inlineData: { mimeType: 'image/png', data: 'iVBO' }, thoughtSignature: 'aW1n' },
        ],
      },
      finishReason: 'STOP',
      index: 0,
    },
  ],
  usageMetadata: {
    promptTokenCount: 5,
    candidatesTokenCount: 1128,
    totalTokenCount: 1133,
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: 5 }],
    candidatesTokensDetails: [{ modality: 'IMAGE', tokenCount: 1120 }],
  },
  modelVersion: 'm',
  responseId: 'r',
};

describe('splitText', () => {
  it('cuts at a space near the middle, losing nothing', () => {
    const pieces = splitText('Here is the image you asked for');
    expect(pieces).toHaveLength(2);
    expect(pieces.join('')).toBe('Here is the image you asked for');
  });

  it('keeps a single word whole', () => {
    expect(splitText('word')).toEqual(['word']);
  });
});

describe('streamChunks', () => {
  const chunks = streamChunks(response);

  it('sends text pieces, then one image chunk, then a final chunk with the finish reason', () => {
    expect(
      chunks.map((chunk) => chunk.candidates?.[0]?.content.parts?.map((part) => Object.keys(part))),
    ).toEqual([[['text', 'thoughtSignature']], [['text']], [['inlineData', 'thoughtSignature']], undefined]);
    expect(chunks.at(-1)?.candidates?.[0]).toEqual({
      content: { role: 'model' },
      finishReason: 'STOP',
      index: 0,
    });
    expect(chunks.slice(0, -1).every((chunk) => chunk.candidates?.[0]?.finishReason === undefined)).toBe(
      true,
    );
  });

  it('keeps the responseId, modelVersion and role on every chunk', () => {
    for (const chunk of chunks) {
      expect(chunk).toMatchObject({
        responseId: 'r',
        modelVersion: 'm',
        candidates: [{ content: { role: 'model' } }],
      });
    }
  });

  it('makes usage cumulative, ending on the full usage', () => {
    const counts = chunks.map((chunk) => chunk.usageMetadata.candidatesTokenCount ?? 0);
    expect([...counts].sort((a, b) => a - b)).toEqual(counts);
    expect(chunks.at(-1)?.usageMetadata).toEqual(response.usageMetadata);
  });

  it('streams a blocked prompt as its single response', () => {
    const blocked: GenerateContentResponse = {
      promptFeedback: { blockReason: 'SAFETY' },
      usageMetadata: { promptTokenCount: 1, totalTokenCount: 1 },
      modelVersion: 'm',
      responseId: 'r',
    };
    expect(streamChunks(blocked)).toEqual([blocked]);
  });
});

describe('sseBody', () => {
  it('frames each chunk as "data: <compact json>" followed by CRLF CRLF, with nothing after the last', () => {
    const body = sseBody(response);
    const events = body.split('\r\n\r\n');
    expect(events.at(-1)).toBe('');
    expect(events.slice(0, -1)).toHaveLength(4);
    for (const event of events.slice(0, -1)) {
      expect(event.startsWith('data: {')).toBe(true);
      expect(event).not.toContain('\n');
      expect(() => JSON.parse(event.slice('data: '.length))).not.toThrow();
    }
  });
});
