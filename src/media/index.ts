export { sniffMediaType, isImageType, isVideoType, type SniffedMediaType } from './sniff-media-type.js';
export { readMediaFile, checkMediaBytes, MediaInputError, type ReadMediaOptions } from './read-media-file.js';
