import type { ComboStrategy } from './combo-strategy.ts';
import { orderAvailableFirst } from './available-first.ts';

/** A uniform shuffle (Fisher–Yates). */
export const orderRandomly: ComboStrategy = (targets, context) =>
  orderAvailableFirst(targets, context.health, (group) => {
    for (let i = group.length - 1; i > 0; i--) {
      const j = Math.floor(context.random() * (i + 1));
      [group[i], group[j]] = [group[j]!, group[i]!];
    }
    return group;
  });
