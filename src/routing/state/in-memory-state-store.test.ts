import { describe, expect, it } from 'vitest';
import { InMemoryStateStore } from './in-memory-state-store.ts';

describe('InMemoryStateStore', () => {
  it('expires entries after their TTL, and keeps entries without one', () => {
    let now = 0;
    const store = new InMemoryStateStore(() => now);
    store.set('a', 1, 100);
    store.set('b', 2);
    expect(store.increment('c', 5, 100)).toBe(5);
    expect(store.increment('c', 2, 100)).toBe(7);
    now = 99;
    expect([store.get('a'), store.get('b'), store.get('c')]).toEqual([1, 2, 7]);
    now = 100;
    expect([store.get('a'), store.get('b'), store.get('c')]).toEqual([undefined, 2, undefined]);
    expect(store.entries('')).toEqual([['b', 2]]);
  });

  it('sweeps expired entries nobody touches again, so many short-lived keys do not pile up', () => {
    let now = 0;
    const store = new InMemoryStateStore(() => now);
    store.set('forever', true);
    // A new session (or rate-limit window) every millisecond, each kept one second.
    for (let index = 0; index < 100_000; index++) {
      now = index;
      store.set(`affinity:${index}`, 'credential', 1_000);
    }
    // Live: the last second's keys and the permanent one; at most one sweep interval of expired ones besides.
    expect(store.size).toBeLessThanOrEqual(1_000 + 1 + 1_024);
    expect(store.get('forever')).toBe(true);
    expect(store.get('affinity:99999')).toBe('credential');
  });
});
