import { describe, expect, it } from 'vitest';
import type { StressResult } from './run-stress.ts';
import { stressGoals } from './stress-goals.ts';
import { QUICK_STRESS_SETTINGS } from './stress-settings.ts';

const latency = { p50: 61, p99: 70, max: 80 };
const openLoop = (p50: number, p99: number, errors = 0) => ({
  slices: 2,
  scheduled: 2500,
  completed: 2500 - errors,
  errors,
  warmupErrors: 0,
  achievedRate: 500,
  latency: { ...latency, p50, p99 },
  sendLagMs: { p99: 1, max: 2 },
  otherLoad: 0,
  attempts: 2,
});

describe('stressGoals', () => {
  it('judges the cold start on the median, idle RSS once the gateway gave memory back, and the open loop on the added p99', () => {
    const result: StressResult = {
      settings: QUICK_STRESS_SETTINGS,
      pinning: 'none',
      seconds: 1,
      coldStart: {
        ok: true,
        seconds: 1,
        result: {
          samples: [400, 450, 900].map((ms) => ({ firstAnswerMs: ms, listeningMs: ms - 20, polls: 100, idleRssMb: 90, idleAnonMb: 45, settledRssMb: 75, settledAnonMb: 40 })),
          medianMs: 450,
          maxMs: 900,
          idleRssMb: { median: 90, max: 90, privateMedian: 45 },
          idleAfterMs: 2000,
          settledRssMb: { median: 75, max: 75, privateMedian: 40 },
          settledAfterMs: 12000,
          nodeCeiling: { samples: [], medianMs: 60, idleRssMb: { median: 77, max: 78, privateMedian: 24 } },
          otherLoad: 0,
        },
      },
      openLoop: {
        ok: true,
        seconds: 1,
        result: {
          rate: 500,
          durationMs: 5000,
          slices: 2,
          mockLatencyMs: 60,
          direct: openLoop(61, 70),
          gateway: openLoop(61.5, 73, 1),
          added: { p50: 0.5, p99: 3 },
          nodeCeiling: openLoop(61.4, 74),
          nodeCeilingAdded: { p50: 0.4, p99: 4 },
          gatewayPeakRssMb: 150,
        },
      },
    };
    expect(stressGoals(result).map((goal) => [goal.measured, goal.pass])).toEqual([
      ['450 ms (max 900 ms)', true],
      ['75.0 MB (max 75.0 MB; private 40.0 MB; 90.0 MB 2 s after)', true],
      ['77.0 MB (max 78.0 MB; private 24.0 MB); 60 ms', undefined],
      ['+3.00 ms (p50 +0.50 ms)', false],
      ['+4.00 ms (p50 +0.40 ms; 0 errors)', undefined],
      ['1 of 2,500 (direct: 0)', false],
    ]);
  });

  it('judges each Switchyard route of the long stream, and shows the Node ceiling without a verdict', () => {
    const run = (before: number, growth: number) => ({
      stream: {} as never,
      ttfbMs: 1,
      bodyMs: 100,
      tokensPerSecond: 1,
      mbPerSecond: 1,
      rssMb: { before, atStart: before, peak: before + growth, after: before + growth, growth, samples: 10 },
    });
    const route = (id: 'passthrough' | 'node-ceiling', label: string, growths: number[]) => ({ route: id, label, runs: growths.map((growth) => run(100, growth)), otherLoad: 0 });
    const result: StressResult = {
      settings: QUICK_STRESS_SETTINGS,
      pinning: 'none',
      seconds: 1,
      longStream: {
        ok: true,
        seconds: 1,
        result: {
          tokens: 500_000,
          tokensPerChunk: 50,
          warmupTokens: 5_000,
          warmupStreams: 3,
          direct: run(0, 0),
          routes: [route('passthrough', 'passthrough', [6, 1.5, 0.1]), route('node-ceiling', 'the Node ceiling', [4, 5.7, 1.6])],
        },
      },
    };
    expect(stressGoals(result).map((goal) => [goal.measured.split(' (')[0], goal.pass])).toEqual([
      ['+6.0 MB', false],
      ['+0.1 MB', true],
      ['+4.0 MB, +5.7 MB, +1.6 MB', undefined],
    ]);
  });

  it('judges the soak on Switchyard alone, with the bare Node proxy beside it as evidence', () => {
    const rss = (start: number, end: number) => ({ start, end, max: end, drift: end - start, driftShare: (end - start) / start, edgeMs: 1_000 });
    const kind = (errors: number) => ({ completed: 100 - errors, errors, ...latency });
    const soak = (switchyardErrors: number, ceilingErrors: number) => ({
      ok: true as const,
      seconds: 1,
      result: {
        rate: 10,
        durationMs: 10_000,
        warmupMs: 2_000,
        sampleEveryMs: 500,
        load: {
          scheduled: 200,
          completed: 200 - switchyardErrors - ceilingErrors,
          errors: switchyardErrors + ceilingErrors,
          warmupErrors: 0,
          achievedRate: 20,
          latency,
          sendLagMs: { p99: 1, max: 2 },
          byKind: { passthrough: kind(switchyardErrors), 'node-ceiling': kind(ceilingErrors) },
        },
        mix: [
          { id: 'passthrough', label: 'passthrough' },
          { id: 'node-ceiling', label: 'the Node ceiling' },
        ],
        rssMb: rss(180, 207),
        samples: [],
        nodeCeiling: { rssMb: rss(200, 210), samples: [] },
        otherLoad: 0,
      },
    });
    const judged = (switchyardErrors: number, ceilingErrors: number) =>
      stressGoals({ settings: QUICK_STRESS_SETTINGS, pinning: 'none', seconds: 1, soak: soak(switchyardErrors, ceilingErrors) }).map((goal) => [goal.measured, goal.pass]);
    expect(judged(0, 3)).toEqual([
      ['+15.0% (180.0 MB → 207.0 MB, max 207.0 MB); the bare Node proxy beside it +5.0% (200.0 MB → 210.0 MB, max 210.0 MB)', false],
      ['0 of 120 (the bare Node proxy: 3)', true],
    ]);
    expect(judged(2, 0)[1]).toEqual(['2 of 120 (the bare Node proxy: 0)', false]);
  });

  it('fails every goal of a phase that did not finish', () => {
    const result: StressResult = { settings: QUICK_STRESS_SETTINGS, pinning: 'none', seconds: 1, soak: { ok: false, error: 'switchyard exited with 1\nstack', seconds: 3 } };
    const goals = stressGoals(result);
    expect(goals).toHaveLength(2);
    expect(goals.every((goal) => goal.pass === false && goal.measured === 'phase failed: switchyard exited with 1')).toBe(true);
  });
});
