// mulberry32: a seeded PRNG whose whole state is one 32-bit integer, shared by every stage that needs
// reproducible randomness (RANSAC in preprocessing, initialisation and shuffling in training).

/** A generator whose whole state is one 32-bit integer (saved in checkpoints). */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** The current state, to resume the same sequence. */
  state(): number;
}

/** Creates a generator from a seed (or a saved state). */
export function createRng(seed: number): Rng {
  let s = seed >>> 0;
  return {
    next() {
      s = (s + 0x6d2b79f5) >>> 0;
      let t = s;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
    state: () => s,
  };
}
