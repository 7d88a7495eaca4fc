import { describe, expect, it } from 'vitest';
import { contextOf, modelsOf, targetsOf } from '../test-support/strategy-context.ts';
import { orderLastKnownGoodFirst } from './lkgp.ts';

describe('lkgp strategy', () => {
  it('puts the most recent success first and keeps the rest in configured order', () => {
    const context = contextOf({ health: { a: { lastSuccessAt: 100 }, c: { lastSuccessAt: 300 }, d: { lastSuccessAt: 200 } } });
    expect(modelsOf(orderLastKnownGoodFirst(targetsOf('a', 'b', 'c', 'd'), context))).toEqual(['c', 'a', 'b', 'd']);
  });

  it('is priority order when nothing has succeeded yet', () => {
    expect(modelsOf(orderLastKnownGoodFirst(targetsOf('a', 'b', 'c'), contextOf()))).toEqual(['a', 'b', 'c']);
  });

  it('takes the last good target among the available ones', () => {
    const context = contextOf({ health: { a: { lastSuccessAt: 100 }, b: { lastSuccessAt: 900, available: false }, c: { lastSuccessAt: 500 } } });
    expect(modelsOf(orderLastKnownGoodFirst(targetsOf('a', 'b', 'c'), context))).toEqual(['c', 'a', 'b']);
  });
});
