import type { GenerationResult } from '../client/index.js';
import type { Attempt } from '../engine/index.js';
import type { ImageRequest } from '../request/index.js';

export interface TaskRunOptions {
  /** Aborts when the task is cancelled or the worker shuts down. */
  signal: AbortSignal;
  onAttempt(attempt: Attempt): void;
  onWarning(warning: string): void;
}

/** Runs one task's request against a model or logical name; throws like `Imagegate.run` does. */
export type TaskRunner = (
  request: ImageRequest,
  model: string,
  options: TaskRunOptions,
) => Promise<GenerationResult>;

/** The part of `Imagegate` a task runner needs. */
export interface RunsImageRequests {
  run(
    model: string,
    platform: undefined,
    request: ImageRequest,
    options: { outputFormat: 'png' | 'jpeg'; signal?: AbortSignal },
    hooks: { onAttempt?: (attempt: Attempt) => void; onWarning?: (warning: string) => void },
  ): Promise<GenerationResult>;
}

/** A `TaskRunner` on an `Imagegate` instance: the route decides the platform, the request the format. */
export function imagegateTaskRunner(imagegate: RunsImageRequests): TaskRunner {
  return (request, model, options) =>
    imagegate.run(
      model,
      undefined,
      request,
      { outputFormat: request.outputMimeType === 'image/jpeg' ? 'jpeg' : 'png', signal: options.signal },
      { onAttempt: options.onAttempt, onWarning: options.onWarning },
    );
}
