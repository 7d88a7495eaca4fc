import type { ComboStrategy } from './combo-strategy.ts';
import { orderAvailableFirst } from './available-first.ts';

/**
 * Last known good first: the target that succeeded most recently leads, the rest follow in
 * configured order. Without any success on record this is priority order.
 */
export const orderLastKnownGoodFirst: ComboStrategy = (targets, context) =>
  orderAvailableFirst(targets, context.health, (group) => {
    let best = -1;
    let bestAt = Number.NEGATIVE_INFINITY;
    group.forEach((target, index) => {
      const at = context.health.get(target.model)?.lastSuccessAt;
      if (at !== undefined && at > bestAt) [best, bestAt] = [index, at];
    });
    if (best <= 0) return group;
    return [group[best]!, ...group.slice(0, best), ...group.slice(best + 1)];
  });
