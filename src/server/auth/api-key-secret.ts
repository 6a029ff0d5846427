import { createHash, randomInt } from 'node:crypto';

const base62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export const API_KEY_SECRET_PREFIX = 'igk_';
export const API_KEY_SECRET_RANDOM_LENGTH = 32;
/** Characters of the secret kept in clear to tell keys apart in lists (`igk_` and six more). */
export const API_KEY_DISPLAY_PREFIX_LENGTH = 10;

const secretPattern = new RegExp(`^${API_KEY_SECRET_PREFIX}[0-9A-Za-z]{${API_KEY_SECRET_RANDOM_LENGTH}}$`);

/** `length` characters drawn uniformly from [0-9A-Za-z] with a cryptographic generator. */
export function randomBase62(length: number): string {
  let text = '';
  for (let index = 0; index < length; index += 1) text += base62[randomInt(base62.length)];
  return text;
}

/** A new secret: `igk_` and 32 base62 characters (about 190 bits). */
export function generateApiKeySecret(): string {
  return API_KEY_SECRET_PREFIX + randomBase62(API_KEY_SECRET_RANDOM_LENGTH);
}

/** Whether a string has the shape of a secret; anything else is refused without a database lookup. */
export function looksLikeApiKeySecret(text: string): boolean {
  return secretPattern.test(text);
}

/**
 * The stored form of a secret. A plain SHA-256 is enough here: the secret has ~190 random bits, so
 * there is nothing for a slow password hash to protect against, and lookups stay one index probe.
 */
export function hashApiKeySecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
