export {
  imageRequestSchema,
  contentSchema,
  mediaInputSchema,
  outputMimeTypeSchema,
  type ImageRequest,
  type ImageRequestInput,
  type ConversationContent,
  type MediaInput,
  type OutputMimeType,
} from './image-request.js';
