import type { GatewayError } from '../ir/gateway-error.ts';
import { systemClock, type Clock, type RoutingStateStore } from './state/routing-state-store.ts';

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerSettings {
  /** Consecutive provider failures that open the breaker. */
  failureThreshold: number;
  /** How long an open breaker stays open before one probe is let through. */
  openMs: number;
  /** Each failed probe doubles the open time, up to this. */
  maxOpenMs: number;
}

export const DEFAULT_BREAKER_SETTINGS: BreakerSettings = { failureThreshold: 5, openMs: 30_000, maxOpenMs: 300_000 };

export interface BreakerSnapshot {
  provider: string;
  state: BreakerState;
  consecutiveFailures: number;
  /** Epoch ms when an open breaker lets a probe through. */
  openUntil?: number;
  openMs: number;
}

interface BreakerRecord {
  state: BreakerState;
  consecutiveFailures: number;
  openUntil: number;
  openMs: number;
  probeInFlight: boolean;
}

const PREFIX = 'breaker:';

/** Failures that say the provider itself is unwell; credential and request faults do not count. */
export function isProviderFailure(error: GatewayError): boolean {
  return error.code === 'upstream_unavailable' || error.code === 'upstream_timeout' || (error.status >= 500 && error.status !== 501);
}

/**
 * One circuit breaker per provider: closed → open after `failureThreshold` consecutive provider
 * failures → half-open after `openMs`, letting exactly one probe through → closed on its success,
 * open again (for twice as long) on its failure. An open breaker costs no round trip.
 */
export class CircuitBreakers {
  private readonly store: RoutingStateStore;
  private readonly clock: Clock;
  settings: BreakerSettings;

  constructor(store: RoutingStateStore, settings: BreakerSettings = DEFAULT_BREAKER_SETTINGS, clock: Clock = systemClock) {
    this.store = store;
    this.settings = settings;
    this.clock = clock;
  }

  /** Whether a request may go to the provider now; in half-open, claims the single probe. */
  tryAcquire(provider: string): boolean {
    const record = this.store.get<BreakerRecord>(PREFIX + provider);
    if (!record || record.state === 'closed') return true;
    if (record.state === 'open') {
      if (this.clock() < record.openUntil) return false;
      record.state = 'half-open';
      record.probeInFlight = false;
    }
    if (record.probeInFlight) return false;
    record.probeInFlight = true;
    this.store.set(PREFIX + provider, record);
    return true;
  }

  /** Whether the breaker would refuse a request now, without claiming anything. */
  isOpen(provider: string): boolean {
    const record = this.store.get<BreakerRecord>(PREFIX + provider);
    if (!record || record.state === 'closed') return false;
    if (record.state === 'open') return this.clock() < record.openUntil;
    return record.probeInFlight;
  }

  recordSuccess(provider: string): void {
    const record = this.store.get<BreakerRecord>(PREFIX + provider);
    if (record) this.store.delete(PREFIX + provider);
  }

  /** Releases a half-open probe claim without a verdict (the request ended for another reason). */
  release(provider: string): void {
    const record = this.store.get<BreakerRecord>(PREFIX + provider);
    if (record?.state === 'half-open' && record.probeInFlight) {
      record.probeInFlight = false;
      this.store.set(PREFIX + provider, record);
    }
  }

  recordFailure(provider: string, error: GatewayError): void {
    if (!isProviderFailure(error)) {
      this.release(provider);
      return;
    }
    const now = this.clock();
    const record = this.store.get<BreakerRecord>(PREFIX + provider) ?? {
      state: 'closed' as BreakerState,
      consecutiveFailures: 0,
      openUntil: 0,
      openMs: this.settings.openMs,
      probeInFlight: false,
    };
    record.consecutiveFailures++;
    if (record.state === 'half-open') {
      record.openMs = Math.min(record.openMs * 2, this.settings.maxOpenMs);
      record.state = 'open';
      record.openUntil = now + record.openMs;
    } else if (record.state === 'closed' && record.consecutiveFailures >= this.settings.failureThreshold) {
      record.state = 'open';
      record.openMs = this.settings.openMs;
      record.openUntil = now + record.openMs;
    }
    record.probeInFlight = false;
    this.store.set(PREFIX + provider, record);
  }

  snapshot(): BreakerSnapshot[] {
    return this.store.entries<BreakerRecord>(PREFIX).map(([key, record]) => {
      const state = record.state === 'open' && this.clock() >= record.openUntil ? 'half-open' : record.state;
      return {
        provider: key.slice(PREFIX.length),
        state,
        consecutiveFailures: record.consecutiveFailures,
        ...(record.state === 'open' ? { openUntil: record.openUntil } : {}),
        openMs: record.openMs,
      };
    });
  }

  reset(provider?: string): number {
    const keys = provider ? [PREFIX + provider] : this.store.entries(PREFIX).map(([key]) => key);
    let cleared = 0;
    for (const key of keys) {
      if (this.store.get(key) === undefined) continue;
      this.store.delete(key);
      cleared++;
    }
    return cleared;
  }
}
