export {
  Imagegate,
  ChatSession,
  type ImagegateOptions,
  type CallHooks,
  type RunRequestOptions,
  type GenerationResult,
} from './imagegate.js';
export { generateImage, editImage, thumbnailFromVideo } from './one-shot.js';
export { InvalidInputError } from '../errors/index.js';
export {
  DEFAULT_MODEL,
  MAX_REFERENCE_IMAGE_BYTES,
  type GenerateImageOptions,
  type EditImageOptions,
  type ThumbnailOptions,
  type ChatOptions,
  type MediaSource,
} from './generate-options.js';
export { REFERENCE_IMAGE_TYPES } from './generate-options.js';
export { VIDEO_TYPES } from './generate-options.js';
export { connectProvider } from './connect-provider.js';
