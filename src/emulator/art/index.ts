export { renderImage } from './render-image.js';
export { RenderRequestError, type RenderRequest } from './render-request.js';
export { ReferenceImageDecodeError } from './reference-mosaic.js';
export {
  extractVideoFrames,
  FfmpegNotFoundError,
  VideoDecodeError,
  type ExtractVideoFramesOptions,
} from './video-frames.js';
export {
  ffmpegMissingMessage,
  ffmpegPathVariable,
  isFfmpegAvailable,
  locateFfmpeg,
  type FfmpegLocation,
  type LoadFfmpegPackage,
} from './ffmpeg-location.js';
