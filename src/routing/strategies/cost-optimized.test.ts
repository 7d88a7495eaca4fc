import { describe, expect, it } from 'vitest';
import { contextOf, modelsOf, targetsOf } from '../test-support/strategy-context.ts';
import { orderByCost } from './cost-optimized.ts';

describe('cost-optimized strategy', () => {
  it('orders by ascending price, unpriced targets last in configured order', () => {
    const context = contextOf({ health: { a: { costPerMillion: 15 }, c: { costPerMillion: 0.5 }, e: { costPerMillion: 3 } } });
    expect(modelsOf(orderByCost(targetsOf('a', 'b', 'c', 'd', 'e'), context))).toEqual(['c', 'e', 'a', 'b', 'd']);
  });

  it('keeps configured order between equal prices, and a free target leads', () => {
    const context = contextOf({ health: { a: { costPerMillion: 2 }, b: { costPerMillion: 2 }, c: { costPerMillion: 0 } } });
    expect(modelsOf(orderByCost(targetsOf('a', 'b', 'c'), context))).toEqual(['c', 'a', 'b']);
  });

  it('ranks a cheap unavailable target after every available one', () => {
    const context = contextOf({ health: { cheap: { costPerMillion: 0.1, available: false }, dear: { costPerMillion: 60 } } });
    expect(modelsOf(orderByCost(targetsOf('cheap', 'dear', 'unpriced'), context))).toEqual(['dear', 'unpriced', 'cheap']);
  });
});
