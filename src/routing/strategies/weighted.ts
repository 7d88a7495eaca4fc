import type { ComboStrategy } from './combo-strategy.ts';
import { orderAvailableFirst } from './available-first.ts';

/**
 * Weighted random order without replacement (Efraimidis–Spirakis): each target draws the key
 * u^(1/weight) and keys sort descending, so the first place goes to a target with probability
 * weight / total, and so does every next place among the targets left.
 */
export const orderByWeight: ComboStrategy = (targets, context) =>
  orderAvailableFirst(targets, context.health, (group) =>
    group
      .map((target) => ({ target, key: context.random() ** (1 / (target.weight ?? 1)) }))
      .sort((a, b) => b.key - a.key)
      .map((entry) => entry.target),
  );
