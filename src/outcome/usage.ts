import { z } from 'zod';

/** Tokens one or more calls consumed, split the way prices are quoted. */
export interface Usage {
  promptTokens: number;
  /** Output tokens that are not image tokens (text parts). */
  outputTextTokens: number;
  /** Output tokens the response reports under modality IMAGE; priced at the image output rate. */
  outputImageTokens: number;
  /** Thinking tokens; billed at the text output rate. */
  thoughtsTokens: number;
  totalTokens: number;
}

const modalityCountSchema = z.looseObject({
  modality: z.string().optional(),
  tokenCount: z.number().optional(),
});

export const usageMetadataSchema = z.looseObject({
  promptTokenCount: z.number().optional(),
  candidatesTokenCount: z.number().optional(),
  thoughtsTokenCount: z.number().optional(),
  totalTokenCount: z.number().optional(),
  toolUsePromptTokenCount: z.number().optional(),
  candidatesTokensDetails: z.array(modalityCountSchema).optional(),
});
export type UsageMetadata = z.infer<typeof usageMetadataSchema>;

export const zeroUsage: Usage = {
  promptTokens: 0,
  outputTextTokens: 0,
  outputImageTokens: 0,
  thoughtsTokens: 0,
  totalTokens: 0,
};

/**
 * Splits `usageMetadata` into prompt, text, image and thought tokens. When the response has no
 * per-modality breakdown, candidate tokens count as image tokens if the reply carried an image (an image
 * reply's output is almost all image tokens, and pricing them as text would understate the cost).
 */
export function usageFromMetadata(metadata: UsageMetadata, options: { hasImage: boolean }): Usage {
  const promptTokens = (metadata.promptTokenCount ?? 0) + (metadata.toolUsePromptTokenCount ?? 0);
  const candidateTokens = metadata.candidatesTokenCount ?? 0;
  const thoughtsTokens = metadata.thoughtsTokenCount ?? 0;
  const details = metadata.candidatesTokensDetails;
  const outputImageTokens = details
    ? details
        .filter((detail) => detail.modality === 'IMAGE')
        .reduce((sum, detail) => sum + (detail.tokenCount ?? 0), 0)
    : options.hasImage
      ? candidateTokens
      : 0;
  const outputTextTokens = Math.max(0, candidateTokens - outputImageTokens);
  return {
    promptTokens,
    outputTextTokens,
    outputImageTokens,
    thoughtsTokens,
    totalTokens: metadata.totalTokenCount ?? promptTokens + candidateTokens + thoughtsTokens,
  };
}

export function addUsage(left: Usage, right: Usage): Usage {
  return {
    promptTokens: left.promptTokens + right.promptTokens,
    outputTextTokens: left.outputTextTokens + right.outputTextTokens,
    outputImageTokens: left.outputImageTokens + right.outputImageTokens,
    thoughtsTokens: left.thoughtsTokens + right.thoughtsTokens,
    totalTokens: left.totalTokens + right.totalTokens,
  };
}
