import { ApiError, type GenerateContentResponse } from '@google/genai';
import sharp from 'sharp';
import type { Platform } from '../../catalog/schema.js';
import type { ImageProvider, ProviderCall } from '../../provider/image-provider.js';

/** One scripted answer. */
type AnsweringStep =
  | { status: number; canonicalStatus?: string; message?: string; details?: object[] }
  | { image: { width: number; height: number }; imageTokens?: number }
  | { finishReason: string }
  | { blockReason: string }
  | { response: object }
  | { throws: unknown };

/**
 * An in-memory `ImageProvider` for engine tests. Each (platform, model) answers from its own script, in
 * order; errors are thrown exactly as the SDK throws them (`ApiError` with the JSON body as message).
 */
export type FakeStep =
  | AnsweringStep
  /** Answers with `then` once `gate` settles: a call held in flight while the test looks at the engine. */
  | { gate: Promise<unknown>; then: AnsweringStep };

export class FakeImageProvider implements ImageProvider {
  readonly calls: ProviderCall[] = [];
  private readonly scripts = new Map<string, FakeStep[]>();

  script(platform: Platform, modelId: string, steps: FakeStep[]): this {
    this.scripts.set(`${platform}/${modelId}`, [...steps]);
    return this;
  }

  async generate(call: ProviderCall): Promise<GenerateContentResponse> {
    this.calls.push(call);
    const scripted = this.scripts.get(`${call.platform}/${call.modelId}`)?.shift();
    if (!scripted) throw new Error(`no scripted answer left for ${call.modelId} on ${call.platform}`);
    if ('gate' in scripted) await scripted.gate;
    const step = 'gate' in scripted ? scripted.then : scripted;
    if ('throws' in step) throw step.throws;
    if ('status' in step) {
      const body = {
        error: {
          code: step.status,
          message: step.message ?? `scripted ${step.status}`,
          status: step.canonicalStatus ?? canonicalFor(step.status),
          ...(step.details ? { details: step.details } : {}),
        },
      };
      throw new ApiError({ status: step.status, message: JSON.stringify(body, null, 2) });
    }
    if ('response' in step) return step.response as GenerateContentResponse;
    if ('blockReason' in step)
      return { promptFeedback: { blockReason: step.blockReason } } as GenerateContentResponse;
    if ('finishReason' in step) {
      return {
        candidates: [{ content: { role: 'model', parts: [] }, finishReason: step.finishReason, index: 0 }],
      } as never;
    }
    const data = await pngBase64(step.image.width, step.image.height);
    const imageTokens = step.imageTokens ?? 1120;
    return {
      candidates: Array.from({ length: call.candidateCount }, (_, index) => ({
        content: {
          role: 'model',
          parts: [{ inlineData: { mimeType: 'image/png', data }, thoughtSignature: 'c2ln' }],
        },
        finishReason: 'STOP',
        index,
      })),
      usageMetadata: {
        promptTokenCount: 10,
        candidatesTokenCount: imageTokens * call.candidateCount,
        totalTokenCount: 10 + imageTokens * call.candidateCount,
        candidatesTokensDetails: [{ modality: 'IMAGE', tokenCount: imageTokens * call.candidateCount }],
      },
    } as never;
  }

  async listModelIds(): Promise<string[]> {
    return [...this.scripts.keys()].map((key) => key.split('/')[1]!);
  }
}

const pngCache = new Map<string, Promise<string>>();

function pngBase64(width: number, height: number): Promise<string> {
  const key = `${width}x${height}`;
  let cached = pngCache.get(key);
  if (!cached) {
    cached = sharp({ create: { width, height, channels: 3, background: { r: 30, g: 90, b: 160 } } })
      .png({ compressionLevel: 1 })
      .toBuffer()
      .then((bytes) => bytes.toString('base64'));
    pngCache.set(key, cached);
  }
  return cached;
}

function canonicalFor(status: number): string {
  const names: Record<number, string> = {
    400: 'INVALID_ARGUMENT',
    401: 'UNAUTHENTICATED',
    403: 'PERMISSION_DENIED',
    404: 'NOT_FOUND',
    429: 'RESOURCE_EXHAUSTED',
    500: 'INTERNAL',
    503: 'UNAVAILABLE',
    504: 'DEADLINE_EXCEEDED',
  };
  return names[status] ?? 'UNKNOWN';
}
