/**
 * Where routing keeps what it learns at run time: cooldowns, breaker states, rotation cursors,
 * session affinity, rate-limit windows. Callers only use these few key/value primitives, so a
 * shared implementation (Redis: GET/SET PX/DEL/INCR+PEXPIRE/SCAN, kept in a local read-through
 * cache invalidated by pub/sub) can replace the in-process one without changing them. Reads are
 * synchronous on purpose: the request path must never wait on a round trip to decide a route.
 */
export interface RoutingStateStore {
  get<T>(key: string): T | undefined;
  /** `ttlMs` undefined: no expiry. */
  set<T>(key: string, value: T, ttlMs?: number): void;
  delete(key: string): void;
  /** Adds `by` to a counter that expires `windowMs` after its first increment; returns the new value. */
  increment(key: string, by: number, windowMs: number): number;
  /** Live entries whose key starts with `prefix`. */
  entries<T>(prefix: string): Array<[string, T]>;
}

/** Milliseconds since the epoch; injected so tests can move time. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();
