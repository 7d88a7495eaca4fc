import { createHash } from 'node:crypto';
import type { RateLimitConfig } from '../config/types.ts';
import { GatewayError } from '../ir/gateway-error.ts';
import { systemClock, type Clock, type RoutingStateStore } from './state/routing-state-store.ts';

const WINDOW_MS = 60_000;

/**
 * Per-client-key limits on requests and tokens per minute, in fixed one-minute windows kept in
 * the routing state store (so instances sharing a store share the budget). Keys are stored as
 * digests, never in clear.
 */
export class ClientRateLimiter {
  private readonly store: RoutingStateStore;
  private readonly clock: Clock;

  constructor(store: RoutingStateStore, clock: Clock = systemClock) {
    this.store = store;
    this.clock = clock;
  }

  /** Counts a request against the key's limits, or throws a 429 with Retry-After. */
  admit(clientKey: string, limit: RateLimitConfig | undefined): void {
    if (!limit || (limit.requestsPerMinute === undefined && limit.tokensPerMinute === undefined)) return;
    const id = digest(clientKey);
    const windowStart = Math.floor(this.clock() / WINDOW_MS) * WINDOW_MS;
    const retryAfter = Math.max(1, Math.ceil((windowStart + WINDOW_MS - this.clock()) / 1000));
    if (limit.tokensPerMinute !== undefined) {
      const tokens = this.store.get<number>(tokenKey(id, windowStart)) ?? 0;
      if (tokens >= limit.tokensPerMinute) throw limited(`token limit of ${limit.tokensPerMinute} per minute reached`, retryAfter);
    }
    if (limit.requestsPerMinute !== undefined) {
      const requests = this.store.increment(requestKey(id, windowStart), 1, WINDOW_MS);
      if (requests > limit.requestsPerMinute) throw limited(`request limit of ${limit.requestsPerMinute} per minute reached`, retryAfter);
    }
  }

  /** Adds the tokens a served request used to the key's current window. */
  recordTokens(clientKey: string, tokens: number): void {
    if (tokens <= 0) return;
    const windowStart = Math.floor(this.clock() / WINDOW_MS) * WINDOW_MS;
    this.store.increment(tokenKey(digest(clientKey), windowStart), tokens, WINDOW_MS);
  }
}

function digest(key: string): string {
  return createHash('sha256').update(key).digest('base64url').slice(0, 22);
}

function requestKey(id: string, windowStart: number): string {
  return `ratelimit:req:${id}:${windowStart}`;
}

function tokenKey(id: string, windowStart: number): string {
  return `ratelimit:tok:${id}:${windowStart}`;
}

function limited(message: string, retryAfter: number): GatewayError {
  return new GatewayError({ status: 429, code: 'rate_limited', message: `${message}; retry in ${retryAfter}s`, retryAfter, retryable: false });
}
