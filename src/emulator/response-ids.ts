import { createHash } from 'node:crypto';

/**
 * Identifiers that look like Google's but are reproducible: derived from the emulator's call counter,
 * so two runs of the same test see the same IDs.
 */

/** A 22-character URL-safe ID like the real `responseId` ("mS77aIOaD5qFvr0P1b_T4AY"). */
export function responseIdFor(callNumber: number): string {
  return createHash('sha256').update(`response-${callNumber}`).digest('base64url').slice(0, 22);
}

/** A base64 `thoughtSignature` for one part of one candidate of one response. */
export function thoughtSignatureFor(responseId: string, candidateIndex: number, partIndex: number): string {
  return createHash('sha512')
    .update(`signature:${responseId}:${candidateIndex}:${partIndex}`)
    .digest('base64');
}

/** A 32-bit seed from text, for drawing when the request gives no `seed`. */
export function seedFromText(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}
