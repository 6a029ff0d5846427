import { ImagegateError, type ImagegateErrorOptions } from '../errors/index.js';

/** Thrown for bytes that are not a well-formed PNG or JPEG; nothing is written then. */
export class MalformedImageError extends ImagegateError {
  constructor(message: string, options: ImagegateErrorOptions = {}) {
    super('invalid_media', message, options);
  }
}
