import type { CatalogModel, Platform } from '../catalog/index.js';
import { invalidArgument } from './api-errors.js';
import type { GenerateContentRequest } from './generate-request.js';
import { seedFromText } from './response-ids.js';
import type { ResponseDraft } from './generation.js';
import { estimateTextTokens, promptTokens } from './token-estimate.js';

/**
 * Answers for Gemini text models (flow text nodes). The text is derived from the prompt and nothing
 * else, so the same request always gets the same words: tests and cached flow runs can compare them.
 * It reads like a short visual direction, since that is what flows ask text models for.
 */

const moods = ['warm', 'crisp', 'moody', 'playful', 'calm', 'bold', 'airy', 'graphic'] as const;
const palettes = [
  'amber and deep teal',
  'off-white with one coral accent',
  'charcoal and brass',
  'sage, sand and ink',
  'cobalt and warm grey',
  'saturated primaries',
] as const;
const framings = [
  'a centred subject on a clean ground',
  'a low angle with generous negative space',
  'a tight crop with strong diagonals',
  'a flat-lay seen from above',
  'a wide shot with the subject on the left third',
] as const;

/** The user text of the last user turn (what the model is answering), system instruction excluded. */
function lastUserText(request: GenerateContentRequest): string {
  const userTurns = request.contents.filter((content) => (content.role ?? 'user') === 'user');
  const last = userTurns[userTurns.length - 1];
  return (last?.parts ?? [])
    .map((part) => part.text ?? '')
    .join(' ')
    .trim();
}

/** Deterministic direction text for a prompt. */
export function directionText(prompt: string): string {
  const seed = seedFromText(prompt);
  const pick = <T>(items: readonly T[], shift: number): T => items[(seed >>> shift) % items.length]!;
  const subject = prompt.replace(/\s+/g, ' ').slice(0, 160);
  return `Visual direction for "${subject}": a ${pick(moods, 0)} image in ${pick(palettes, 5)}, ${pick(framings, 11)}, soft directional light, no text in the image.`;
}

export function textGenerationDraft(
  model: CatalogModel,
  request: GenerateContentRequest,
  context: { responseId: string; platform: Platform; nowMs: number },
): ResponseDraft {
  const modalities = (request.generationConfig?.responseModalities ?? []).map((modality) =>
    String(modality).toUpperCase(),
  );
  if (modalities.includes('IMAGE')) {
    throw invalidArgument(`Model ${model.id} does not support the requested response modalities: image`);
  }
  const prompt = lastUserText(request);
  if (prompt.length === 0) throw invalidArgument('contents is not specified');
  const text = directionText(prompt);
  const promptCount = promptTokens(request.contents, request.systemInstruction, model);
  const outputTokens = estimateTextTokens(text);
  // A draft like an image model's: the streaming and whole-answer paths render it the same way.
  return {
    envelope: {
      modelVersion: model.id,
      responseId: context.responseId,
      ...(context.platform === 'vertex-ai' ? { createTime: new Date(context.nowMs).toISOString() } : {}),
    },
    candidates: [{ index: 0, parts: [{ text }], finishReason: 'STOP' }],
    usageMetadata: {
      promptTokenCount: promptCount.total,
      candidatesTokenCount: outputTokens,
      totalTokenCount: promptCount.total + outputTokens,
      promptTokensDetails: promptCount.details,
      candidatesTokensDetails: [{ modality: 'TEXT', tokenCount: outputTokens }],
    },
  };
}
