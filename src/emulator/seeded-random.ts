/**
 * Small deterministic random sources. The emulator's images must be byte-identical for the same
 * inputs on every machine, so nothing here may touch `Math.random` or platform-dependent hashing.
 */

/** A source of floats in [0, 1); each call advances the state. */
export type RandomSource = () => number;

/**
 * 32-bit hash of a string (xmur3 finaliser over UTF-16 code units). Different strings give
 * unrelated values, which is what makes two prompts look visibly different.
 */
export function hashString(text: string): number {
  let hash = 1779033703 ^ text.length;
  for (let index = 0; index < text.length; index++) {
    hash = Math.imul(hash ^ text.charCodeAt(index), 3432918353);
    hash = (hash << 13) | (hash >>> 19);
  }
  hash = Math.imul(hash ^ (hash >>> 16), 2246822507);
  hash = Math.imul(hash ^ (hash >>> 13), 3266489909);
  return (hash ^ (hash >>> 16)) >>> 0;
}

/** mulberry32: a fast 32-bit generator, good enough for art and fully reproducible from its seed. */
export function mulberry32(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

/** A generator seeded from several labelled parts, so ("a", "bc") and ("ab", "c") differ. */
export function randomFromParts(...parts: readonly string[]): RandomSource {
  return mulberry32(hashString(parts.map((part) => `${part.length}:${part}`).join('|')));
}

/** A float in [minimum, maximum). */
export function randomBetween(random: RandomSource, minimum: number, maximum: number): number {
  return minimum + (maximum - minimum) * random();
}

/** An integer in [minimum, maximum] (both inclusive). */
export function randomInteger(random: RandomSource, minimum: number, maximum: number): number {
  return minimum + Math.floor(random() * (maximum - minimum + 1));
}
