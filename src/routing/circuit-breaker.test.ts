import { describe, expect, it } from 'vitest';
import { GatewayError, codeForStatus } from '../ir/gateway-error.ts';
import { CircuitBreakers } from './circuit-breaker.ts';
import { InMemoryStateStore } from './state/in-memory-state-store.ts';

function setup() {
  let now = 0;
  const clock = () => now;
  const breakers = new CircuitBreakers(new InMemoryStateStore(clock), { failureThreshold: 3, openMs: 1000, maxOpenMs: 3000 }, clock);
  return { breakers, advance: (ms: number) => (now += ms) };
}

const serverError = new GatewayError({ status: 500, code: codeForStatus(500), message: 'boom' });
const rateLimit = new GatewayError({ status: 429, code: 'rate_limited', message: 'slow down' });

describe('CircuitBreakers', () => {
  it('opens after consecutive provider failures and refuses without a round trip', () => {
    const { breakers } = setup();
    for (let i = 0; i < 2; i++) breakers.recordFailure('p', serverError);
    expect(breakers.tryAcquire('p')).toBe(true);
    breakers.recordFailure('p', serverError);
    expect(breakers.isOpen('p')).toBe(true);
    expect(breakers.tryAcquire('p')).toBe(false);
    expect(breakers.snapshot()).toMatchObject([{ provider: 'p', state: 'open', consecutiveFailures: 3 }]);
  });

  it('does not count credential or request faults', () => {
    const { breakers } = setup();
    for (let i = 0; i < 10; i++) breakers.recordFailure('p', rateLimit);
    expect(breakers.isOpen('p')).toBe(false);
  });

  it('lets exactly one probe through when half-open, and closes on its success', () => {
    const { breakers, advance } = setup();
    for (let i = 0; i < 3; i++) breakers.recordFailure('p', serverError);
    advance(1000);
    expect(breakers.tryAcquire('p')).toBe(true);
    expect(breakers.tryAcquire('p')).toBe(false);
    breakers.recordSuccess('p');
    expect(breakers.tryAcquire('p')).toBe(true);
    expect(breakers.snapshot()).toEqual([]);
  });

  it('reopens for twice as long (capped) when the probe fails', () => {
    const { breakers, advance } = setup();
    for (let i = 0; i < 3; i++) breakers.recordFailure('p', serverError);
    advance(1000);
    breakers.tryAcquire('p');
    breakers.recordFailure('p', serverError);
    expect(breakers.snapshot()[0]).toMatchObject({ state: 'open', openMs: 2000 });
    advance(1999);
    expect(breakers.tryAcquire('p')).toBe(false);
    advance(1);
    breakers.tryAcquire('p');
    breakers.recordFailure('p', serverError);
    advance(3000);
    breakers.tryAcquire('p');
    breakers.recordFailure('p', serverError);
    expect(breakers.snapshot()[0]!.openMs).toBe(3000);
  });

  it('resets one or all breakers', () => {
    const { breakers } = setup();
    for (let i = 0; i < 3; i++) {
      breakers.recordFailure('a', serverError);
      breakers.recordFailure('b', serverError);
    }
    expect(breakers.reset('a')).toBe(1);
    expect(breakers.reset()).toBe(1);
    expect(breakers.tryAcquire('b')).toBe(true);
  });
});
