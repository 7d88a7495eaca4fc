import type { ComboStrategy, ComboStrategyName } from './combo-strategy.ts';
import { orderByCost } from './cost-optimized.ts';
import { orderFillFirst } from './fill-first.ts';
import { orderByLeastUsed } from './least-used.ts';
import { orderLastKnownGoodFirst } from './lkgp.ts';
import { orderByTwoChoices } from './p2c.ts';
import { orderByPriority } from './priority.ts';
import { orderRandomly } from './random.ts';
import { orderRoundRobin } from './round-robin.ts';
import { orderByWeight } from './weighted.ts';

export const comboStrategies: Record<ComboStrategyName, ComboStrategy> = {
  priority: orderByPriority,
  weighted: orderByWeight,
  'round-robin': orderRoundRobin,
  random: orderRandomly,
  'least-used': orderByLeastUsed,
  p2c: orderByTwoChoices,
  'cost-optimized': orderByCost,
  'fill-first': orderFillFirst,
  lkgp: orderLastKnownGoodFirst,
};
