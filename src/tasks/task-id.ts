import { randomBytes } from 'node:crypto';

/** Crockford base32: no I, L, O or U, so IDs survive being read aloud or copied by hand. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const TIME_CHARACTERS = 10;
const RANDOM_CHARACTERS = 16;
const MAX_TIME_MS = 2 ** 48 - 1;

export const taskIdPattern = /^task_img_[0-9A-HJKMNP-TV-Z]{26}$/;

/**
 * `task_img_` + 26 characters, ULID-like: 48 bits of milliseconds then 80 random bits, so IDs sort by
 * creation time and two processes never need to coordinate.
 */
export function newTaskId(nowMs: number): string {
  if (!Number.isInteger(nowMs) || nowMs < 0 || nowMs > MAX_TIME_MS) {
    throw new RangeError(`nowMs must be an integer from 0 to ${MAX_TIME_MS} (got ${nowMs}).`);
  }
  let time = '';
  let remaining = nowMs;
  for (let index = 0; index < TIME_CHARACTERS; index += 1) {
    time = ALPHABET.charAt(remaining % 32) + time;
    remaining = Math.floor(remaining / 32);
  }
  const random = [...randomBytes(RANDOM_CHARACTERS)].map((byte) => ALPHABET.charAt(byte % 32)).join('');
  return `task_img_${time}${random}`;
}
