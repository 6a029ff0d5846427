import { AsyncLocalStorage } from 'node:async_hooks';
import type { GenerateContentResponse } from '@google/genai';
import type { ImageProvider } from '../../provider/index.js';

/** The image part of the last response a side received, whether or not the engine accepted it. */
export interface CapturedImage {
  bytes: Buffer;
  /** As declared by the response. */
  mimeType: string;
}

export interface CaptureSlot {
  lastImage: CapturedImage | undefined;
}

/**
 * Keeps the image of the last raw response of each side. The engine rejects a silently downgraded image
 * as `wrong_output` and keeps no bytes; a regression report still wants to show it beside the baseline.
 * Each side runs inside its own slot (AsyncLocalStorage), so concurrent sides never see each other's.
 */
export class ResponseCapture {
  private readonly storage = new AsyncLocalStorage<CaptureSlot>();

  /** A provider that behaves exactly like `provider` and records into the caller's slot. */
  wrap(provider: ImageProvider): ImageProvider {
    return {
      generate: async (call) => {
        const response = await provider.generate(call);
        const slot = this.storage.getStore();
        if (slot) slot.lastImage = firstImageOf(response);
        return response;
      },
      listModelIds: (platform) => provider.listModelIds(platform),
    };
  }

  /** Runs `work` with a fresh slot that the wrapped provider fills. */
  within<T>(work: (slot: CaptureSlot) => Promise<T>): Promise<T> {
    const slot: CaptureSlot = { lastImage: undefined };
    return this.storage.run(slot, () => work(slot));
  }
}

function firstImageOf(response: GenerateContentResponse): CapturedImage | undefined {
  for (const candidate of response.candidates ?? []) {
    for (const part of candidate.content?.parts ?? []) {
      const data = part.inlineData?.data;
      if (part.thought || !data) continue;
      return {
        bytes: Buffer.from(data, 'base64'),
        mimeType: part.inlineData?.mimeType ?? 'application/octet-stream',
      };
    }
  }
  return undefined;
}
