import { errorAnswerFor, ImagegateError, transientNextStep } from '../errors/index.js';
import { isBadInput, isPortInUse } from './exit-codes.js';

/** One message for the user: what went wrong and what to do next (the kind's row of `errorAnswers`). */
export function describeError(error: unknown): string {
  if (isPortInUse(error)) {
    const port = error.port === undefined ? 'the port' : `port ${error.port}`;
    return `error: ${port} is in use: stop what listens there, or pass another --port (0 picks a free one)`;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (!(error instanceof ImagegateError)) return `error: ${message}`;
  // Bad input names its field and what is allowed, every problem of it (a flow file's): that is the next step.
  if (isBadInput(error)) return `error: ${error.clientMessage}`;
  const next = error.isRetryable ? transientNextStep : errorAnswerFor(error.kind).nextStep;
  return `error: ${message}\n${next}`;
}
