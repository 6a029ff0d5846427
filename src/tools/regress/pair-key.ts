import { createHash } from 'node:crypto';
import type { PairParams } from './pair-record.js';

/**
 * The identity of a pair in the state file: the prompt's hash, both sides and every parameter. Changing
 * any of them (another candidate, a new seed, an edited prompt) makes a new pair that is run again.
 */
export function pairKey(input: {
  prompt: string;
  baseline: string;
  candidate: string;
  params: PairParams;
}): string {
  const promptHash = createHash('sha256').update(input.prompt).digest('hex');
  const identity = JSON.stringify([
    promptHash,
    input.baseline,
    input.candidate,
    input.params.aspectRatio ?? null,
    input.params.imageSize ?? null,
    input.params.seed,
  ]);
  return createHash('sha256').update(identity).digest('hex').slice(0, 16);
}

/** Largest seed sent when none is given: the API takes a signed 32-bit integer. */
const maxSeed = 2 ** 31 - 1;

/** The seed a prompt gets when the run names none: derived from the prompt, the same on both sides. */
export function seedForPrompt(prompt: string): number {
  const digest = createHash('sha256').update(prompt).digest();
  return digest.readUInt32BE(0) % maxSeed;
}
