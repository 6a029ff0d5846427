import { defaultFallbackOn } from '../../config/index.js';
import type { OutcomeKind } from '../../outcome/index.js';

/**
 * The engine's golden matrix: every outcome × retry/fallback configuration with the attempts, waits and
 * final result it must produce. Candidates are named by role, so the same table drives the in-memory
 * unit test and the integration test against the emulator (each maps roles to models and faults to
 * its own scripting). Backoff assumes `random() = 0.5` and the default retry budget
 * (3 attempts, base 1000 ms, cap 30000 ms, 60000 ms of waits per candidate).
 */
export type MatrixRole = 'primary' | 'fallback' | 'otherPlatform';

export type MatrixFault =
  | { fault: 'ok' }
  | { fault: 'http'; status: 400 | 401 | 403 | 404 | 500 | 503; reason?: 'location' }
  | { fault: 'rate-limit'; retryDelay?: string; quota?: 'per-minute' | 'per-day' }
  | { fault: 'finish'; finishReason: 'IMAGE_SAFETY' | 'NO_IMAGE' }
  | { fault: 'block-prompt' }
  | { fault: 'wrong-size' }
  | { fault: 'connection-reset' }
  | { fault: 'truncated-body' };

export interface MatrixRow {
  name: string;
  /** The route: candidates in order. Default: primary then fallback. */
  route?: MatrixRole[];
  script: Partial<Record<MatrixRole, MatrixFault[]>>;
  /** Replaces the route's `fallbackOn`. Default: the config default (no blocked_*). */
  fallbackOn?: OutcomeKind[];
  expected: {
    /** [role, outcome, waitedBeforeMs] per attempt. */
    attempts: Array<[MatrixRole, OutcomeKind, number]>;
    /** Clock sleeps, in order. */
    sleepsMs: number[];
    /** `success` or the failing outcome. */
    result: OutcomeKind;
    servedBy?: MatrixRole;
    isRetryable?: boolean;
    /** Substrings some warning must contain. */
    warnings?: string[];
  };
}

const ok: MatrixFault = { fault: 'ok' };
const unavailable: MatrixFault = { fault: 'http', status: 503 };
const perMinute15s: MatrixFault = { fault: 'rate-limit', retryDelay: '15s', quota: 'per-minute' };
const perDay: MatrixFault = { fault: 'rate-limit', quota: 'per-day' };
const imageSafety: MatrixFault = { fault: 'finish', finishReason: 'IMAGE_SAFETY' };
const noImage: MatrixFault = { fault: 'finish', finishReason: 'NO_IMAGE' };
const wrongSize: MatrixFault = { fault: 'wrong-size' };
/** The config's default `fallbackOn`, so the matrix tracks the shipped default. */
const defaultFallbackKinds: readonly OutcomeKind[] = defaultFallbackOn;

