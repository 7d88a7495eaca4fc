import { systemClock, type Clock, type RoutingStateStore } from './routing-state-store.ts';

interface Slot {
  value: unknown;
  expiresAt: number;
}

/** Writes between two sweeps of expired entries. */
const SWEEP_EVERY_WRITES = 1024;

/**
 * The default store: one process, a Map with lazy expiry (an expired entry is dropped when next
 * touched). Keys that are never touched again (a finished conversation's session affinity, a past
 * rate-limit window) are swept every SWEEP_EVERY_WRITES writes, so a gateway that runs for months
 * holds only live entries; the sweep's cost, one pass over the map, is spread over those writes.
 */
export class InMemoryStateStore implements RoutingStateStore {
  private readonly slots = new Map<string, Slot>();
  private readonly clock: Clock;
  private writesSinceSweep = 0;

  constructor(clock: Clock = systemClock) {
    this.clock = clock;
  }

  get<T>(key: string): T | undefined {
    const slot = this.live(key);
    return slot ? (slot.value as T) : undefined;
  }

  set<T>(key: string, value: T, ttlMs?: number): void {
    this.slots.set(key, { value, expiresAt: ttlMs === undefined ? Infinity : this.clock() + ttlMs });
    this.wrote();
  }

  /** Entries held, expired ones not swept yet included. */
  get size(): number {
    return this.slots.size;
  }

  delete(key: string): void {
    this.slots.delete(key);
  }

  increment(key: string, by: number, windowMs: number): number {
    const slot = this.live(key);
    if (slot) {
      slot.value = (slot.value as number) + by;
      return slot.value as number;
    }
    this.slots.set(key, { value: by, expiresAt: this.clock() + windowMs });
    this.wrote();
    return by;
  }

  entries<T>(prefix: string): Array<[string, T]> {
    const result: Array<[string, T]> = [];
    for (const key of this.slots.keys()) {
      if (!key.startsWith(prefix)) continue;
      const slot = this.live(key);
      if (slot) result.push([key, slot.value as T]);
    }
    return result;
  }

  private wrote(): void {
    if (++this.writesSinceSweep < SWEEP_EVERY_WRITES) return;
    this.writesSinceSweep = 0;
    const now = this.clock();
    for (const [key, slot] of this.slots) if (slot.expiresAt <= now) this.slots.delete(key);
  }

  private live(key: string): Slot | undefined {
    const slot = this.slots.get(key);
    if (!slot) return undefined;
    if (slot.expiresAt <= this.clock()) {
      this.slots.delete(key);
      return undefined;
    }
    return slot;
  }
}
