// Seeded randomness for mutation tests: the same seed gives the same mutants, so a failure reproduces.

export type Random = () => number;

/** mulberry32: tiny, fast, good enough to spread mutations. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}

/** A whole number in [0, bound). */
export const below = (random: Random, bound: number): number => Math.floor(random() * bound);
