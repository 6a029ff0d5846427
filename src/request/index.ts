export {
  imageRequestSchema,
  contentSchema,
  mediaInputSchema,
  type ImageRequest,
  type ImageRequestInput,
  type ConversationContent,
  type MediaInput,
} from './image-request.js';
export {
  MAX_IMAGE_COUNT,
  definedOnly,
  generationParametersOf,
  generationParametersSchema,
  imageCountSchema,
  mimeTypeOfFormat,
  outputFormats,
  outputFormatSchema,
  samplingSettingsOf,
  seedSchema,
  temperatureSchema,
  topPSchema,
  type GenerationParameters,
  type OutputFormat,
} from './generation-parameters.js';
export { inlineDataPart, requestContents, userTurn, type ContentPart } from './model-contents.js';
