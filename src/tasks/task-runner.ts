import type { GenerationResult, Imagegate, RunRequestOptions } from '../client/index.js';
import type { ImageRequest } from '../request/index.js';

/** How the worker runs one task's request: always with a model, a signal and both hooks. */
export type TaskRunOptions = Required<Pick<RunRequestOptions, 'model' | 'onAttempt' | 'onWarning'>> & {
  /** Aborts when the task is cancelled or the worker shuts down. */
  signal: AbortSignal;
};

/** Runs one task's request; throws like `Imagegate.runRequest` does. */
export type TaskRunner = (request: ImageRequest, options: TaskRunOptions) => Promise<GenerationResult>;

/** The part of `Imagegate` a task runner needs. */
export type RunsImageRequests = Pick<Imagegate, 'runRequest'>;

/** A `TaskRunner` on an `Imagegate` instance: the route decides the platform, the request the format. */
export function imagegateTaskRunner(imagegate: RunsImageRequests): TaskRunner {
  return (request, options) => imagegate.runRequest(request, options);
}
