import { Gauge, type Registry } from 'prom-client';
import type { BreakerState } from '../../routing/circuit-breaker.ts';

/** Callbacks into the runtime, read at scrape time only. */
export interface RuntimeGaugeSources {
  activeStreams: () => number;
  cooldowns: () => number;
  breakerStates: () => ReadonlyArray<{ provider: string; state: BreakerState }>;
}

/** Ordered by severity, so the worst of several entries for one provider is the largest. */
const BREAKER_STATE_VALUES: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

export function registerRuntimeGauges(registry: Registry, sources: RuntimeGaugeSources): void {
  const registers = [registry];
  new Gauge({
    name: 'switchyard_active_streams',
    help: 'Streamed answers being relayed to clients now.',
    registers,
    collect() {
      this.set(sources.activeStreams());
    },
  });
  new Gauge({
    name: 'switchyard_cooldowns_active',
    help: 'Credential and model pairs cooling down after upstream failures.',
    registers,
    collect() {
      this.set(sources.cooldowns());
    },
  });
  new Gauge({
    name: 'switchyard_circuit_breaker_state',
    help: 'Circuit breaker per provider: 0 closed, 1 half-open, 2 open.',
    labelNames: ['provider'],
    registers,
    collect() {
      const worst = new Map<string, number>();
      for (const { provider, state } of sources.breakerStates()) {
        worst.set(provider, Math.max(worst.get(provider) ?? 0, BREAKER_STATE_VALUES[state]));
      }
      // A provider whose breaker was reset is gone from the source and must leave the output too.
      this.reset();
      for (const [provider, value] of worst) this.set({ provider }, value);
    },
  });
}
