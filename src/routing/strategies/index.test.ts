import { describe, expect, it } from 'vitest';
import type { ComboTarget, TargetHealth } from './combo-strategy.ts';
import { COMBO_STRATEGY_NAMES } from './combo-strategy.ts';
import { seededRandom } from '../test-support/seeded-random.ts';
import { comboStrategies } from './index.ts';

/** Random targets and a random health snapshot, some entries missing, some fields missing. */
function randomCase(random: () => number): { targets: ComboTarget[]; health: Map<string, TargetHealth>; cursor: number } {
  const count = Math.floor(random() * 8);
  const targets: ComboTarget[] = [];
  const health = new Map<string, TargetHealth>();
  const maybe = <T>(value: T): T | undefined => (random() < 0.6 ? value : undefined);
  for (let i = 0; i < count; i++) {
    const model = `m${i}`;
    targets.push({ model, weight: maybe(0.1 + random() * 5) });
    if (random() < 0.3) continue;
    health.set(model, {
      available: random() < 0.7,
      halfOpen: maybe(random() < 0.3),
      successRate: maybe(random()),
      latencyMs: maybe(random() * 20_000),
      inFlight: maybe(Math.floor(random() * 4)),
      requests: maybe(Math.floor(random() * 50)),
      lastSuccessAt: maybe(Math.floor(random() * 1e6)),
      costPerMillion: maybe(Math.floor(random() * 4) * 2.5),
    });
  }
  return { targets, health, cursor: Math.floor(random() * 100) - 10 };
}

describe('every combo strategy', () => {
  it('is registered under each configurable name', () => {
    expect(Object.keys(comboStrategies).sort()).toEqual([...COMBO_STRATEGY_NAMES].sort());
  });

  it.each(COMBO_STRATEGY_NAMES)('%s returns a permutation with the available targets first', (name) => {
    const random = seededRandom(1234);
    for (let round = 0; round < 500; round++) {
      const { targets, health, cursor } = randomCase(random);
      const before = targets.slice();
      const ordered = comboStrategies[name](targets, { health, cursor, random });
      expect(targets).toEqual(before);
      expect(ordered).toHaveLength(targets.length);
      expect(new Set(ordered)).toEqual(new Set(targets));
      const availability = ordered.map((target) => health.get(target.model)?.available !== false);
      expect(availability).toEqual(availability.slice().sort((a, b) => Number(b) - Number(a)));
    }
  });
});
