import { describe, expect, it } from 'vitest';
import type { ResponseDraft } from './generation.js';
import type { GenerateContentResponse } from './response-shape.js';
import { splitText, sseStream, streamChunks } from './stream.js';

const imageBytes = Buffer.from('png bytes');

function draft(onRender: () => void = () => undefined): ResponseDraft {
  return {
    envelope: { modelVersion: 'm', responseId: 'r' },
    candidates: [
      {
        index: 0,
        finishReason: 'STOP',
        parts: [
          { text: 'Thinking about the frame', thought: true },
          { text: 'Here is the image you asked for', thoughtSignature: 'c2ln' },
          {
            image: {
              mimeType: 'image/png',
              render: () => {
                onRender();
                return Promise.resolve(imageBytes);
              },
            },
            thoughtSignature: 'aW1n',
          },
        ],
      },
    ],
    usageMetadata: {
      promptTokenCount: 5,
      candidatesTokenCount: 1128,
      totalTokenCount: 1139,
      promptTokensDetails: [{ modality: 'TEXT', tokenCount: 5 }],
      candidatesTokensDetails: [{ modality: 'IMAGE', tokenCount: 1120 }],
      thoughtsTokenCount: 6,
    },
  };
}

async function allChunks(responseDraft: ResponseDraft): Promise<GenerateContentResponse[]> {
  const generator = streamChunks(responseDraft);
  const chunks: GenerateContentResponse[] = [];
  for (;;) {
    const next = await generator.next();
    chunks.push(next.value);
    if (next.done) return chunks;
  }
}

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
  it('sends thought pieces, answer pieces, one image chunk, then a final chunk with the finish reason', async () => {
    const chunks = await allChunks(draft());
    expect(
      chunks.map((chunk) => chunk.candidates?.[0]?.content.parts?.map((part) => Object.keys(part))),
    ).toEqual([
      [['text', 'thought']],
      [['text', 'thought']],
      [['text', 'thoughtSignature']],
      [['text']],
      [['inlineData', 'thoughtSignature']],
      undefined,
    ]);
    expect(chunks.at(-1)?.candidates?.[0]).toEqual({
      content: { role: 'model' },
      finishReason: 'STOP',
      index: 0,
    });
    expect(chunks[4]?.candidates?.[0]?.content.parts?.[0]?.inlineData?.data).toBe(
      imageBytes.toString('base64'),
    );
  });

  it('keeps the responseId, modelVersion and role on every chunk', async () => {
    for (const chunk of await allChunks(draft())) {
      expect(chunk).toMatchObject({
        responseId: 'r',
        modelVersion: 'm',
        candidates: [{ content: { role: 'model' } }],
      });
    }
  });

  it('makes usage cumulative, ending on the full usage', async () => {
    const chunks = await allChunks(draft());
    const totals = chunks.map((chunk) => chunk.usageMetadata.totalTokenCount);
    expect([...totals].sort((a, b) => a - b)).toEqual(totals);
    expect(chunks.at(-1)?.usageMetadata).toEqual(draft().usageMetadata);
  });

  it('draws the image only when the stream reaches it', async () => {
    let rendered = 0;
    const generator = streamChunks(draft(() => (rendered += 1)));
    for (let chunk = 0; chunk < 4; chunk++) await generator.next();
    expect(rendered).toBe(0);
    await generator.next();
    expect(rendered).toBe(1);
  });

  it('streams a blocked prompt as its single response', async () => {
    const blocked: ResponseDraft = {
      envelope: { modelVersion: 'm', responseId: 'r' },
      promptFeedback: { blockReason: 'SAFETY' },
      usageMetadata: { promptTokenCount: 1, totalTokenCount: 1 },
    };
    expect(await allChunks(blocked)).toEqual([
      {
        promptFeedback: { blockReason: 'SAFETY' },
        usageMetadata: blocked.usageMetadata,
        modelVersion: 'm',
        responseId: 'r',
      },
    ]);
  });
});

describe('sseStream', () => {
  const instant = { firstChunkMs: 0, chunkGapMs: 0, sleep: () => Promise.resolve() };

  it('frames each chunk as "data: <compact json>" followed by CRLF CRLF, with nothing after the last', async () => {
    const body = await new Response(sseStream(draft(), instant)).text();
    const events = body.split('\r\n\r\n');
    expect(events.at(-1)).toBe('');
    expect(events.slice(0, -1)).toHaveLength(6);
    for (const event of events.slice(0, -1)) {
      expect(event.startsWith('data: {')).toBe(true);
      expect(event).not.toContain('\n');
      expect(() => JSON.parse(event.slice('data: '.length))).not.toThrow();
    }
  });

  it('waits the time to first chunk once, then the gap before every later event', async () => {
    const waits: number[] = [];
    const pacing = {
      firstChunkMs: 800,
      chunkGapMs: 40,
      sleep: (ms: number) => (waits.push(ms), Promise.resolve()),
    };
    await new Response(sseStream(draft(), pacing)).text();
    expect(waits).toEqual([800, 40, 40, 40, 40, 40]);
  });

  it('ends a stream whose production fails with an error event, as the real server does', async () => {
    const failing = draft();
    failing.candidates![0]!.parts[2]!.image!.render = () => Promise.reject(new Error('boom'));
    const body = await new Response(sseStream(failing, instant)).text();
    const last = JSON.parse(body.trim().split('\r\n\r\n').at(-1)!.slice('data: '.length)) as {
      error: { code: number; status: string };
    };
    expect(last.error).toMatchObject({ code: 500, status: 'INTERNAL' });
  });
});
