/** Thrown for bytes that are not a well-formed PNG or JPEG; nothing is written then. */
export class MalformedImageError extends Error {
  override readonly name = 'MalformedImageError';
}
