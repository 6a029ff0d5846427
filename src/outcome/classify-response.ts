import type { GenerateContentResponse } from '@google/genai';
import { z } from 'zod';
import { outcomeOf, type Outcome } from './outcome.js';
import { usageFromMetadata, usageMetadataSchema, type Usage } from './usage.js';
import { verifyImage, type ExpectedImage, type VerifiedImage } from './verify-image.js';

/** The parts of a generateContent response classification reads; everything else passes through. */
const partSchema = z.looseObject({
  text: z.string().optional(),
  thought: z.boolean().optional(),
  inlineData: z.looseObject({ mimeType: z.string().optional(), data: z.string().optional() }).optional(),
});
const candidateSchema = z.looseObject({
  content: z.looseObject({ role: z.string().optional(), parts: z.array(partSchema).optional() }).optional(),
  finishReason: z.string().optional(),
});
export const imageResponseSchema = z.looseObject({
  candidates: z.array(candidateSchema).optional(),
  promptFeedback: z.looseObject({ blockReason: z.string().optional() }).optional(),
  usageMetadata: usageMetadataSchema.optional(),
  modelVersion: z.string().optional(),
});

/** finishReason values that mean the output was withheld by a safety or policy filter. */
export const blockedFinishReasons: ReadonlySet<string> = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_RECITATION',
]);

export interface ResponseClassification {
  outcome: Outcome;
  /** Verified images; empty unless the outcome is `success`. */
  images: VerifiedImage[];
  /** Non-thought text of the first candidate. */
  text?: string;
  /** `candidates[0].content` unchanged, to be sent back on the next chat turn (thought signatures). */
  modelContent?: unknown;
  usage?: Usage;
}

/**
 * Classifies a 200 response: blocked prompt, blocked output, no image, wrong output (an image that does
 * not decode or has another size than asked: a silent downgrade) or success with verified images.
 * Interim thought images (`thought: true`) are not results and are ignored.
 */
export async function classifyResponse(
  response: GenerateContentResponse,
  expected: ExpectedImage,
): Promise<ResponseClassification> {
  const parsed = imageResponseSchema.safeParse(response);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      outcome: outcomeOf(
        'wrong_output',
        `the response does not have the generateContent shape at ${issue?.path.join('.') || '(root)'}: ${issue?.message}`,
      ),
      images: [],
    };
  }
  const body = parsed.data;
  const candidates = body.candidates ?? [];
  const firstContent = candidates[0]?.content;
  const finalParts = candidates.flatMap((candidate) =>
    (candidate.content?.parts ?? []).filter((part) => !part.thought),
  );
  const imageParts = finalParts.filter(
    (part) => part.inlineData?.mimeType?.startsWith('image/') || part.inlineData?.data,
  );
  const textParts = (firstContent?.parts ?? []).filter(
    (part) => !part.thought && typeof part.text === 'string',
  );
  const text = textParts.length > 0 ? textParts.map((part) => part.text).join('') : undefined;
  const common = {
    ...(text !== undefined ? { text } : {}),
    ...(firstContent !== undefined ? { modelContent: firstContent } : {}),
    ...(body.usageMetadata
      ? { usage: usageFromMetadata(body.usageMetadata, { hasImage: imageParts.length > 0 }) }
      : {}),
  };

  const blockReason = body.promptFeedback?.blockReason;
  if (blockReason !== undefined || (candidates.length === 0 && body.promptFeedback)) {
    return {
      outcome: outcomeOf(
        'blocked_prompt',
        `the prompt was blocked (blockReason ${blockReason ?? 'unspecified'})`,
      ),
      images: [],
      ...common,
    };
  }
  const blockedReason = candidates
    .map((candidate) => candidate.finishReason)
    .find((reason) => reason && blockedFinishReasons.has(reason));
  if (imageParts.length === 0) {
    if (blockedReason) {
      return {
        outcome: outcomeOf('blocked_output', `the output was blocked (finishReason ${blockedReason})`),
        images: [],
        ...common,
      };
    }
    const reasons = [...new Set(candidates.map((candidate) => candidate.finishReason ?? 'none'))].join(', ');
    const detail =
      candidates.length === 0 ? 'no candidates' : `finishReason ${reasons}${text ? ', text only' : ''}`;
    return {
      outcome: outcomeOf('no_image', `the reply contained no image (${detail})`),
      images: [],
      ...common,
    };
  }

  const images: VerifiedImage[] = [];
  for (const [index, part] of imageParts.entries()) {
    const verification = await verifyImage(Buffer.from(part.inlineData?.data ?? '', 'base64'), expected);
    if (!verification.ok) {
      return {
        outcome: outcomeOf('wrong_output', `image ${index + 1}: ${verification.reason}`),
        images: [],
        ...common,
      };
    }
    images.push(verification.image);
  }
  const plural = images.length === 1 ? '' : 's';
  return { outcome: outcomeOf('success', `${images.length} image${plural} verified`), images, ...common };
}
