import { describe, expect, it } from 'vitest';
import type { ComboTarget } from './combo-strategy.ts';
import { scriptedRandom, seededRandom } from '../test-support/seeded-random.ts';
import { contextOf, modelsOf } from '../test-support/strategy-context.ts';
import { orderByWeight } from './weighted.ts';

describe('weighted strategy', () => {
  it('sorts by the key u^(1/weight), largest first', () => {
    const targets: ComboTarget[] = [{ model: 'a', weight: 1 }, { model: 'b', weight: 4 }, { model: 'c' }];
    // keys: a = 0.5, b = 0.2^(1/4) ≈ 0.669, c = 0.6
    const ordered = orderByWeight(targets, contextOf({ random: scriptedRandom(0.5, 0.2, 0.6) }));
    expect(modelsOf(ordered)).toEqual(['b', 'c', 'a']);
  });

  it('puts each target first in proportion to its weight', () => {
    const targets: ComboTarget[] = [{ model: 'a', weight: 1 }, { model: 'b', weight: 3 }];
    const random = seededRandom(42);
    let bFirst = 0;
    const rounds = 20_000;
    for (let i = 0; i < rounds; i++) if (orderByWeight(targets, contextOf({ random }))[0]!.model === 'b') bFirst++;
    expect(bFirst / rounds).toBeGreaterThan(0.73);
    expect(bFirst / rounds).toBeLessThan(0.77);
  });

  it('samples without replacement: the second place follows the remaining weights', () => {
    const targets: ComboTarget[] = [{ model: 'a', weight: 6 }, { model: 'b', weight: 3 }, { model: 'c', weight: 1 }];
    const random = seededRandom(7);
    let bSecondAfterA = 0;
    let aFirst = 0;
    for (let i = 0; i < 30_000; i++) {
      const ordered = modelsOf(orderByWeight(targets, contextOf({ random })));
      if (ordered[0] !== 'a') continue;
      aFirst++;
      if (ordered[1] === 'b') bSecondAfterA++;
    }
    // Given a went first, b is second with probability 3 / (3 + 1).
    expect(bSecondAfterA / aFirst).toBeGreaterThan(0.72);
    expect(bSecondAfterA / aFirst).toBeLessThan(0.78);
  });

  it('orders unavailable targets after available ones, however heavy', () => {
    const targets: ComboTarget[] = [{ model: 'heavy', weight: 1000 }, { model: 'light', weight: 1 }];
    const context = contextOf({ health: { heavy: { available: false } }, random: seededRandom(1) });
    for (let i = 0; i < 50; i++) expect(modelsOf(orderByWeight(targets, context))).toEqual(['light', 'heavy']);
  });
});
