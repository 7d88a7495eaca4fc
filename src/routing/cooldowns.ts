import type { GatewayError } from '../ir/gateway-error.ts';
import { systemClock, type Clock, type RoutingStateStore } from './state/routing-state-store.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** No upstream quota window is longer than a week; a larger reset hint is a bug, not a plan. */
const LONGEST_REPORTED_RESET_MS = 7 * 24 * HOUR;
const RATE_LIMIT_BACKOFF_BASE_MS = 1_000;
const RATE_LIMIT_BACKOFF_MAX_MS = 30 * MINUTE;

/**
 * How long a credential rests after a failure, by status (CLIProxyAPI's table). Failures that are
 * the request's fault (400, 413, 422) are absent: they say nothing about the credential.
 */
/** The request's own fault: another credential would fail the same way, so nothing cools. */
const REQUEST_FAULT_STATUSES = new Set([400, 413, 422]);

const COOLDOWN_BY_STATUS: ReadonlyArray<{ statuses: readonly number[]; ms: number; reason: string }> = [
  { statuses: [401, 402, 403], ms: 30 * MINUTE, reason: 'credential rejected' },
  { statuses: [404], ms: 12 * HOUR, reason: 'model not available on this credential' },
  { statuses: [408, 500, 502, 503, 504, 529], ms: MINUTE, reason: 'upstream error' },
];

export interface CooldownEntry {
  credentialId: string;
  provider: string;
  model: string;
  status: number;
  reason: string;
  /** Epoch ms when the credential may serve this model again. */
  until: number;
  /** Whether `until` came from the upstream's own reset time. */
  reportedByUpstream: boolean;
}

export interface CooldownSubject {
  credentialId: string;
  provider: string;
  model: string;
}

const ENTRY_PREFIX = 'cooldown:';
const LEVEL_PREFIX = 'cooldown-level:';

function keyOf(credentialId: string, model: string): string {
  return `${credentialId}\u0000${model}`;
}

/**
 * Per credential and model cooldowns. An upstream's own reset hint (Retry-After, a quota reset
 * time) always wins over the table, so a cooldown never outlives the quota it waits for; a
 * success clears the cooldown and the rate-limit backoff level.
 */
export class CooldownTracker {
  private readonly store: RoutingStateStore;
  private readonly clock: Clock;
  disabled: boolean;

  constructor(store: RoutingStateStore, options: { disabled?: boolean; clock?: Clock } = {}) {
    this.store = store;
    this.clock = options.clock ?? systemClock;
    this.disabled = options.disabled ?? false;
  }

  /** Records a failed attempt; returns the cooldown it started, if any. */
  recordFailure(subject: CooldownSubject, error: GatewayError): CooldownEntry | undefined {
    if (this.disabled) return undefined;
    const key = keyOf(subject.credentialId, subject.model);
    const duration = this.durationFor(key, error);
    if (duration === undefined) return undefined;
    const entry: CooldownEntry = {
      ...subject,
      status: error.status,
      reason: duration.reason,
      until: this.clock() + duration.ms,
      reportedByUpstream: duration.reported,
    };
    this.store.set(ENTRY_PREFIX + key, entry, duration.ms);
    return entry;
  }

  recordSuccess(credentialId: string, model: string): void {
    const key = keyOf(credentialId, model);
    if (this.store.get(ENTRY_PREFIX + key) !== undefined) this.store.delete(ENTRY_PREFIX + key);
    if (this.store.get(LEVEL_PREFIX + key) !== undefined) this.store.delete(LEVEL_PREFIX + key);
  }

  /** The active cooldown of a credential for a model, if any. */
  active(credentialId: string, model: string): CooldownEntry | undefined {
    return this.store.get<CooldownEntry>(ENTRY_PREFIX + keyOf(credentialId, model));
  }

  list(): CooldownEntry[] {
    return this.store.entries<CooldownEntry>(ENTRY_PREFIX).map(([, entry]) => entry);
  }

  /** Clears cooldowns (all, or those matching the filter); returns how many were cleared. */
  reset(filter: { credentialId?: string; model?: string; provider?: string } = {}): number {
    let cleared = 0;
    for (const [storeKey, entry] of this.store.entries<CooldownEntry>(ENTRY_PREFIX)) {
      if (filter.credentialId && entry.credentialId !== filter.credentialId) continue;
      if (filter.model && entry.model !== filter.model) continue;
      if (filter.provider && entry.provider !== filter.provider) continue;
      this.store.delete(storeKey);
      this.store.delete(LEVEL_PREFIX + storeKey.slice(ENTRY_PREFIX.length));
      cleared++;
    }
    return cleared;
  }

  private durationFor(key: string, error: GatewayError): { ms: number; reason: string; reported: boolean } | undefined {
    if (REQUEST_FAULT_STATUSES.has(error.status)) return undefined;
    if (error.retryAfter !== undefined && error.retryAfter > 0) {
      return { ms: Math.min(error.retryAfter * 1000, LONGEST_REPORTED_RESET_MS), reason: 'upstream reported a reset time', reported: true };
    }
    if (error.status === 429) {
      const level = this.store.increment(LEVEL_PREFIX + key, 1, 2 * RATE_LIMIT_BACKOFF_MAX_MS) - 1;
      return { ms: Math.min(RATE_LIMIT_BACKOFF_BASE_MS * 2 ** level, RATE_LIMIT_BACKOFF_MAX_MS), reason: 'rate limited', reported: false };
    }
    if (error.code === 'upstream_unavailable') return { ms: MINUTE, reason: 'upstream unreachable', reported: false };
    const rule = COOLDOWN_BY_STATUS.find((candidate) => candidate.statuses.includes(error.status));
    return rule ? { ms: rule.ms, reason: rule.reason, reported: false } : undefined;
  }
}
