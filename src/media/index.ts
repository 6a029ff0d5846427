export { sniffMediaType, isImageType, isVideoType, type SniffedMediaType } from './sniff-media-type.js';
export { sniffImageMimeType, type SniffedImageMimeType } from './sniff-image-mime-type.js';
export { sniffVideoMimeType, type SniffedVideoMimeType } from './sniff-video-mime-type.js';
export { readMediaFile, checkMediaBytes, MediaInputError, type ReadMediaOptions } from './read-media-file.js';
export {
  FfmpegNotFoundError,
  ffmpegMissingMessage,
  ffmpegPathVariable,
  isFfmpegAvailable,
  locateFfmpeg,
  type FfmpegLocation,
  type LoadFfmpegPackage,
} from './ffmpeg-location.js';
export { findOnPath, isExecutableFile } from './find-on-path.js';
export { loadSharp } from './load-sharp.js';
