import { describe, expect, it } from 'vitest';
import { builtInCatalog, findModel } from '../catalog/index.js';
import { directionText, textGenerationDraft } from './text-generation.js';

const model = builtInCatalog().models.find((entry) => entry.modality === 'text')!;
const context = { responseId: 'r1', platform: 'gemini-api' as const, nowMs: 0 };

describe('text model answers', () => {
  it('derive the same text from the same prompt, and other text from another', () => {
    expect(directionText('a coffee brand')).toBe(directionText('a coffee brand'));
    expect(directionText('a coffee brand')).not.toBe(directionText('a tea brand'));
    expect(directionText('a coffee brand')).toMatch(
      /^Visual direction for "a coffee brand": a \w+ image in /,
    );
  });

  it('answer the last user turn with one text part, usage and the model version', () => {
    const response = textGenerationDraft(
      model,
      { contents: [{ role: 'user', parts: [{ text: 'a kite festival' }] }] },
      context,
    );
    expect(response.candidates?.[0]).toMatchObject({
      parts: [{ text: directionText('a kite festival') }],
      finishReason: 'STOP',
    });
    expect(response.usageMetadata.candidatesTokenCount).toBeGreaterThan(0);
    expect(response.envelope.modelVersion).toBe(model.id);
  });

  it('refuse image output, as a text model does', () => {
    expect(() =>
      textGenerationDraft(
        model,
        {
          contents: [{ role: 'user', parts: [{ text: 'draw' }] }],
          generationConfig: { responseModalities: ['TEXT', 'IMAGE'] },
        },
        context,
      ),
    ).toThrow(/does not support the requested response modalities: image/);
    expect(findModel(builtInCatalog(), 'gemini-3.1-flash-image')?.modality).toBe('image');
  });
});
