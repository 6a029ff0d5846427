import type { ModalityTokenCount } from './token-estimate.js';

/** The JSON the emulator answers generateContent with (reference section 3), proto3-style: no empty fields. */

export interface ResponsePart {
  text?: string;
  inlineData?: { mimeType: string; data: string };
  /** A thought summary (only with `thinkingConfig.includeThoughts`); never signed. */
  thought?: boolean;
  thoughtSignature?: string;
}

export interface ResponseCandidate {
  content: { role: 'model'; parts?: ResponsePart[] };
  finishReason: string;
  index: number;
}

export interface UsageMetadata {
  promptTokenCount: number;
  candidatesTokenCount?: number;
  totalTokenCount: number;
  promptTokensDetails?: ModalityTokenCount[];
  candidatesTokensDetails?: ModalityTokenCount[];
  /** Tokens of the thought summaries returned; reported only when they are (includeThoughts). */
  thoughtsTokenCount?: number;
}

export interface GenerateContentResponse {
  candidates?: ResponseCandidate[];
  promptFeedback?: { blockReason: string };
  usageMetadata: UsageMetadata;
  modelVersion: string;
  responseId: string;
  /** Vertex AI answers carry the time the response was created. */
  createTime?: string;
}
