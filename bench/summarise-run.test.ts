import { describe, expect, it } from 'vitest';
import type { BenchRun, BenchTargetInfo } from './run-bench.ts';
import { summariseRun } from './summarise-run.ts';

const target = (id: string, kind: BenchTargetInfo['kind'], baseline = 'direct'): BenchTargetInfo => ({ id, label: id, kind, baseline, translates: false });

/** A serial-only run: p50s and p99s in µs, every round median equal to the p50. */
function run(figures: Record<string, [p50: number, p99: number]>, failoverAttempts = [2, 2, 2]): BenchRun {
  const serialTargets = Object.fromEntries(
    Object.entries(figures).map(([id, [p50, p99]]) => [id, { roundMedians: [p50, p50, p50], p50, p99, count: 300, errors: 0 }]),
  );
  return {
    facts: { date: '2026-01-01T00:00:00.000Z', commit: 'test', cpu: 'test', cores: 2, kernel: 'test', node: 'v24', undici: '8' },
    settings: {
      mockLatencyMs: 0,
      serial: { warmup: 0, rounds: 3, perRound: 100 },
      throughput: { connections: 50, warmupMs: 0, durationMs: 0, tools: [] },
      otherConnections: [],
      stream: { chunks: 20, delayMs: 20, streams: 0 },
      pin: false,
      quiet: { threshold: 0.1, attempts: 1, waitMs: 0, budgetMs: 0 },
      timeLimitMs: 0,
    },
    pinning: 'none',
    targets: [target('direct', 'direct'), target('passthrough', 'switchyard'), target('direct-500', 'direct', 'direct-500'), target('failover', 'switchyard'), target('failover-cooling', 'switchyard')],
    serial: { targets: serialTargets },
    throughput: {},
    throughputAt: {},
    streams: { targets: {} },
    otherLoad: { serial: 0, streams: 0 },
    gatewayRssMb: { idle: 0, afterLoad: 0 },
    peerRssMb: {},
    failoverAttempts,
    seconds: 0,
    notes: [],
  };
}

const goal = (summary: ReturnType<typeof summariseRun>, start: string) => summary.goals.find((candidate) => candidate.goal.startsWith(start));

describe('failover summary', () => {
  it('charges failover with its added latency beyond passthrough, bounded by the failing call plus 1 ms', () => {
    const summary = summariseRun(
      run({ direct: [200, 1_000], passthrough: [500, 2_000], 'direct-500': [250, 1_500], failover: [1_900, 4_500], 'failover-cooling': [510, 2_100] }),
    );
    expect(summary.failover).toMatchObject({
      cost: { p50: 1_400, p99: 2_500 },
      bound: { p50: 1_250, p99: 2_500 },
      coolingCost: { p50: 10, p99: 100 },
    });
    expect(goal(summary, 'failover (primary 500 → fallback): added p50')?.pass).toBe(false);
    expect(goal(summary, 'failover (primary 500 → fallback): added p99')?.pass).toBe(true);
    expect(goal(summary, 'failover: every sampled answer')?.pass).toBe(true);
  });

  it('fails the run when a sampled answer did not fail over', () => {
    const summary = summariseRun(run({ direct: [200, 1_000], passthrough: [500, 2_000], 'direct-500': [250, 1_500], failover: [900, 3_000], 'failover-cooling': [500, 2_000] }, [2, 1, 2]));
    expect(goal(summary, 'failover (primary 500 → fallback): added p50')?.pass).toBe(true);
    expect(goal(summary, 'failover: every sampled answer')?.pass).toBe(false);
  });

  it('has no failover figures without the failing call to compare with', () => {
    const summary = summariseRun({ ...run({ direct: [200, 1_000], passthrough: [500, 2_000], failover: [900, 3_000], 'failover-cooling': [500, 2_000] }), targets: [target('direct', 'direct'), target('passthrough', 'switchyard'), target('failover', 'switchyard')] });
    expect(summary.failover).toBeUndefined();
    expect(summary.goals.some((candidate) => candidate.goal.startsWith('failover'))).toBe(false);
  });
});

/** Passthrough and its accounting twin: serial p50s in µs and closed-loop req/s (wrk). */
function accountingRun(p50: { passthrough: number; accounting: number }, rps: { passthrough: number; accounting: number }): BenchRun {
  const base = run({ direct: [200, 1_000], passthrough: [p50.passthrough, 2_000], 'passthrough-accounting': [p50.accounting, 2_000] });
  const closed = (value: number) => ({ requests: value, totalRequests: value, errors: 0, seconds: 1, rps: value, p50: 1_000, p99: 2_000, serverCpuUs: 50, otherLoad: 0 });
  return {
    ...base,
    targets: [target('direct', 'direct'), target('passthrough', 'switchyard'), target('passthrough-accounting', 'switchyard')],
    throughput: { wrk: { direct: closed(20_000), passthrough: closed(rps.passthrough), 'passthrough-accounting': closed(rps.accounting) } },
  };
}

describe('usage recording goals', () => {
  it('passes at 0.9× throughput and 0.1 ms more added p50', () => {
    const summary = summariseRun(accountingRun({ passthrough: 500, accounting: 600 }, { passthrough: 10_000, accounting: 9_000 }));
    expect(goal(summary, 'usage recording + main.log on: throughput')?.pass).toBe(true);
    expect(goal(summary, 'usage recording + main.log on: added p50')?.pass).toBe(true);
  });

  it('fails below 0.9× throughput or beyond 0.1 ms more added p50', () => {
    const summary = summariseRun(accountingRun({ passthrough: 500, accounting: 601 }, { passthrough: 10_000, accounting: 8_999 }));
    expect(goal(summary, 'usage recording + main.log on: throughput')?.pass).toBe(false);
    expect(goal(summary, 'usage recording + main.log on: added p50')?.pass).toBe(false);
  });

  it('judges throughput by the median of the alternating rounds when there are some, not by the single measurement', () => {
    const rounds = [
      { off: 10_000, on: 8_000 },
      { off: 10_000, on: 9_300 },
      { off: 9_000, on: 8_300 },
    ];
    const passing = summariseRun({ ...accountingRun({ passthrough: 500, accounting: 600 }, { passthrough: 10_000, accounting: 8_000 }), featureRounds: rounds });
    expect(goal(passing, 'usage recording + main.log on: throughput')).toMatchObject({ pass: true, measured: '0.92× (rounds 0.80, 0.93, 0.92)' });
    const failing = summariseRun({
      ...accountingRun({ passthrough: 500, accounting: 600 }, { passthrough: 10_000, accounting: 9_500 }),
      featureRounds: [...rounds.slice(1), { off: 10_000, on: 8_900 }, { off: 10_000, on: 8_000 }, { off: 10_000, on: 8_500 }],
    });
    expect(goal(failing, 'usage recording + main.log on: throughput')?.pass).toBe(false);
  });

  it('has no usage recording goals without the accounting row', () => {
    const summary = summariseRun(run({ direct: [200, 1_000], passthrough: [500, 2_000], 'direct-500': [250, 1_500], failover: [900, 3_000], 'failover-cooling': [500, 2_000] }));
    expect(summary.goals.some((candidate) => candidate.goal.startsWith('usage recording'))).toBe(false);
  });
});
