// Seeded pseudo-random numbers (mulberry32) and string → seed hashing, so RANSAC is reproducible per sample.
import { createRng } from '../common/mulberry32.js';

/** A generator of uniform floats in [0, 1) from a 32-bit seed. */
export function createRandom(seed: number): () => number {
  const rng = createRng(seed);
  return () => rng.next();
}

/** Mixes a numeric seed with strings (FNV-1a), e.g. the seed and a sample's category/split/defect/id. */
export function deriveSeed(seed: number, ...parts: readonly string[]): number {
  let hash = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  for (const part of parts) {
    for (let i = 0; i < part.length; i++) {
      hash ^= part.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    hash ^= 0x2f;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}
