import { internalError } from './api-errors.js';
import { producePart, type PartDraft, type ResponseDraft } from './generation.js';
import type { GenerateContentResponse, ResponsePart, UsageMetadata } from './response-shape.js';
import { estimateTextTokens } from './token-estimate.js';

/**
 * streamGenerateContent as the real server sends it (reference 1.5): Server-Sent Events, one compact
 * JSON `GenerateContentResponse` per event, `\r\n\r\n` between events. Text arrives in pieces, each
 * image as one chunk holding one `inlineData` part, and a last chunk carries `finishReason` with a
 * `content` that has a role and no parts. `usageMetadata` is cumulative.
 *
 * Chunks are produced one at a time, each image drawn only when its turn comes, and written to the
 * socket as they are produced (chunked transfer, no Content-Length): a client sees the first text while
 * the image is still being drawn, and time to first chunk can be measured.
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

/** Usage so far; per-piece estimates can round above the whole, so they are capped at the final counts. */
function runningUsage(final: UsageMetadata, answerTokens: number, thoughtTokens: number): UsageMetadata {
  const candidatesTokenCount = Math.min(Math.round(answerTokens), final.candidatesTokenCount ?? 0);
  const thoughtsTokenCount = Math.min(thoughtTokens, final.thoughtsTokenCount ?? 0);
  return {
    promptTokenCount: final.promptTokenCount,
    ...(candidatesTokenCount > 0 ? { candidatesTokenCount } : {}),
    totalTokenCount: final.promptTokenCount + candidatesTokenCount + thoughtsTokenCount,
    ...(final.promptTokensDetails ? { promptTokensDetails: final.promptTokensDetails } : {}),
    ...(thoughtsTokenCount > 0 ? { thoughtsTokenCount } : {}),
  };
}

/** The pieces one part streams as: text in pieces (the signature on the first), an image whole. */
function pieces(part: ResponsePart): ResponsePart[] {
  if (part.text === undefined) return [part];
  return splitText(part.text).map((text, index) => ({
    text,
    ...(part.thought ? { thought: true } : {}),
    ...(index === 0 && part.thoughtSignature ? { thoughtSignature: part.thoughtSignature } : {}),
  }));
}

/**
 * The chunks of one response, produced lazily: each image is drawn when the stream reaches it. The last
 * chunk (finish reasons, or a blocked prompt's feedback) is the generator's return value, so a consumer
 * knows it is the last without asking for more.
 */
export async function* streamChunks(
  draft: ResponseDraft,
): AsyncGenerator<GenerateContentResponse, GenerateContentResponse> {
  const { envelope, usageMetadata } = draft;
  if (!draft.candidates) {
    return {
      ...(draft.promptFeedback ? { promptFeedback: draft.promptFeedback } : {}),
      usageMetadata,
      ...envelope,
    };
  }
  const allParts: PartDraft[] = draft.candidates.flatMap((candidate) => candidate.parts);
  const imageTokenTotal =
    usageMetadata.candidatesTokensDetails?.find((detail) => detail.modality === 'IMAGE')?.tokenCount ?? 0;
  const imagePartCount = allParts.filter((part) => part.image).length;
  let answerTokens = 0;
  let thoughtTokens = 0;
  for (const candidate of draft.candidates) {
    for (const draftPart of candidate.parts) {
      const part = await producePart(draftPart);
      for (const piece of pieces(part)) {
        if (piece.text === undefined) answerTokens += imageTokenTotal / Math.max(1, imagePartCount);
        else if (piece.thought) thoughtTokens += estimateTextTokens(piece.text);
        else answerTokens += estimateTextTokens(piece.text);
        yield {
          candidates: [{ content: { role: 'model', parts: [piece] }, index: candidate.index }],
          usageMetadata: runningUsage(usageMetadata, answerTokens, thoughtTokens),
          ...envelope,
        } as GenerateContentResponse;
      }
    }
  }
  return {
    candidates: draft.candidates.map((candidate) => ({
      content: { role: 'model' },
      finishReason: candidate.finishReason,
      index: candidate.index,
    })),
    usageMetadata,
    ...envelope,
  };
}

export interface StreamPacing {
  /** Wait before the first event, in ms. */
  firstChunkMs: number;
  /** Wait between two events, in ms. */
  chunkGapMs: number;
  /** Waits on the emulator's base clock; rejects when the signal aborts (the client hung up). */
  sleep(durationMs: number, signal: AbortSignal): Promise<void>;
}

/**
 * The SSE body as a stream: each event is produced, then enqueued, and only then is the next one
 * produced, after the pacing's wait. A failure while producing becomes an error event, as the real server
 * ends a broken stream; a client that hangs up stops production.
 */
export function sseStream(draft: ResponseDraft, pacing: StreamPacing): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const chunks = streamChunks(draft);
  const hangUp = new AbortController();
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const wait = sent === 0 ? pacing.firstChunkMs : pacing.chunkGapMs;
      sent += 1;
      try {
        if (wait > 0) await pacing.sleep(wait, hangUp.signal);
        const next = await chunks.next();
        controller.enqueue(encoder.encode(sseEvent(next.value)));
        if (next.done) controller.close();
      } catch (error) {
        if (hangUp.signal.aborted) return;
        console.error('imagegate emulator: stream failed', error);
        controller.enqueue(encoder.encode(sseEvent(internalError().body)));
        controller.close();
      }
    },
    async cancel() {
      hangUp.abort();
      // Ends the generator where it waits; nothing after this is produced.
      await chunks.return(undefined as never);
    },
  });
}
