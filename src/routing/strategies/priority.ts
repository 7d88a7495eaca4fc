import type { ComboStrategy } from './combo-strategy.ts';
import { orderAvailableFirst } from './available-first.ts';

/** Configured order: the first target takes every request while it is available. */
export const orderByPriority: ComboStrategy = (targets, context) => orderAvailableFirst(targets, context.health, (group) => group);
