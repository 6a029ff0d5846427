import { ImageGenerationError } from '../engine/index.js';
import { isBadInput, isPortInUse } from './exit-codes.js';

/** One message for the user: what went wrong and what to do next. */
export function describeError(error: unknown): string {
  if (isPortInUse(error)) {
    const port = error.port === undefined ? 'the port' : `port ${error.port}`;
    return `error: ${port} is in use: stop what listens there, or pass another --port (0 picks a free one)`;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (isBadInput(error)) return `error: ${message}`;
  if (error instanceof ImageGenerationError) {
    const next = error.isRetryable
      ? 'The failures were transient; try again later or raise the retry budget in the config.'
      : nextStepFor(error.outcome.kind);
    return `error: ${message}\n${next}`;
  }
  return `error: ${message}`;
}

function nextStepFor(kind: string): string {
  switch (kind) {
    case 'model_retired':
      return 'The model is retired: point the route at its successor (see `imagegate models`).';
    case 'blocked_prompt':
    case 'blocked_output':
      return 'The safety filters blocked it: rephrase the prompt, or allow fallback on blocked outcomes in the config.';
    case 'auth_failed':
      return 'Check the API key or credentials the config names (see docs/configuration.md).';
    case 'quota_exhausted':
      return 'The daily quota is spent: wait for the reset or add a fallback on another model or platform.';
    default:
      return 'See the attempts above; `--json` prints them in full.';
  }
}
