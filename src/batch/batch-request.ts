import type { Content, InlinedRequest } from '@google/genai';
import { inlineDataPart, requestContents, samplingSettingsOf, type ImageRequest } from '../request/index.js';

/**
 * Why a task cannot go into a batch job in this version (it then runs online), or undefined when it can:
 * a batch line carries what `generateContent` would, and the gateway does not yet upload videos, convert
 * PNG to JPEG or ask for several candidates in a batch line.
 */
export function batchUnsupportedReason(request: ImageRequest): string | undefined {
  if (request.video) return 'a video input is not sent through the batch lane yet';
  if (request.responseModality === 'text')
    return 'text-only requests are not sent through the batch lane yet';
  if (request.outputFormat !== 'png') return 'JPEG output is not produced by the batch lane yet';
  if (request.imageCount > 1) return 'several images per request are not sent through the batch lane yet';
  return undefined;
}

/** One inline batch request, keyed to its task by `metadata.key`. */
export function batchRequestFor(key: string, request: ImageRequest): InlinedRequest {
  const imageConfig: Record<string, string> = {};
  if (request.aspectRatio) imageConfig.aspectRatio = request.aspectRatio;
  if (request.imageSize) imageConfig.imageSize = request.imageSize;
  const contents = requestContents(
    request.history,
    request.prompt,
    request.referenceImages.map(inlineDataPart),
  ) as Content[];
  return {
    contents,
    metadata: { key },
    config: {
      responseModalities: ['TEXT', 'IMAGE'],
      imageConfig,
      ...samplingSettingsOf(request),
    },
  };
}

/** Bytes the request adds to an inline create body (its JSON), for the 20 MB inline limit. */
export function inlineRequestBytes(request: InlinedRequest): number {
  return Buffer.byteLength(JSON.stringify(request), 'utf8');
}

/**
 * One line of a JSONL batch input: `{ key, request }` with the request in the REST shape of
 * `generateContent` (`generationConfig`, `systemInstruction` as content), which file lines use.
 */
export function jsonlLineFor(key: string, request: ImageRequest): string {
  const { contents, config } = batchRequestFor(key, request);
  const { systemInstruction, ...generationConfig } = config ?? {};
  return JSON.stringify({
    key,
    request: {
      contents,
      generationConfig,
      ...(systemInstruction ? { systemInstruction: { parts: [{ text: systemInstruction }] } } : {}),
    },
  });
}
