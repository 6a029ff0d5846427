import type { ConversationContent, MediaInput } from './image-request.js';

/** One part of a turn, as Gemini's `Part` JSON. */
export type ContentPart = ConversationContent['parts'][number];

/** Media sent inline, base64-encoded in the request. */
export function inlineDataPart(media: Pick<MediaInput, 'bytes' | 'mimeType'>): ContentPart {
  return { inlineData: { mimeType: media.mimeType, data: Buffer.from(media.bytes).toString('base64') } };
}

/**
 * The user turn of a request: the prompt, then its media in order. Every caller builds it here (the provider,
 * the batch lane, chat sessions, a task's next-turn history), so a conversation replays exactly as it was
 * sent; only how the media travel differs (inline, Files API, or a stored reference).
 */
export function userTurn(prompt: string, mediaParts: readonly ContentPart[] = []): ConversationContent {
  return { role: 'user', parts: [{ text: prompt }, ...mediaParts] };
}

/** The contents a request sends: earlier turns unchanged (thought signatures included), then this turn. */
export function requestContents(
  history: readonly ConversationContent[],
  prompt: string,
  mediaParts: readonly ContentPart[] = [],
): ConversationContent[] {
  return [...history, userTurn(prompt, mediaParts)];
}
