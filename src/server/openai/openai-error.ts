import { errorAnswerFor, errorAnswers, failureOutcomeKinds, isErrorKind } from '../../errors/index.js';
import type { TaskRecord } from '../../tasks/index.js';
import { ApiError, apiErrorFor, internalErrorMessage } from '../../http/index.js';

/** Every status a failed generation can be answered with (the client's own hang-up aside). */
export const openAiOutcomeStatuses: readonly number[] = [
  ...new Set(failureOutcomeKinds.map((kind) => errorAnswers[kind].status)),
].filter((status) => status !== errorAnswers.cancelled.status);

/**
 * What a failed generation is answered with, in OpenAI's error shape: the row of `errorAnswers` for the
 * error's kind (the same answer the native API gives), with library field names in OpenAI's spelling.
 */
export function openAiErrorFor(error: unknown, fieldNames: Record<string, string> = {}): ApiError {
  return apiErrorFor(error, { fieldNames });
}

/** A task that ended without images, answered like the error of the same kind. */
export function openAiErrorForTask(task: TaskRecord): ApiError {
  const type = task.error?.type;
  const answer = errorAnswerFor(isErrorKind(type) ? type : 'internal_error');
  if (!isErrorKind(type) || !task.error) {
    return new ApiError(500, answer.type, answer.code, internalErrorMessage);
  }
  return new ApiError(
    answer.status as ApiError['status'],
    answer.type,
    answer.code,
    task.error.message,
    answer.param ?? null,
  );
}
