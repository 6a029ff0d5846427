import { knownValue } from '../catalog/index.js';
import type { CatalogModel, ImageSize } from '../catalog/index.js';
import type { Content } from './generate-request.js';

/**
 * Token counts. The real tokenizer is not public, so text is estimated at one token per four
 * characters; media use the catalog's per-image counts. These are documented approximations
 * (docs/emulator.md), stable so tests and cost estimates can rely on them.
 */

/** Used when the catalog does not know a model's input tokens per image: Gemini's usual 258. */
export const defaultInputTokensPerImage = 258;
/** A video counts as this many images, whatever its length (the emulator does not measure duration). */
export const videoImageEquivalents = 10;

export interface ModalityTokenCount {
  modality: 'TEXT' | 'IMAGE' | 'VIDEO';
  tokenCount: number;
}

export function estimateTextTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Prompt tokens of a request, with the per-modality breakdown Google reports (zero entries omitted). */
export function promptTokens(
  contents: readonly Content[],
  systemInstruction: Content | undefined,
  model: CatalogModel,
): { total: number; details: ModalityTokenCount[] } {
  const parts = [...(systemInstruction ? [systemInstruction] : []), ...contents].flatMap(
    (content) => content.parts,
  );
  const text = parts.map((part) => part.text ?? '').join('');
  const perImage = knownValue(model.capabilities.inputTokensPerImage) ?? defaultInputTokensPerImage;
  const mimeTypes = parts.map((part) =>
    (part.inlineData?.mimeType ?? part.fileData?.mimeType ?? '').toLowerCase(),
  );
  const imageCount = mimeTypes.filter((mimeType) => mimeType.startsWith('image/')).length;
  const videoCount = mimeTypes.filter((mimeType) => mimeType.startsWith('video/')).length;
  const details: ModalityTokenCount[] = [
    { modality: 'TEXT' as const, tokenCount: estimateTextTokens(text) },
    { modality: 'IMAGE' as const, tokenCount: imageCount * perImage },
    { modality: 'VIDEO' as const, tokenCount: videoCount * perImage * videoImageEquivalents },
  ].filter((detail) => detail.tokenCount > 0);
  return { total: details.reduce((sum, detail) => sum + detail.tokenCount, 0), details };
}

/** Output tokens billed for one image of this size, per the catalog; 0 when unknown. */
export function outputImageTokens(model: CatalogModel, imageSize: ImageSize | undefined): number {
  if (imageSize === undefined) return 0;
  return knownValue(model.capabilities.outputTokensPerImage)?.[imageSize] ?? 0;
}
