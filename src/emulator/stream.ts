import type {
  GenerateContentResponse,
  ResponseCandidate,
  ResponsePart,
  UsageMetadata,
} from './response-shape.js';
import { estimateTextTokens } from './token-estimate.js';

/**
 * streamGenerateContent as the real server sends it (reference 1.5): Server-Sent Events, one compact
 * JSON `GenerateContentResponse` per event, `\r\n\r\n` between events. Text arrives in pieces, each
 * image as one chunk holding one `inlineData` part, and a last chunk carries `finishReason` with a
 * `content` that has a role and no parts. `usageMetadata` is cumulative.
 */

export const sseContentType = 'text/event-stream';

export function sseEvent(payload: unknown): string {
  return `data: ${JSON.stringify(payload)}\r\n\r\n`;
}

/** Splits text at the space nearest its middle, so a reply streams in two pieces. */
export function splitText(text: string): string[] {
  const middle = Math.floor(text.length / 2);
  const before = text.lastIndexOf(' ', middle);
  const cut = before > 0 ? before + 1 : text.indexOf(' ', middle) + 1;
  return cut <= 0 || cut >= text.length ? [text] : [text.slice(0, cut), text.slice(cut)];
}

function runningUsage(final: UsageMetadata, candidatesTokenCount: number): UsageMetadata {
  return {
    promptTokenCount: final.promptTokenCount,
    ...(candidatesTokenCount > 0 ? { candidatesTokenCount } : {}),
    totalTokenCount: final.promptTokenCount + candidatesTokenCount,
    ...(final.promptTokensDetails ? { promptTokensDetails: final.promptTokensDetails } : {}),
  };
}

/** The chunks one full response streams as. A blocked prompt streams as its single response. */
export function streamChunks(response: GenerateContentResponse): GenerateContentResponse[] {
  if (!response.candidates) return [response];
  const { candidates, usageMetadata, ...envelope } = response;
  const chunks: GenerateContentResponse[] = [];
  const imageTokenTotal =
    usageMetadata.candidatesTokensDetails?.find((detail) => detail.modality === 'IMAGE')?.tokenCount ?? 0;
  const imagePartCount = candidates
    .flatMap((candidate) => candidate.content.parts ?? [])
    .filter((part) => part.inlineData).length;
  let emittedTokens = 0;
  const emit = (candidate: ResponseCandidate, part: ResponsePart, tokens: number) => {
    emittedTokens += tokens;
    chunks.push({
      candidates: [
        { content: { role: 'model', parts: [part] }, index: candidate.index } as ResponseCandidate,
      ],
      usageMetadata: runningUsage(usageMetadata, emittedTokens),
      ...envelope,
    });
  };
  for (const candidate of candidates) {
    for (const part of candidate.content.parts ?? []) {
      if (part.text !== undefined) {
        splitText(part.text).forEach((piece, pieceIndex) =>
          emit(
            candidate,
            {
              text: piece,
              ...(pieceIndex === 0 && part.thoughtSignature
                ? { thoughtSignature: part.thoughtSignature }
                : {}),
            },
            estimateTextTokens(piece),
          ),
        );
      } else {
        emit(candidate, part, imagePartCount > 0 ? imageTokenTotal / imagePartCount : 0);
      }
    }
  }
  chunks.push({
    candidates: candidates.map((candidate) => ({
      content: { role: 'model' },
      finishReason: candidate.finishReason,
      index: candidate.index,
    })),
    usageMetadata,
    ...envelope,
  });
  return chunks;
}

/** The whole SSE body for a response. */
export function sseBody(response: GenerateContentResponse): string {
  return streamChunks(response).map(sseEvent).join('');
}