export const goldenMatrix: MatrixRow[] = [
  {
    name: 'success on the first try',
    script: { primary: [ok] },
    expected: { attempts: [['primary', 'success', 0]], sleepsMs: [], result: 'success', servedBy: 'primary' },
  },
  {
    name: 'unavailable twice, then success: jittered backoff on the same candidate',
    script: { primary: [unavailable, unavailable, ok] },
    expected: {
      attempts: [
        ['primary', 'unavailable', 0],
        ['primary', 'unavailable', 500],
        ['primary', 'success', 1000],
      ],
      sleepsMs: [500, 1000],
      result: 'success',
      servedBy: 'primary',
    },
  },
  {
    name: 'unavailable until the attempt budget is spent: fall back',
    script: { primary: [unavailable, { fault: 'http', status: 500 }, unavailable], fallback: [ok] },
    expected: {
      attempts: [
        ['primary', 'unavailable', 0],
        ['primary', 'unavailable', 500],
        ['primary', 'unavailable', 1000],
        ['fallback', 'success', 0],
      ],
      sleepsMs: [500, 1000],
      result: 'success',
      servedBy: 'fallback',
      warnings: ['fell back from'],
    },
  },
  {
    name: 'unavailable with fallback not allowed by policy: fail, retryable',
    script: { primary: [unavailable, unavailable, unavailable], fallback: [ok] },
    fallbackOn: [],
    expected: {
      attempts: [
        ['primary', 'unavailable', 0],
        ['primary', 'unavailable', 500],
        ['primary', 'unavailable', 1000],
      ],
      sleepsMs: [500, 1000],
      result: 'unavailable',
      isRetryable: true,
    },
  },
  {
    name: 'connection reset, then success',
    script: { primary: [{ fault: 'connection-reset' }, ok] },
    expected: {
      attempts: [
        ['primary', 'unavailable', 0],
        ['primary', 'success', 500],
      ],
      sleepsMs: [500],
      result: 'success',
      servedBy: 'primary',
    },
  },
  {
    name: 'truncated body, then success',
    script: { primary: [{ fault: 'truncated-body' }, ok] },
    expected: {
      attempts: [
        ['primary', 'unavailable', 0],
        ['primary', 'success', 500],
      ],
      sleepsMs: [500],
      result: 'success',
      servedBy: 'primary',
    },
  },
  {
    name: '429 per minute with retryDelay 15s: waits exactly 15 s, then success',
    script: { primary: [perMinute15s, ok] },
    expected: {
      attempts: [
        ['primary', 'rate_limited', 0],
        ['primary', 'success', 15_000],
      ],
      sleepsMs: [15_000],
      result: 'success',
      servedBy: 'primary',
    },
  },
  {
    name: '429 per minute on every attempt: two server-timed waits, then fall back',
    script: { primary: [perMinute15s, perMinute15s, perMinute15s], fallback: [ok] },
    expected: {
      attempts: [
        ['primary', 'rate_limited', 0],
        ['primary', 'rate_limited', 15_000],
        ['primary', 'rate_limited', 15_000],
        ['fallback', 'success', 0],
      ],
      sleepsMs: [15_000, 15_000],
      result: 'success',
      servedBy: 'fallback',
    },
  },
  {
    name: '429 whose retryDelay would overrun the candidate wait budget: fall back early',
    script: {
      primary: [
        { fault: 'rate-limit', retryDelay: '45s', quota: 'per-minute' },
        { fault: 'rate-limit', retryDelay: '45s', quota: 'per-minute' },
      ],
      fallback: [ok],
    },
    expected: {
      attempts: [
        ['primary', 'rate_limited', 0],
        ['primary', 'rate_limited', 45_000],
        ['fallback', 'success', 0],
      ],
      sleepsMs: [45_000],
      result: 'success',
      servedBy: 'fallback',
      warnings: ['retry wait budget is 60000 ms'],
    },
  },
  {
    name: '429 without RetryInfo: full-jitter backoff',
    script: { primary: [{ fault: 'rate-limit' }, { fault: 'rate-limit' }, ok] },
    expected: {
      attempts: [
        ['primary', 'rate_limited', 0],
        ['primary', 'rate_limited', 500],
        ['primary', 'success', 1000],
      ],
      sleepsMs: [500, 1000],
      result: 'success',
      servedBy: 'primary',
    },
  },
  {
    name: '429 per-day quota: no retry, fall back',
    script: { primary: [perDay], fallback: [ok] },
    expected: {
      attempts: [
        ['primary', 'quota_exhausted', 0],
        ['fallback', 'success', 0],
      ],
      sleepsMs: [],
      result: 'success',
      servedBy: 'fallback',
    },
  },
  {
    name: '429 per-day quota without fallback: fail at once, not retryable',
    script: { primary: [perDay], fallback: [ok] },
    fallbackOn: defaultFallbackKinds.filter((kind) => kind !== 'quota_exhausted'),
    expected: {
      attempts: [['primary', 'quota_exhausted', 0]],
      sleepsMs: [],
      result: 'quota_exhausted',
      isRetryable: false,
    },
  },
  {
    name: '404 for a model that never answered: model_not_found, no fallback',
    script: { primary: [{ fault: 'http', status: 404 }], fallback: [ok] },
    expected: {
      attempts: [['primary', 'model_not_found', 0]],
      sleepsMs: [],
      result: 'model_not_found',
      isRetryable: false,
    },
  },
  {
    name: '400 INVALID_ARGUMENT: invalid_request, no retry, no fallback',
    script: { primary: [{ fault: 'http', status: 400 }], fallback: [ok] },
    expected: {
      attempts: [['primary', 'invalid_request', 0]],
      sleepsMs: [],
      result: 'invalid_request',
      isRetryable: false,
    },
  },
  {
    name: '401: auth_failed, permanent',
    script: { primary: [{ fault: 'http', status: 401 }], fallback: [ok] },
    expected: { attempts: [['primary', 'auth_failed', 0]], sleepsMs: [], result: 'auth_failed' },
  },
  {
    name: '403: auth_failed, permanent',
    script: { primary: [{ fault: 'http', status: 403 }], fallback: [ok] },
    expected: { attempts: [['primary', 'auth_failed', 0]], sleepsMs: [], result: 'auth_failed' },
  },
  {
    name: 'region refused: skip candidates on the same platform, serve from the other platform',
    route: ['primary', 'fallback', 'otherPlatform'],
    script: {
      primary: [{ fault: 'http', status: 400, reason: 'location' }],
      fallback: [ok],
      otherPlatform: [ok],
    },
    expected: {
      attempts: [
        ['primary', 'region_blocked', 0],
        ['otherPlatform', 'success', 0],
      ],
      sleepsMs: [],
      result: 'success',
      servedBy: 'otherPlatform',
      warnings: ['the platform that refused this region'],
    },
  },
  {
    name: 'output blocked (IMAGE_SAFETY) with the default policy: blocked_output, no retry',
    script: { primary: [imageSafety], fallback: [ok] },
    expected: {
      attempts: [['primary', 'blocked_output', 0]],
      sleepsMs: [],
      result: 'blocked_output',
      isRetryable: false,
    },
  },
  {
    name: 'output blocked with blocked_output in fallbackOn: fall back',
    script: { primary: [imageSafety], fallback: [ok] },
    fallbackOn: [...defaultFallbackKinds, 'blocked_output'],
    expected: {
      attempts: [
        ['primary', 'blocked_output', 0],
        ['fallback', 'success', 0],
      ],
      sleepsMs: [],
      result: 'success',
      servedBy: 'fallback',
    },
  },
  {
    name: 'prompt blocked: blocked_prompt, no retry, no fallback by default',
    script: { primary: [{ fault: 'block-prompt' }], fallback: [ok] },
    expected: { attempts: [['primary', 'blocked_prompt', 0]], sleepsMs: [], result: 'blocked_prompt' },
  },
  {
    name: 'no image once: retried once at once, then success',
    script: { primary: [noImage, ok] },
    expected: {
      attempts: [
        ['primary', 'no_image', 0],
        ['primary', 'success', 0],
      ],
      sleepsMs: [],
      result: 'success',
      servedBy: 'primary',
    },
  },
  {
    name: 'no image twice: fall back after the single retry',
    script: { primary: [noImage, noImage, ok], fallback: [ok] },
    expected: {
      attempts: [
        ['primary', 'no_image', 0],
        ['primary', 'no_image', 0],
        ['fallback', 'success', 0],
      ],
      sleepsMs: [],
      result: 'success',
      servedBy: 'fallback',
    },
  },
  {
    name: 'silent downgrade (wrong size) once: retried once, then success',
    script: { primary: [wrongSize, ok] },
    expected: {
      attempts: [
        ['primary', 'wrong_output', 0],
        ['primary', 'success', 0],
      ],
      sleepsMs: [],
      result: 'success',
      servedBy: 'primary',
    },
  },
  {
    name: 'silent downgrade twice: fall back',
    script: { primary: [wrongSize, wrongSize], fallback: [ok] },
    expected: {
      attempts: [
        ['primary', 'wrong_output', 0],
        ['primary', 'wrong_output', 0],
        ['fallback', 'success', 0],
      ],
      sleepsMs: [],
      result: 'success',
      servedBy: 'fallback',
    },
  },
  {
    name: 'silent downgrade twice without fallback: fail with wrong_output',
    script: { primary: [wrongSize, wrongSize] },
    route: ['primary'],
    expected: {
      attempts: [
        ['primary', 'wrong_output', 0],
        ['primary', 'wrong_output', 0],
      ],
      sleepsMs: [],
      result: 'wrong_output',
    },
  },
];
