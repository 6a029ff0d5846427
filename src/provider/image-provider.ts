import type { GenerateContentResponse } from '@google/genai';
import type { Platform } from '../catalog/index.js';
import type { ImageRequest } from '../request/index.js';

/** One call to one model on one platform. The request is already adapted to the model's capabilities. */
export interface ProviderCall {
  platform: Platform;
  /** Concrete model ID from the catalog, without the `models/` prefix. */
  modelId: string;
  request: ImageRequest;
  /** Number of candidates this call asks for (the engine splits `imageCount` where a model allows fewer). */
  candidateCount: number;
  signal?: AbortSignal;
}

/**
 * Translates a call into the platform's API and returns the raw response. Never retries, never sleeps,
 * never decides: any error (the SDK's `ApiError`, a network failure, an abort) propagates unchanged so
 * that the outcome classifier sees exactly what the platform said.
 */
export interface ImageProvider {
  generate(call: ProviderCall): Promise<GenerateContentResponse>;
  /** IDs (without `models/`) visible to the current credentials on the platform. */
  listModelIds(platform: Platform): Promise<string[]>;
}
