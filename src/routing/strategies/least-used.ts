import type { ComboStrategy } from './combo-strategy.ts';
import { orderAvailableFirst } from './available-first.ts';

/** Fewest requests served first; ties go to fewer requests in flight, then configured order. */
export const orderByLeastUsed: ComboStrategy = (targets, context) =>
  orderAvailableFirst(targets, context.health, (group) => {
    const usage = (model: string) => context.health.get(model);
    return group.sort(
      (a, b) =>
        (usage(a.model)?.requests ?? 0) - (usage(b.model)?.requests ?? 0) ||
        (usage(a.model)?.inFlight ?? 0) - (usage(b.model)?.inFlight ?? 0),
    );
  });
