import type { GenerateContentResponse } from '@google/genai';
import {
  blockedFinishReasons,
  imageResponseSchema,
  type ResponseClassification,
} from './classify-response.js';
import { outcomeOf } from './outcome.js';
import { usageFromMetadata } from './usage.js';

/**
 * Classifies a 200 response of a text model (flow text nodes): blocked prompt, blocked output, no text
 * (reported as `no_image`, the kind for "a 200 without the output asked for", so the same retry-once
 * and fallback rules apply), or success with the non-thought text of the first candidate.
 */
export function classifyTextResponse(response: GenerateContentResponse): ResponseClassification {
  const parsed = imageResponseSchema.safeParse(response);
  if (!parsed.success) {
    return {
      outcome: outcomeOf('wrong_output', 'the response does not have the generateContent shape'),
      images: [],
    };
  }
  const body = parsed.data;
  const first = body.candidates?.[0];
  const text = (first?.content?.parts ?? [])
    .filter((part) => !part.thought && typeof part.text === 'string')
    .map((part) => part.text)
    .join('');
  const common = {
    ...(first?.content !== undefined ? { modelContent: first.content } : {}),
    ...(body.usageMetadata ? { usage: usageFromMetadata(body.usageMetadata, { hasImage: false }) } : {}),
  };
  if (body.promptFeedback?.blockReason !== undefined) {
    return {
      outcome: outcomeOf(
        'blocked_prompt',
        `the prompt was blocked (blockReason ${body.promptFeedback.blockReason})`,
      ),
      images: [],
      ...common,
    };
  }
  const finishReason = first?.finishReason;
  if (finishReason && blockedFinishReasons.has(finishReason)) {
    return {
      outcome: outcomeOf('blocked_output', `the output was blocked (finishReason ${finishReason})`),
      images: [],
      ...common,
    };
  }
  if (text.trim().length === 0) {
    return {
      outcome: outcomeOf('no_image', `the reply contained no text (finishReason ${finishReason ?? 'none'})`),
      images: [],
      ...common,
    };
  }
  return { outcome: outcomeOf('success', 'text received'), images: [], text, ...common };
}
