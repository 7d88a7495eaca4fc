import { describe, expect, it } from 'vitest';
import { contextOf, modelsOf, targetsOf } from '../test-support/strategy-context.ts';
import { orderRoundRobin } from './round-robin.ts';

describe('round-robin strategy', () => {
  it('rotates the configured order by the cursor', () => {
    const targets = targetsOf('a', 'b', 'c');
    expect([0, 1, 2, 3, 4].map((cursor) => modelsOf(orderRoundRobin(targets, contextOf({ cursor }))))).toEqual([
      ['a', 'b', 'c'],
      ['b', 'c', 'a'],
      ['c', 'a', 'b'],
      ['a', 'b', 'c'],
      ['b', 'c', 'a'],
    ]);
  });

  it('rotates among available targets only, so a down target does not double its successor', () => {
    const targets = targetsOf('a', 'b', 'c');
    const health = { b: { available: false } };
    const firsts = [0, 1, 2, 3].map((cursor) => orderRoundRobin(targets, contextOf({ cursor, health }))[0]!.model);
    expect(firsts).toEqual(['a', 'c', 'a', 'c']);
    expect(modelsOf(orderRoundRobin(targets, contextOf({ cursor: 1, health })))).toEqual(['c', 'a', 'b']);
  });

  it('accepts a cursor larger than the list or negative', () => {
    const targets = targetsOf('a', 'b', 'c');
    expect(modelsOf(orderRoundRobin(targets, contextOf({ cursor: 3_000_001 })))).toEqual(['b', 'c', 'a']);
    expect(modelsOf(orderRoundRobin(targets, contextOf({ cursor: -1 })))).toEqual(['c', 'a', 'b']);
  });
});
