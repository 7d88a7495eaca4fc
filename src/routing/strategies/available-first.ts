import type { ComboTarget, TargetHealth } from './combo-strategy.ts';

/**
 * Orders the available targets, then the unavailable ones, each group by `order`. Unavailable
 * targets stay in the list so the failover loop still tries them last instead of failing early;
 * ordering each group on its own keeps a strategy's promise (rotation, weights, least-used) among
 * the targets that can actually serve. No health entry means no data yet: available. Each group
 * is a fresh array, so `order` may sort or shuffle it in place.
 */
export function orderAvailableFirst(
  targets: readonly ComboTarget[],
  health: ReadonlyMap<string, TargetHealth>,
  order: (group: ComboTarget[]) => ComboTarget[],
): ComboTarget[] {
  const available: ComboTarget[] = [];
  const unavailable: ComboTarget[] = [];
  for (const target of targets) (health.get(target.model)?.available === false ? unavailable : available).push(target);
  if (unavailable.length === 0) return order(available);
  return [...order(available), ...order(unavailable)];
}
