import type { ComboStrategy } from './combo-strategy.ts';
import { orderAvailableFirst } from './available-first.ts';

/**
 * Configured order rotated by the combo's request cursor. The rotation applies to the available
 * targets alone, so a target that is down does not hand its turns to its successor.
 */
export const orderRoundRobin: ComboStrategy = (targets, context) =>
  orderAvailableFirst(targets, context.health, (group) => {
    if (group.length <= 1) return group;
    const start = ((context.cursor % group.length) + group.length) % group.length;
    return [...group.slice(start), ...group.slice(0, start)];
  });
