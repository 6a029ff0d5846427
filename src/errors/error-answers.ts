import type { ApiErrorType } from './api-error-type.js';
import type { ErrorKind } from './error-kind.js';
import type { OutcomeKind } from './outcome-kind.js';

/** Exit codes of the CLI's generating commands (`generate`, `edit`, `thumbnail`, `models`, `flow`). */
export const ExitCode = {
  ok: 0,
  /** The input was refused before any call: fix the command, the file or this machine's setup. */
  badInput: 2,
  /** A permanent answer (retired with no fallback, blocked, auth, invalid request). */
  permanentFailure: 3,
  /** Only transient failures (rate limits, outages) until the retry budget ran out: try again later. */
  transientExhausted: 4,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** How every surface answers one kind of error. */
export interface ErrorAnswer {
  /** The CLI's exit code. An error marked retryable exits `transientExhausted` whatever its kind. */
  exitCode: ExitCodeValue;
  /** The HTTP status of both APIs (native and OpenAI-compatible); 499 is nginx's "client closed request". */
  status: number;
  type: ApiErrorType;
  /** The body's `error.code`, unless the error names a finer one. */
  code: string;
  /** The body's `error.param` when the error names no field itself. */
  param?: string;
  /** `error.type` of a task that failed with it: an outcome kind, or `internal_error`. */
  taskErrorType: Exclude<OutcomeKind, 'success'> | 'internal_error';
  /** What to do next, printed by the CLI under the message. */
  nextStep: string;
}

/** What to do after transient failures outlasted the retry budget, whatever their kind. */
export const transientNextStep =
  'The failures were transient; try again later or raise the retry budget in the config (docs/error-handling.md).';
const seeAttempts = 'See the attempts above; `--json` prints them in full.';
const fixInput = 'Fix the field the message names and send it again; nothing was sent to a model.';

/**
 * The one table from error kind to every surface's answer. `satisfies Record<ErrorKind, …>` makes a new kind
 * without a row a compile error; docs/error-handling.md prints this table and a test checks they agree.
 */
export const errorAnswers = {
  blocked_prompt: {
    exitCode: 3,
    status: 400,
    type: 'invalid_request_error',
    code: 'moderation_blocked',
    taskErrorType: 'blocked_prompt',
    nextStep:
      'The safety filters blocked it: rephrase the prompt, or allow fallback on blocked outcomes in the config.',
  },
  blocked_output: {
    exitCode: 3,
    status: 400,
    type: 'invalid_request_error',
    code: 'moderation_blocked',
    taskErrorType: 'blocked_output',
    nextStep:
      'The safety filters blocked the image: rephrase the prompt, or allow fallback on blocked outcomes in the config.',
  },
  no_image: {
    exitCode: 4,
    status: 502,
    type: 'api_error',
    code: 'no_image',
    taskErrorType: 'no_image',
    nextStep: transientNextStep,
  },
  wrong_output: {
    exitCode: 4,
    status: 502,
    type: 'api_error',
    code: 'wrong_output',
    taskErrorType: 'wrong_output',
    nextStep: transientNextStep,
  },
  rate_limited: {
    exitCode: 4,
    status: 429,
    type: 'rate_limit_exceeded',
    code: 'rate_limit_exceeded',
    taskErrorType: 'rate_limited',
    nextStep: transientNextStep,
  },
  quota_exhausted: {
    exitCode: 3,
    status: 429,
    type: 'rate_limit_exceeded',
    code: 'quota_exhausted',
    taskErrorType: 'quota_exhausted',
    nextStep: 'The daily quota is spent: wait for the reset or add a fallback on another model or platform.',
  },
  unavailable: {
    exitCode: 4,
    status: 503,
    type: 'api_error',
    code: 'upstream_unavailable',
    taskErrorType: 'unavailable',
    nextStep: transientNextStep,
  },
  model_retired: {
    exitCode: 3,
    status: 410,
    type: 'invalid_request_error',
    code: 'model_retired',
    param: 'model',
    taskErrorType: 'model_retired',
    nextStep: 'The model is retired: point the route at its successor (see `imagegate models`).',
  },
  model_not_found: {
    exitCode: 3,
    status: 404,
    type: 'invalid_request_error',
    code: 'model_not_found',
    param: 'model',
    taskErrorType: 'model_not_found',
    nextStep: 'The platform does not know this model ID: check the spelling, or use a logical name.',
  },
  invalid_request: {
    exitCode: 3,
    status: 400,
    type: 'invalid_request_error',
    code: 'invalid_request',
    taskErrorType: 'invalid_request',
    nextStep: seeAttempts,
  },
  region_blocked: {
    exitCode: 3,
    status: 502,
    type: 'api_error',
    code: 'region_blocked',
    taskErrorType: 'region_blocked',
    nextStep: 'The platform refuses this location: add a candidate on another platform to the route.',
  },
  // The server's own Gemini credentials failed: not something a remote caller can fix.
  auth_failed: {
    exitCode: 3,
    status: 502,
    type: 'api_error',
    code: 'upstream_auth_failed',
    taskErrorType: 'auth_failed',
    nextStep: 'Check the API key or credentials the config names (see docs/configuration.md).',
  },
  cancelled: {
    exitCode: 3,
    status: 499,
    type: 'api_error',
    code: 'cancelled',
    taskErrorType: 'cancelled',
    nextStep: 'The request was cancelled before it finished; nothing more was sent.',
  },
  unknown_error: {
    exitCode: 3,
    status: 502,
    type: 'api_error',
    code: 'unknown_error',
    taskErrorType: 'unknown_error',
    nextStep: seeAttempts,
  },
  invalid_input: {
    exitCode: 2,
    status: 400,
    type: 'invalid_request_error',
    code: 'invalid_value',
    taskErrorType: 'invalid_request',
    nextStep: fixInput,
  },
  invalid_media: {
    exitCode: 2,
    status: 400,
    type: 'invalid_request_error',
    code: 'unsupported_media',
    taskErrorType: 'invalid_request',
    nextStep: 'Send a PNG, JPEG, WebP or HEIC image (or an MP4, MOV or WebM video) within the size limit.',
  },
  unknown_model: {
    exitCode: 2,
    status: 404,
    type: 'invalid_request_error',
    code: 'model_not_found',
    param: 'model',
    taskErrorType: 'model_not_found',
    nextStep: 'Use a logical name or model ID that `imagegate models` lists.',
  },
  no_usable_model: {
    exitCode: 3,
    status: 410,
    type: 'invalid_request_error',
    code: 'model_retired',
    param: 'model',
    taskErrorType: 'model_retired',
    nextStep: 'Every candidate of the route is retired or unusable: point it at a live GA model.',
  },
  invalid_config: {
    exitCode: 2,
    status: 500,
    type: 'api_error',
    code: 'server_misconfigured',
    taskErrorType: 'internal_error',
    nextStep: 'Fix the config field the message names (`imagegate models --config FILE` checks a config).',
  },
  missing_tool: {
    exitCode: 2,
    status: 500,
    type: 'api_error',
    code: 'missing_tool',
    taskErrorType: 'internal_error',
    nextStep: 'Install the program the message names on this machine, or point the variable it names at it.',
  },
  url_refused: {
    exitCode: 2,
    status: 400,
    type: 'invalid_request_error',
    code: 'url_not_allowed',
    taskErrorType: 'invalid_request',
    nextStep: 'Use a public https URL, or upload the file with POST /v1/files and send its id.',
  },
  fetch_failed: {
    exitCode: 2,
    status: 400,
    type: 'invalid_request_error',
    code: 'fetch_failed',
    taskErrorType: 'invalid_request',
    nextStep: 'Check that the URL answers with the file, or upload it with POST /v1/files.',
  },
  invalid_flow: {
    exitCode: 2,
    status: 400,
    type: 'invalid_request_error',
    code: 'invalid_flow',
    taskErrorType: 'invalid_request',
    nextStep: 'Fix each problem listed (`imagegate flow validate FILE` checks a flow file).',
  },
  not_found: {
    exitCode: 2,
    status: 404,
    type: 'not_found_error',
    code: 'not_found',
    taskErrorType: 'invalid_request',
    nextStep: 'Check the id; resources of another key are not visible.',
  },
  conflict: {
    exitCode: 2,
    status: 409,
    type: 'conflict_error',
    code: 'conflict',
    taskErrorType: 'invalid_request',
    nextStep:
      'The request contradicts what is stored: read the resource again, or use a new idempotency key.',
  },
  budget_exceeded: {
    exitCode: 3,
    status: 429,
    type: 'rate_limit_exceeded',
    code: 'monthly_budget_exceeded',
    taskErrorType: 'quota_exhausted',
    nextStep: 'The monthly budget is spent: wait for next month or ask an admin to raise it.',
  },
  missing_price: {
    exitCode: 2,
    status: 500,
    type: 'api_error',
    code: 'missing_price',
    taskErrorType: 'internal_error',
    nextStep: 'Add the missing price to the catalog or the config (docs/cost.md).',
  },
  incompatible_storage: {
    exitCode: 3,
    status: 503,
    type: 'service_unavailable',
    code: 'incompatible_storage',
    taskErrorType: 'internal_error',
    nextStep: 'A newer imagegate wrote this database: upgrade imagegate, or point it at another database.',
  },
  internal_error: {
    exitCode: 3,
    status: 500,
    type: 'api_error',
    code: 'internal_error',
    taskErrorType: 'internal_error',
    nextStep: 'This is a fault in imagegate: please report it with the message above.',
  },
} as const satisfies Record<ErrorKind, ErrorAnswer>;

/** The answer for a kind, typed as the general row (the table itself keeps its literal types). */
export function errorAnswerFor(kind: ErrorKind): ErrorAnswer {
  return errorAnswers[kind];
}
