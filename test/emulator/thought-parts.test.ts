import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from './sdk-harness.js';

/** includeThoughts on a thinking model returns thought summaries as parts (reference 5.6, 5.7). */

let harness: TestEmulator;

beforeAll(async () => {
  harness = await startTestEmulator();
});

afterAll(async () => {
  await harness.emulator.close();
});

async function parts(model: string, includeThoughts: boolean | undefined) {
  const response = await harness.client().models.generateContent({
    model,
    contents: 'a lighthouse in fog',
    config: {
      responseModalities: ['TEXT', 'IMAGE'],
      ...(includeThoughts === undefined ? {} : { thinkingConfig: { includeThoughts } }),
    },
  });
  return {
    parts: response.candidates?.[0]?.content?.parts ?? [],
    usage: response.usageMetadata,
    text: response.text,
  };
}

describe('thought parts', () => {
  it('puts unsigned thought text parts first, then signs the first answer part and the image', async () => {
    const { parts: answer, usage, text } = await parts('gemini-3-pro-image-preview', true);
    const thoughts = answer.filter((part) => part.thought);
    expect(thoughts.length).toBeGreaterThan(0);
    expect(answer.slice(0, thoughts.length)).toEqual(thoughts);
    for (const thought of thoughts) {
      expect(typeof thought.text).toBe('string');
      expect(thought.thoughtSignature).toBeUndefined();
    }
    const [firstAnswer, ...rest] = answer.slice(thoughts.length);
    expect(firstAnswer?.text).toBeDefined();
    expect(firstAnswer?.thoughtSignature).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(rest.find((part) => part.inlineData)?.thoughtSignature).toBeDefined();
    // The SDK's .text leaves thoughts out, as with the real API.
    expect(text).toBe(firstAnswer?.text);
    expect(usage?.thoughtsTokenCount).toBeGreaterThan(0);
    expect(usage?.totalTokenCount).toBe(
      (usage?.promptTokenCount ?? 0) + (usage?.candidatesTokenCount ?? 0) + (usage?.thoughtsTokenCount ?? 0),
    );
  });

  it('returns no thoughts when they are not asked for', async () => {
    for (const include of [undefined, false]) {
      const { parts: answer, usage } = await parts('gemini-3-pro-image-preview', include);
      expect(answer.some((part) => part.thought)).toBe(false);
      expect(usage?.thoughtsTokenCount).toBeUndefined();
    }
  });

  it('returns no thoughts from a model that does not think', async () => {
    const { parts: answer } = await parts('gemini-2.5-flash-image', true);
    expect(answer.some((part) => part.thought)).toBe(false);
  });
});
