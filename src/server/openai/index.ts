export {
  createOpenAiRoutes,
  DEFAULT_MAX_EDIT_BODY_BYTES,
  type OpenAiRoutesOptions,
} from './openai-routes.js';
export { imageShapeFor, type ImageShape, type OpenAiQuality } from './openai-image-shape.js';
export { openAiErrorFor } from './openai-error.js';
export { openAiTaskRunner, type OpenAiTaskRunnerOptions } from './openai-task-runner.js';
export type { OpenAiGenerate, OpenAiImages } from './openai-routes.js';
export { registerOpenAiOperations } from './openai-openapi.js';
