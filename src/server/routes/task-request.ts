import { createRoute, z } from '@hono/zod-openapi';
import type { TaskStore } from '../../tasks/index.js';
import { errorResponses, taskIdParamsSchema } from '../api-schemas.js';
import { openApiRouter } from '../openapi-router.js';
import { fileIdOf } from '../reference-media.js';
import { imageUrl } from '../task-view.js';
import { visibleTask } from './tasks.js';
import { outputFormatSchema } from '../../request/index.js';

const referenceSchema = z.object({
  file_id: z.string().openapi({ description: 'Usable in `images` of a new submission.' }),
  url: z.string(),
  mime_type: z.string(),
  sha256: z.string(),
});

export const taskRequestSchema = z
  .object({
    task_id: z.string(),
    model: z.string(),
    prompt: z.string(),
    aspect_ratio: z.string().nullable(),
    image_size: z.string().nullable(),
    output_format: outputFormatSchema,
    n: z.number(),
    images: z.array(referenceSchema),
    video: referenceSchema.nullable(),
    contents: z.array(z.unknown()).openapi({ description: 'Earlier turns sent with the request.' }),
    temperature: z.number().nullable(),
    top_p: z.number().nullable(),
    seed: z.number().nullable(),
    system_instruction: z.string().nullable(),
  })
  .openapi('TaskRequest');

/** What `GET /v1/tasks/{id}/request` answers. */
export type TaskRequestView = z.infer<typeof taskRequestSchema>;

const getTaskRequest = createRoute({
  method: 'get',
  path: '/v1/tasks/{id}/request',
  summary: 'What a task was asked to do: prompt and parameters, references as file ids (to resubmit it)',
  request: { params: taskIdParamsSchema },
  responses: {
    200: { description: 'The request', content: { 'application/json': { schema: taskRequestSchema } } },
    ...errorResponses(400, 401, 404),
  },
});

/** `GET /v1/tasks/{id}/request`: the submission as stored, in the shape `POST /v1/images/generations` takes. */
export function taskRequestRoutes(options: { store: TaskStore }) {
  return openApiRouter().openapi(getTaskRequest, async (c) => {
    const task = await visibleTask(c, options.store, c.req.valid('param').id);
    const request = task.request;
    const reference = (media: { sha256: string; mimeType: string }) => ({
      file_id: fileIdOf(media.sha256),
      url: imageUrl(media.sha256),
      mime_type: media.mimeType,
      sha256: media.sha256,
    });
    return c.json(
      {
        task_id: task.id,
        model: request.model,
        prompt: request.prompt,
        aspect_ratio: request.aspectRatio ?? null,
        image_size: request.imageSize ?? null,
        output_format: request.outputFormat,
        n: request.imageCount,
        images: request.references.map(reference),
        video: request.video ? reference(request.video) : null,
        contents: request.history,
        temperature: request.temperature ?? null,
        top_p: request.topP ?? null,
        seed: request.seed ?? null,
        system_instruction: request.systemInstruction ?? null,
      },
      200,
    );
  });
}
