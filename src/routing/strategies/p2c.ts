import type { ComboStrategy, ComboTarget, TargetHealth } from './combo-strategy.ts';
import { orderAvailableFirst } from './available-first.ts';

const HALF_OPEN_PENALTY = 0.25;

function latencyScore(latencyMs: number): number {
  return 1 / Math.log10(Math.max(0, latencyMs) + 10);
}

function mean(values: number[]): number | undefined {
  return values.length === 0 ? undefined : values.reduce((sum, value) => sum + value, 0) / values.length;
}

/**
 * Scores every target as successRate + 1/log10(latencyMs + 10), minus 0.25 for a half-open
 * breaker. A target without data gets the mean of the targets that have it, so a new target is
 * neither starved nor favoured; when nobody has data the term is equal for all and drops out.
 */
function scoreTargets(targets: readonly ComboTarget[], health: ReadonlyMap<string, TargetHealth>): Map<ComboTarget, number> {
  const known = { success: [] as number[], latency: [] as number[] };
  for (const target of targets) {
    const entry = health.get(target.model);
    if (entry?.successRate !== undefined) known.success.push(entry.successRate);
    if (entry?.latencyMs !== undefined) known.latency.push(latencyScore(entry.latencyMs));
  }
  const neutralSuccess = mean(known.success) ?? 0;
  const neutralLatency = mean(known.latency) ?? 0;
  const scores = new Map<ComboTarget, number>();
  for (const target of targets) {
    const entry = health.get(target.model);
    const success = entry?.successRate ?? neutralSuccess;
    const latency = entry?.latencyMs === undefined ? neutralLatency : latencyScore(entry.latencyMs);
    scores.set(target, success + latency - (entry?.halfOpen ? HALF_OPEN_PENALTY : 0));
  }
  return scores;
}

/**
 * Power of two choices, repeated: draw two distinct targets at random from the pool, place the
 * better scored one next (the first drawn on a tie) and put the other back, until the pool is
 * empty. Good targets lead most of the time without the herd effect of always taking the best.
 */
export const orderByTwoChoices: ComboStrategy = (targets, context) => {
  const scores = scoreTargets(targets, context.health);
  return orderAvailableFirst(targets, context.health, (pool) => {
    const ordered: ComboTarget[] = [];
    while (pool.length > 1) {
      const first = Math.floor(context.random() * pool.length);
      let second = Math.floor(context.random() * (pool.length - 1));
      if (second >= first) second++;
      const winner = scores.get(pool[second]!)! > scores.get(pool[first]!)! ? second : first;
      ordered.push(pool[winner]!);
      pool.splice(winner, 1);
    }
    ordered.push(...pool);
    return ordered;
  });
};
