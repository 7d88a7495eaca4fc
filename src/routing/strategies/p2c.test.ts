import { describe, expect, it } from 'vitest';
import { scriptedRandom, seededRandom } from '../test-support/seeded-random.ts';
import { contextOf, modelsOf, targetsOf } from '../test-support/strategy-context.ts';
import { orderByTwoChoices } from './p2c.ts';

describe('p2c strategy', () => {
  it('places the better of the two drawn targets and returns the loser to the pool', () => {
    const health = {
      a: { successRate: 0.2, latencyMs: 500 },
      b: { successRate: 1, latencyMs: 500 },
      c: { successRate: 0.9, latencyMs: 500 },
      d: { successRate: 0.5, latencyMs: 500 },
    };
    // Round 1 of [a b c d]: draws a (0) and b (second draw 0 → index 0, shifted past 0 → 1): b wins.
    // Round 2 of [a c d]: draws d (2) and a (0): d wins, a stays.
    // Round 3 of [a c]: draws c (1) and a (0): c wins; a is left.
    const random = scriptedRandom(0, 0, 0.9, 0, 0.9, 0);
    expect(modelsOf(orderByTwoChoices(targetsOf('a', 'b', 'c', 'd'), contextOf({ health, random })))).toEqual(['b', 'd', 'c', 'a']);
  });

  it('scores lower latency higher at equal success rates', () => {
    const health = { slow: { successRate: 1, latencyMs: 9_990 }, fast: { successRate: 1, latencyMs: 90 } };
    expect(modelsOf(orderByTwoChoices(targetsOf('slow', 'fast'), contextOf({ health, random: scriptedRandom(0, 0) })))).toEqual(['fast', 'slow']);
  });

  it('takes 0.25 off a half-open target', () => {
    // Both score 1 + 0.5 (90 ms); the half-open one loses 0.25.
    const health = { probing: { successRate: 1, latencyMs: 90, halfOpen: true }, other: { successRate: 0.8, latencyMs: 90 } };
    expect(modelsOf(orderByTwoChoices(targetsOf('probing', 'other'), contextOf({ health, random: scriptedRandom(0, 0) })))).toEqual(['other', 'probing']);
    const close = { probing: { successRate: 1, latencyMs: 90, halfOpen: true }, other: { successRate: 0.7, latencyMs: 90 } };
    expect(modelsOf(orderByTwoChoices(targetsOf('probing', 'other'), contextOf({ health: close, random: scriptedRandom(0, 0) })))).toEqual(['probing', 'other']);
  });

  it('scores a target without data as the mean of the combo targets that have data', () => {
    // Known success rates 1 and 0.5 (mean 0.75); latency terms equal: new sits between good and bad.
    const health = { good: { successRate: 1, latencyMs: 90 }, bad: { successRate: 0.5, latencyMs: 90 } };
    const order = (...draws: number[]) =>
      modelsOf(orderByTwoChoices(targetsOf('good', 'bad', 'new'), contextOf({ health, random: scriptedRandom(...draws) })));
    // new (2) against bad (1): new; then good against bad: good.
    expect(order(0.9, 0.5, 0, 0)).toEqual(['new', 'good', 'bad']);
    // new (2) against good (0): good; then bad against new: new.
    expect(order(0.9, 0, 0, 0)).toEqual(['good', 'new', 'bad']);
  });

  it('keeps the first drawn target on a tie', () => {
    // Draws index 1 first, then index 0: equal scores keep b.
    expect(modelsOf(orderByTwoChoices(targetsOf('a', 'b'), contextOf({ random: scriptedRandom(0.6, 0) })))).toEqual(['b', 'a']);
  });

  it('lets the best target lead most often without always leading', () => {
    const health = { best: { successRate: 1, latencyMs: 100 }, mid: { successRate: 0.8, latencyMs: 800 }, worst: { successRate: 0.3, latencyMs: 5_000 } };
    const random = seededRandom(99);
    const firsts = new Map<string, number>();
    for (let i = 0; i < 9_000; i++) {
      const first = orderByTwoChoices(targetsOf('best', 'mid', 'worst'), contextOf({ health, random }))[0]!.model;
      firsts.set(first, (firsts.get(first) ?? 0) + 1);
    }
    // With three targets the best is in the drawn pair 2/3 of the time; the worst never leads.
    expect((firsts.get('best') ?? 0) / 9_000).toBeCloseTo(2 / 3, 1);
    expect((firsts.get('mid') ?? 0) / 9_000).toBeCloseTo(1 / 3, 1);
    expect(firsts.get('worst')).toBeUndefined();
  });

  it('ranks unavailable targets last whatever their score', () => {
    const health = { down: { available: false, successRate: 1, latencyMs: 1 }, up: { successRate: 0.1, latencyMs: 9_000 } };
    expect(modelsOf(orderByTwoChoices(targetsOf('down', 'up'), contextOf({ health, random: seededRandom(5) })))).toEqual(['up', 'down']);
  });

  it('draws nothing for a single target', () => {
    expect(modelsOf(orderByTwoChoices(targetsOf('only'), contextOf()))).toEqual(['only']);
  });
});
