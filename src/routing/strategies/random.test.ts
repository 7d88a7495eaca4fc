import { describe, expect, it } from 'vitest';
import { scriptedRandom, seededRandom } from '../test-support/seeded-random.ts';
import { contextOf, modelsOf, targetsOf } from '../test-support/strategy-context.ts';
import { orderRandomly } from './random.ts';

describe('random strategy', () => {
  it('shuffles with Fisher–Yates from the injected randomness', () => {
    // i=2: j=floor(0.1*3)=0 swaps a,c → c b a; i=1: j=floor(0.9*2)=1 keeps → c b a
    expect(modelsOf(orderRandomly(targetsOf('a', 'b', 'c'), contextOf({ random: scriptedRandom(0.1, 0.9) })))).toEqual(['c', 'b', 'a']);
  });

  it('makes every permutation about equally likely', () => {
    const random = seededRandom(2024);
    const counts = new Map<string, number>();
    const rounds = 60_000;
    for (let i = 0; i < rounds; i++) {
      const key = modelsOf(orderRandomly(targetsOf('a', 'b', 'c'), contextOf({ random }))).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    for (const count of counts.values()) expect(Math.abs(count / rounds - 1 / 6)).toBeLessThan(0.01);
  });

  it('shuffles the unavailable targets behind the available ones', () => {
    const random = seededRandom(3);
    const health = { a: { available: false }, c: { available: false } };
    for (let i = 0; i < 50; i++) {
      const ordered = modelsOf(orderRandomly(targetsOf('a', 'b', 'c', 'd'), contextOf({ random, health })));
      expect(new Set(ordered.slice(0, 2))).toEqual(new Set(['b', 'd']));
      expect(new Set(ordered.slice(2))).toEqual(new Set(['a', 'c']));
    }
  });
});
