import { describe, expect, it } from 'vitest';
import { GatewayError, codeForStatus } from '../ir/gateway-error.ts';
import { CooldownTracker } from './cooldowns.ts';
import { InMemoryStateStore } from './state/in-memory-state-store.ts';

function setup(disabled = false) {
  let now = 1_000_000;
  const clock = () => now;
  const tracker = new CooldownTracker(new InMemoryStateStore(clock), { clock, disabled });
  return { tracker, advance: (ms: number) => (now += ms), now: () => now };
}

const subject = { credentialId: 'claude-api-key[0]', provider: 'claude', model: 'sonnet' };
const failure = (status: number, retryAfter?: number) => new GatewayError({ status, code: codeForStatus(status), message: 'x', retryAfter });

describe('CooldownTracker', () => {
  it.each([
    [401, 30 * 60_000],
    [403, 30 * 60_000],
    [404, 12 * 3_600_000],
    [408, 60_000],
    [500, 60_000],
    [503, 60_000],
  ])('cools a credential after %i for the table duration', (status, ms) => {
    const { tracker, now } = setup();
    const entry = tracker.recordFailure(subject, failure(status));
    expect(entry?.until).toBe(now() + ms);
    expect(tracker.active(subject.credentialId, 'sonnet')).toBeDefined();
    expect(tracker.active(subject.credentialId, 'other-model')).toBeUndefined();
  });

  it.each([400, 413, 422])('never cools a credential for a request fault (%i)', (status) => {
    const { tracker } = setup();
    expect(tracker.recordFailure(subject, new GatewayError({ status, code: 'invalid_request', message: 'x', retryable: false }))).toBeUndefined();
    expect(tracker.list()).toEqual([]);
  });

  it('backs off exponentially on repeated 429s without a reset hint, capped at 30 minutes', () => {
    const { tracker, advance, now } = setup();
    const durations: number[] = [];
    for (let i = 0; i < 14; i++) {
      const start = now();
      durations.push(tracker.recordFailure(subject, failure(429))!.until - start);
      advance(1);
    }
    expect(durations.slice(0, 5)).toEqual([1000, 2000, 4000, 8000, 16000]);
    expect(durations.at(-1)).toBe(30 * 60_000);
  });

  it("uses the upstream's reset time over the table, so a cooldown never outlives the quota", () => {
    const { tracker, now } = setup();
    expect(tracker.recordFailure(subject, failure(429, 7))!.until).toBe(now() + 7000);
    expect(tracker.recordFailure(subject, failure(403, 90))).toMatchObject({ until: now() + 90_000, reportedByUpstream: true });
  });

  it('expires, and a success clears the cooldown and the backoff level', () => {
    const { tracker, advance } = setup();
    tracker.recordFailure(subject, failure(500));
    advance(60_001);
    expect(tracker.active(subject.credentialId, 'sonnet')).toBeUndefined();
    tracker.recordFailure(subject, failure(429));
    tracker.recordFailure(subject, failure(429));
    tracker.recordSuccess(subject.credentialId, 'sonnet');
    expect(tracker.active(subject.credentialId, 'sonnet')).toBeUndefined();
    const { until } = tracker.recordFailure(subject, failure(429))!;
    expect(until - 1_000_000 - 60_001).toBe(1000);
  });

  it('lists and resets by filter', () => {
    const { tracker } = setup();
    tracker.recordFailure(subject, failure(500));
    tracker.recordFailure({ ...subject, credentialId: 'claude-api-key[1]' }, failure(500));
    tracker.recordFailure({ ...subject, model: 'haiku' }, failure(500));
    expect(tracker.list()).toHaveLength(3);
    expect(tracker.reset({ model: 'haiku' })).toBe(1);
    expect(tracker.reset({ credentialId: 'claude-api-key[1]' })).toBe(1);
    expect(tracker.reset()).toBe(1);
    expect(tracker.list()).toEqual([]);
  });

  it('does nothing with disable-cooling', () => {
    const { tracker } = setup(true);
    expect(tracker.recordFailure(subject, failure(429, 5))).toBeUndefined();
  });
});
