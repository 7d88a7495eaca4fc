/**
 * Combo strategies order a combo's targets; one shared failover loop (src/gateway) then walks the
 * order. A strategy is a pure function of the targets, a health snapshot and injected randomness,
 * so it is deterministic under test.
 */

/** One target of a combo after resolution: a model name the registry serves. */
export interface ComboTarget {
  /** The model name to route (an alias, `prefix/model`, or `provider/model`). */
  model: string;
  /** For `weighted`: relative weight (default 1). */
  weight?: number;
}

/** What routing knows about a target right now. Missing entries mean "no data yet". */
export interface TargetHealth {
  /** False when every credential of the target is cooling down or its provider's breaker is open. */
  available: boolean;
  /** A provider breaker in half-open: usable, but only for a probe. */
  halfOpen?: boolean;
  /** Recent successes / attempts, 0..1. */
  successRate?: number;
  /** Smoothed latency to first byte, ms. */
  latencyMs?: number;
  inFlight?: number;
  /** Requests served so far (for least-used). */
  requests?: number;
  /** Epoch ms of the last success (for lkgp). */
  lastSuccessAt?: number;
  /** USD per million input+output tokens, as priced; undefined when unknown (sorted last). */
  costPerMillion?: number;
}

export interface StrategyContext {
  health: ReadonlyMap<string, TargetHealth>;
  /** A counter that grows by one per request of this combo (round-robin). */
  cursor: number;
  /** Uniform [0, 1). */
  random: () => number;
}

export type ComboStrategy = (targets: readonly ComboTarget[], context: StrategyContext) => ComboTarget[];

export const COMBO_STRATEGY_NAMES = [
  'priority',
  'weighted',
  'round-robin',
  'random',
  'least-used',
  'p2c',
  'cost-optimized',
  'fill-first',
  'lkgp',
] as const;

export type ComboStrategyName = (typeof COMBO_STRATEGY_NAMES)[number];
