// Seeded randomness for training (mulberry32, shared with preprocessing) so initialisation and shuffling are
// identical on every backend and platform.

export { createRng, type Rng } from '../common/mulberry32.js';
import type { Rng } from '../common/mulberry32.js';

/** Mixes a seed with a stream number (e.g. the epoch) into an independent seed. */
export function deriveSeed(seed: number, stream: number): number {
  let h = (seed ^ Math.imul(stream + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** A Fisher–Yates permutation of 0..n-1. */
export function shuffleIndices(n: number, rng: Rng): number[] {
  const out = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Glorot-uniform values for a [fanIn, fanOut] weight, scaled by `gain`. */
export function glorotUniform(fanIn: number, fanOut: number, rng: Rng, gain = 1): Float32Array {
  const limit = gain * Math.sqrt(6 / (fanIn + fanOut));
  const out = new Float32Array(fanIn * fanOut);
  for (let i = 0; i < out.length; i++) out[i] = (rng.next() * 2 - 1) * limit;
  return out;
}
