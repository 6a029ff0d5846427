export { renderImage } from './render-image.js';
export { RenderRequestError, type RenderRequest } from './render-request.js';
export { ReferenceImageDecodeError } from './reference-mosaic.js';
export { extractVideoFrames, VideoDecodeError, type ExtractVideoFramesOptions } from './video-frames.js';
