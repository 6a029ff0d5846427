import type { PairRecord, SideRecord } from '../pair-record.js';

/** Builders for records in unit tests. */
export function sideRecord(overrides: Partial<SideRecord> = {}): SideRecord {
  return {
    model: 'model-a',
    outcome: 'success',
    outcomeKind: 'success',
    message: null,
    latencyMs: 1000,
    attempts: 1,
    usage: null,
    costUsd: 0.04,
    servedBy: { modelId: 'model-a', platform: 'gemini-api' },
    image: { path: 'images/x.png', mimeType: 'image/png', sha256: 'ab', width: 512, height: 512 },
    ...overrides,
  };
}

export const blockedSide = (overrides: Partial<SideRecord> = {}) =>
  sideRecord({
    outcome: 'blocked_output',
    outcomeKind: 'blocked_output',
    image: null,
    costUsd: null,
    ...overrides,
  });

export const matchingScores = {
  ssim: 0.98,
  perceptualHashDistance: 2,
  meanDeltaE: 3,
  dimensionMismatch: false,
  baselineSize: { width: 512, height: 512 },
  candidateSize: { width: 512, height: 512 },
};

export function pairRecord(overrides: Partial<PairRecord> = {}): PairRecord {
  return {
    key: '0123456789abcdef',
    promptId: 'p-001',
    prompt: 'a red fox',
    params: { seed: 1 },
    baseline: sideRecord(),
    candidate: sideRecord({ model: 'model-b' }),
    scores: matchingScores,
    finishedAt: '2026-04-01T00:00:00.000Z',
    ...overrides,
  };
}
