import type { TaskRequestView } from '../../../src/server/routes/task-request.js';

export type TaskRequest = TaskRequestView;

/** The body of `POST /v1/images/generations` that runs the same request again. */
export function resubmission(request: TaskRequest): Record<string, unknown> {
  const images = [
    ...request.images.map((image) => image.file_id),
    ...(request.video ? [request.video.file_id] : []),
  ];
  return {
    model: request.model,
    prompt: request.prompt,
    output_format: request.output_format,
    n: request.n,
    ...(request.aspect_ratio ? { aspect_ratio: request.aspect_ratio } : {}),
    ...(request.image_size ? { image_size: request.image_size } : {}),
    ...(images.length ? { images } : {}),
    ...(request.contents.length ? { contents: request.contents } : {}),
    ...(request.temperature !== null ? { temperature: request.temperature } : {}),
    ...(request.top_p !== null ? { top_p: request.top_p } : {}),
    ...(request.seed !== null ? { seed: request.seed } : {}),
  };
}
