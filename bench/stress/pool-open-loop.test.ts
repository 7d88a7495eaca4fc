import { describe, expect, it } from 'vitest';
import { poolOpenLoopSlices, type OpenLoopSlice } from './pool-open-loop.ts';

function slice(samples: number[], extra: Partial<OpenLoopSlice> = {}): OpenLoopSlice {
  return {
    scheduled: samples.length,
    completed: samples.length,
    errors: 0,
    warmupErrors: 0,
    achievedRate: 0,
    latency: { p50: 0, p99: 0, max: 0 },
    sendLagMs: { p99: 1, max: 2 },
    byKind: {},
    samples,
    otherLoad: 0,
    attempts: 1,
    ...extra,
  };
}

describe('poolOpenLoopSlices', () => {
  it('takes percentiles over all samples, sums counts and keeps the worst slice', () => {
    const fast = Array.from({ length: 99 }, () => 61);
    const pooled = poolOpenLoopSlices(
      [slice(fast, { otherLoad: 0.02 }), slice([...fast.slice(0, 98), 90, 95], { errors: 1, firstError: 'HTTP 502', sendLagMs: { p99: 3, max: 9 }, attempts: 2 })],
      1_000,
    );
    expect(pooled).toMatchObject({
      slices: 2,
      completed: 199,
      errors: 1,
      firstError: 'HTTP 502',
      achievedRate: 99.5,
      latency: { p50: 61, p99: 90, max: 95 },
      sendLagMs: { p99: 3, max: 9 },
      otherLoad: 0.02,
      attempts: 3,
    });
  });
});
