// The library entry point: `import { generateImage } from 'imagegate'`.
export {
  Imagegate,
  ChatSession,
  generateImage,
  editImage,
  thumbnailFromVideo,
  InvalidInputError,
  DEFAULT_MODEL,
  type ImagegateOptions,
  type CallHooks,
  type RunRequestOptions,
  type GenerationResult,
  type GenerateImageOptions,
  type EditImageOptions,
  type ThumbnailOptions,
  type ChatOptions,
  type MediaSource,
} from './client/index.js';
export { ImageGenerationError, type Attempt, type ImageResult, type Usage } from './engine/index.js';
export type { Outcome, VerifiedImage } from './outcome/index.js';
export { outcomeKinds, type OutcomeKind } from './outcome/index.js';
export { loadConfig, ConfigError, type ImagegateConfig } from './config/index.js';
export { Registry, UnknownModelError, type Route, type RouteCandidate } from './registry/index.js';
export { MediaInputError } from './media/index.js';
export { GeminiProvider, type GeminiProviderOptions } from './provider/index.js';
export type { ImageProvider, ProviderCall } from './provider/index.js';
export {
  imageRequestSchema,
  generationParametersSchema,
  MAX_IMAGE_COUNT,
  type ImageRequest,
  type ImageRequestInput,
  type GenerationParameters,
  type OutputFormat,
} from './request/index.js';
export {
  ImagegateError,
  errorAnswers,
  errorKinds,
  type ErrorKind,
  type ErrorAnswer,
} from './errors/index.js';
export { systemClock, ManualClock, type Clock } from './clock/index.js';
