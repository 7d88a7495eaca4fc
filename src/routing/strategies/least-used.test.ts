import { describe, expect, it } from 'vitest';
import { contextOf, modelsOf, targetsOf } from '../test-support/strategy-context.ts';
import { orderByLeastUsed } from './least-used.ts';

describe('least-used strategy', () => {
  it('puts the target with the fewest requests first, counting no data as zero', () => {
    const context = contextOf({ health: { a: { requests: 10 }, b: { requests: 3 }, c: { requests: 7 } } });
    expect(modelsOf(orderByLeastUsed(targetsOf('a', 'b', 'c', 'd'), context))).toEqual(['d', 'b', 'c', 'a']);
  });

  it('breaks ties by requests in flight, then by configured order', () => {
    const context = contextOf({
      health: { a: { requests: 5, inFlight: 2 }, b: { requests: 5, inFlight: 1 }, c: { requests: 5 }, d: { requests: 5, inFlight: 0 } },
    });
    expect(modelsOf(orderByLeastUsed(targetsOf('a', 'b', 'c', 'd'), context))).toEqual(['c', 'd', 'b', 'a']);
  });

  it('never lets an unused but unavailable target lead', () => {
    const context = contextOf({ health: { idle: { available: false }, busy: { requests: 1000 } } });
    expect(modelsOf(orderByLeastUsed(targetsOf('idle', 'busy'), context))).toEqual(['busy', 'idle']);
  });
});
