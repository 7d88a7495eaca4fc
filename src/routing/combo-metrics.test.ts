import { describe, expect, it } from 'vitest';
import type { ComboConfig } from '../config/types.ts';
import { ComboMetrics, type TargetHealthSources } from './combo-metrics.ts';

const START = Date.UTC(2026, 0, 1);

function setup() {
  let now = START;
  const metrics = new ComboMetrics({ clock: () => now });
  return { metrics, advance: (ms: number) => (now += ms) };
}

const allUp: TargetHealthSources = { isAvailable: () => true };
const smart: ComboConfig = { name: 'smart', strategy: 'p2c', targets: [{ model: 'sonnet' }, { model: 'gemini-pro', weight: 2 }, { model: 'nested' }] };

describe('ComboMetrics', () => {
  it('counts combo requests and per-target attempts, in flight until settled', () => {
    const { metrics, advance } = setup();
    const request = metrics.startComboRequest('smart');
    const first = request.attempt('gemini-pro');
    const before = metrics.snapshot([smart]).combos[0]!;
    expect(before).toMatchObject({ requests: 1, successes: 0, failures: 0, inFlight: 1 });
    expect(before.targets).toEqual([expect.objectContaining({ model: 'gemini-pro', requests: 1, inFlight: 1, successRate: null, avgLatencyMs: null })]);

    advance(1_000);
    first.failed('429 rate limited');
    const second = request.attempt('sonnet');
    advance(500);
    second.succeeded(420);
    request.finish(true);

    expect(metrics.snapshot([smart])).toEqual({
      combos: [
        {
          name: 'smart',
          strategy: 'p2c',
          requests: 1,
          successes: 1,
          failures: 0,
          inFlight: 0,
          successRate: 100,
          lastUsedAt: new Date(START).toISOString(),
          targets: [
            {
              model: 'sonnet',
              requests: 1,
              successes: 1,
              failures: 0,
              inFlight: 0,
              successRate: 100,
              avgLatencyMs: 420,
              lastUsedAt: new Date(START + 1_000).toISOString(),
              lastSuccessAt: new Date(START + 1_500).toISOString(),
              lastError: null,
            },
            {
              model: 'gemini-pro',
              requests: 1,
              successes: 0,
              failures: 1,
              inFlight: 0,
              successRate: 0,
              avgLatencyMs: null,
              lastUsedAt: new Date(START).toISOString(),
              lastSuccessAt: null,
              lastError: '429 rate limited',
            },
          ],
        },
      ],
    });
  });

  it('lists targets reached through nested combos after the configured ones', () => {
    const { metrics } = setup();
    const request = metrics.startComboRequest('smart');
    request.attempt('opus').failed('boom');
    request.attempt('sonnet').succeeded(10);
    request.attempt('flash').succeeded(10);
    expect(metrics.snapshot([smart]).combos[0]!.targets.map((target) => target.model)).toEqual(['sonnet', 'opus', 'flash']);
  });

  it('ignores a second settle of an attempt and a second finish of a request', () => {
    const { metrics } = setup();
    const request = metrics.startComboRequest('smart');
    const attempt = request.attempt('sonnet');
    attempt.succeeded(100);
    attempt.failed('late error');
    attempt.succeeded(100);
    request.finish(true);
    request.finish(false);
    const view = metrics.snapshot([smart]).combos[0]!;
    expect(view).toMatchObject({ requests: 1, successes: 1, failures: 0, inFlight: 0 });
    expect(view.targets[0]).toMatchObject({ requests: 1, successes: 1, failures: 0, inFlight: 0, lastError: null });
  });

  it('lists every configured combo, with zeros when unused, and nothing for combos no longer configured', () => {
    const { metrics } = setup();
    metrics.startComboRequest('removed').finish(true);
    const cheap: ComboConfig = { name: 'cheap', strategy: 'cost-optimized', targets: [{ model: 'flash' }] };
    expect(metrics.snapshot([cheap])).toEqual({
      combos: [{ name: 'cheap', strategy: 'cost-optimized', requests: 0, successes: 0, failures: 0, inFlight: 0, successRate: null, lastUsedAt: null, targets: [] }],
    });
  });

  it('smooths latency to first byte (EWMA, newest sample weighs 0.2)', () => {
    const { metrics } = setup();
    metrics.startAttempt('sonnet').succeeded(1_000);
    metrics.startAttempt('sonnet').succeeded(2_000);
    metrics.startAttempt('sonnet').failed('failures carry no latency');
    expect(metrics.health('sonnet', allUp).latencyMs).toBe(1_200);
  });

  it('reports health for a model across combos and plain requests', () => {
    const { metrics, advance } = setup();
    metrics.startComboRequest('smart').attempt('sonnet').succeeded(300);
    advance(5_000);
    metrics.startAttempt('sonnet').failed('500');
    const pending = metrics.startAttempt('sonnet');
    const sources: TargetHealthSources = { isAvailable: () => false, isHalfOpen: (model) => model === 'sonnet', costPerMillion: () => 18 };
    expect(metrics.health('sonnet', sources)).toEqual({
      available: false,
      halfOpen: true,
      successRate: 0.5,
      latencyMs: 300,
      inFlight: 1,
      requests: 3,
      lastSuccessAt: START,
      costPerMillion: 18,
    });
    pending.succeeded(300);
    expect(metrics.health('sonnet', sources).inFlight).toBe(0);
  });

  it('computes the success rate over the latest 20 settled attempts only', () => {
    const { metrics } = setup();
    for (let i = 0; i < 20; i++) metrics.startAttempt('flash').failed('down');
    for (let i = 0; i < 15; i++) metrics.startAttempt('flash').succeeded(50);
    expect(metrics.health('flash', allUp).successRate).toBe(0.75);
    // The window slides: one more success pushes out one more old failure.
    metrics.startAttempt('flash').succeeded(50);
    expect(metrics.health('flash', allUp).successRate).toBe(0.8);
  });

  it('has no data for a model never tried, but still reports its availability', () => {
    const { metrics } = setup();
    expect(metrics.health('opus', { isAvailable: () => false })).toEqual({
      available: false,
      halfOpen: undefined,
      successRate: undefined,
      latencyMs: undefined,
      inFlight: undefined,
      requests: undefined,
      lastSuccessAt: undefined,
      costPerMillion: undefined,
    });
  });

  it('builds strategy contexts with health for the given models and a cursor per combo', () => {
    const { metrics } = setup();
    metrics.startAttempt('sonnet').succeeded(100);
    const random = () => 0.5;
    const sources: TargetHealthSources = { isAvailable: (model) => model !== 'flash' };
    const first = metrics.strategyContext('smart', ['sonnet', 'flash'], sources, random);
    expect(first.cursor).toBe(0);
    expect(first.random).toBe(random);
    expect([...first.health.keys()]).toEqual(['sonnet', 'flash']);
    expect(first.health.get('sonnet')).toMatchObject({ available: true, requests: 1, latencyMs: 100 });
    expect(first.health.get('flash')?.available).toBe(false);
    expect(metrics.strategyContext('smart', [], sources).cursor).toBe(1);
    expect(metrics.strategyContext('other', [], sources).cursor).toBe(0);
    expect(metrics.strategyContext('smart', [], sources).cursor).toBe(2);
  });
});
