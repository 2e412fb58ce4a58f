/**
 * A small seeded generator (mulberry32): the only randomness the core sees, injected through
 * Config so that every run with the same seed is the same run.
 */
export type Rng = () => number

export function createRng(seed: number): Rng {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A whole number in [0, n). */
export const randomInt = (rng: Rng, n: number): number => Math.floor(rng() * n)
