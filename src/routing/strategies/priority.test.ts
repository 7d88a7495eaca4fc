import { describe, expect, it } from 'vitest';
import { contextOf, modelsOf, targetsOf } from '../test-support/strategy-context.ts';
import { orderFillFirst } from './fill-first.ts';
import { orderByPriority } from './priority.ts';

describe.each([
  ['priority', orderByPriority],
  ['fill-first', orderFillFirst],
])('%s strategy', (_name, strategy) => {
  it('keeps the configured order', () => {
    expect(modelsOf(strategy(targetsOf('a', 'b', 'c'), contextOf()))).toEqual(['a', 'b', 'c']);
  });

  it('moves unavailable targets to the end, keeping their relative order', () => {
    const context = contextOf({ health: { a: { available: false }, b: { available: false } } });
    expect(modelsOf(strategy(targetsOf('a', 'b', 'c', 'd'), context))).toEqual(['c', 'd', 'a', 'b']);
  });

  it('treats a target without health data as available and ignores other health fields', () => {
    const context = contextOf({ health: { a: { successRate: 0, latencyMs: 99_999, halfOpen: true } } });
    expect(modelsOf(strategy(targetsOf('a', 'b'), context))).toEqual(['a', 'b']);
  });

  it('does not mutate the targets it is given', () => {
    const targets = targetsOf('a', 'b');
    strategy(targets, contextOf({ health: { a: { available: false } } }));
    expect(modelsOf(targets)).toEqual(['a', 'b']);
  });
});
