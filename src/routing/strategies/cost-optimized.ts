import type { ComboStrategy } from './combo-strategy.ts';
import { orderAvailableFirst } from './available-first.ts';

/** Cheapest first by price per million tokens; unpriced targets last, in configured order. */
export const orderByCost: ComboStrategy = (targets, context) =>
  orderAvailableFirst(targets, context.health, (group) => {
    const cost = (model: string) => context.health.get(model)?.costPerMillion ?? Number.POSITIVE_INFINITY;
    return group.sort((a, b) => {
      const difference = cost(a.model) - cost(b.model);
      // Infinity - Infinity is NaN: two unpriced targets keep their order.
      return Number.isNaN(difference) ? 0 : difference;
    });
  });
