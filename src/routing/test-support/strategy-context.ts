import type { ComboTarget, StrategyContext, TargetHealth } from '../strategies/combo-strategy.ts';

export function targetsOf(...models: string[]): ComboTarget[] {
  return models.map((model) => ({ model }));
}

export function modelsOf(targets: readonly ComboTarget[]): string[] {
  return targets.map((target) => target.model);
}

/** A context whose randomness fails loudly unless the test supplies it. */
export function contextOf(options: { health?: Record<string, Partial<TargetHealth>>; cursor?: number; random?: () => number } = {}): StrategyContext {
  const health = new Map<string, TargetHealth>();
  for (const [model, entry] of Object.entries(options.health ?? {})) health.set(model, { available: true, ...entry });
  return {
    health,
    cursor: options.cursor ?? 0,
    random:
      options.random ??
      (() => {
        throw new Error('this strategy must not draw random numbers');
      }),
  };
}
