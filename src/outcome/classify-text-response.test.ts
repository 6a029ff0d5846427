import type { GenerateContentResponse } from '@google/genai';
import { describe, expect, it } from 'vitest';
import { classifyTextResponse } from './classify-text-response.js';

const reply = (body: object) => body as GenerateContentResponse;

describe('classifyTextResponse', () => {
  it('succeeds with the non-thought text of the first candidate and its usage', () => {
    const result = classifyTextResponse(
      reply({
        candidates: [
          {
            content: {
              role: 'model',
              parts: [{ text: 'thinking…', thought: true }, { text: 'A warm image.' }],
            },
            finishReason: 'STOP',
          },
        ],
        usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 4, totalTokenCount: 14 },
      }),
    );
    expect(result.outcome.kind).toBe('success');
    expect(result.text).toBe('A warm image.');
    expect(result.usage?.outputTextTokens).toBe(4);
  });

  it('reports blocked prompts, blocked output and replies without text', () => {
    expect(classifyTextResponse(reply({ promptFeedback: { blockReason: 'SAFETY' } })).outcome.kind).toBe(
      'blocked_prompt',
    );
    expect(
      classifyTextResponse(reply({ candidates: [{ content: { parts: [] }, finishReason: 'SAFETY' }] }))
        .outcome.kind,
    ).toBe('blocked_output');
    const empty = classifyTextResponse(
      reply({ candidates: [{ content: { parts: [] }, finishReason: 'STOP' }] }),
    );
    expect(empty.outcome).toMatchObject({
      kind: 'no_image',
      message: 'the reply contained no text (finishReason STOP)',
    });
  });
});
