import type { Attempt } from '../engine/index.js';
import type { Usage } from '../outcome/index.js';
import { storedMediaUri, type TaskRecord } from '../tasks/index.js';

export interface TaskImageView {
  url: string;
  mime_type: string;
  width: number;
  height: number;
  sha256: string;
}

export interface TaskView {
  id: string;
  object: 'generation.task';
  model: string;
  /** The owner: the key that submitted the task, null without a key. */
  api_key_id: string | null;
  status: TaskRecord['status'];
  progress: number;
  /** Unix seconds. */
  created_at: number;
  updated_at: number;
  started_at: number | null;
  finished_at: number | null;
  metadata: Record<string, string>;
  result: { images: TaskImageView[]; text: string | null; next_turn_contents: unknown[] } | null;
  usage: {
    prompt_tokens: number;
    output_text_tokens: number;
    output_image_tokens: number;
    thoughts_tokens: number;
    total_tokens: number;
  } | null;
  cost: { estimated_usd: number | null; actual_usd: number | null };
  served_by: { model: string; platform: string } | null;
  attempts: Array<{
    model: string;
    platform: string;
    outcome: string;
    http_status: number | null;
    message: string | null;
    started_at_ms: number;
    latency_ms: number;
    waited_before_ms: number;
  }>;
  warnings: string[];
  error: { type: string; code: string; message: string } | null;
  cancel_requested: boolean;
  lane: 'online' | 'batch';
  /** Batch lane: Unix seconds. */
  deadline_at: number | null;
  /** Batch lane: the job the task was gathered into; name and state once the server knows them. */
  batch_job: { id: string; name: string | null; state: string | null } | null;
}

/** What the batch lane knows of a task's job (name upstream and state), for the view. */
export interface BatchJobSummary {
  name?: string;
  state: string;
}

/** Where an image blob is served; by default the path conversation references use (`/v1/images/<sha256>`). */
export function imageUrl(sha256: string, imagesPath?: string): string {
  return imagesPath === undefined ? storedMediaUri(sha256) : `${imagesPath}/${sha256}`;
}

/** A stored task as the API shows it: snake_case, Unix seconds, image URLs instead of bytes. */
export function taskView(
  task: TaskRecord,
  options: { imagesPath?: string; batchJob?: BatchJobSummary | undefined } = {},
): TaskView {
  return {
    id: task.id,
    object: 'generation.task',
    model: task.request.model,
    api_key_id: task.apiKeyId ?? null,
    status: task.status,
    progress: task.progress,
    created_at: unixSeconds(task.createdAtMs),
    updated_at: unixSeconds(task.updatedAtMs),
    started_at: task.startedAtMs === undefined ? null : unixSeconds(task.startedAtMs),
    finished_at: task.finishedAtMs === undefined ? null : unixSeconds(task.finishedAtMs),
    metadata: task.metadata,
    result: task.result
      ? {
          images: task.result.images.map((image) => ({
            url: imageUrl(image.sha256, options.imagesPath),
            mime_type: image.mimeType,
            width: image.width,
            height: image.height,
            sha256: image.sha256,
          })),
          text: task.result.text ?? null,
          next_turn_contents: task.result.nextTurnContents,
        }
      : null,
    usage: task.usage ? usageView(task.usage) : null,
    cost: { estimated_usd: task.estimatedCostUsd ?? null, actual_usd: task.actualCostUsd ?? null },
    served_by: task.servedBy ? { model: task.servedBy.modelId, platform: task.servedBy.platform } : null,
    attempts: task.attempts.map(attemptView),
    warnings: task.warnings,
    error: task.error ? { type: task.error.type, code: task.error.code, message: task.error.message } : null,
    cancel_requested: task.cancelRequested,
    lane: task.lane ?? 'online',
    deadline_at: task.deadlineMs === undefined ? null : unixSeconds(task.deadlineMs),
    batch_job:
      task.batchJobId === undefined
        ? null
        : {
            id: task.batchJobId,
            name: options.batchJob?.name ?? null,
            state: options.batchJob?.state ?? null,
          },
  };
}

function usageView(usage: Usage): NonNullable<TaskView['usage']> {
  return {
    prompt_tokens: usage.promptTokens,
    output_text_tokens: usage.outputTextTokens,
    output_image_tokens: usage.outputImageTokens,
    thoughts_tokens: usage.thoughtsTokens,
    total_tokens: usage.totalTokens,
  };
}

function attemptView(attempt: Attempt): TaskView['attempts'][number] {
  return {
    model: attempt.modelId,
    platform: attempt.platform,
    outcome: attempt.outcome,
    http_status: attempt.httpStatus ?? null,
    message: attempt.message ?? null,
    started_at_ms: attempt.startedAtMs,
    latency_ms: attempt.latencyMs,
    waited_before_ms: attempt.waitedBeforeMs,
  };
}

function unixSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}
