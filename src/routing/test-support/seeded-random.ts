/** A small deterministic PRNG (mulberry32) returning uniform [0, 1), for strategy tests. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Returns the given values in order, then fails: a test states exactly which draws happen. */
export function scriptedRandom(...values: number[]): () => number {
  let index = 0;
  return () => {
    if (index >= values.length) throw new Error(`scriptedRandom: draw ${index + 1} was not scripted`);
    return values[index++]!;
  };
}
