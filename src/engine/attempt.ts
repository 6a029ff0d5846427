import type { Platform } from '../catalog/index.js';
import type { OutcomeKind } from '../outcome/index.js';
import type { Usage } from '../outcome/index.js';
import type { VerifiedImage } from '../outcome/index.js';

/** One call to one model (or one call the circuit breaker refused), as it happened. */
export interface Attempt {
  modelId: string;
  platform: Platform;
  outcome: OutcomeKind;
  httpStatus?: number;
  message?: string;
  startedAtMs: number;
  latencyMs: number;
  /** Clock time waited right before this attempt (backoff, server delay, rate limiter). */
  waitedBeforeMs: number;
  usage?: Usage;
}

export interface ImageResult {
  images: VerifiedImage[];
  text?: string;
  /** Tokens of every call that returned a response, failed ones included (they are billed too). */
  usage: Usage;
  /** Cost of that usage at catalog prices; undefined (with a warning) when a needed price is unknown. */
  costUsd?: number;
  attempts: Attempt[];
  servedBy: { modelId: string; platform: Platform };
  warnings: string[];
  /** `candidates[0].content` of each successful call, for the next chat turn. */
  modelContents: unknown[];
}
