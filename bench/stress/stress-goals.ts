import type { PhaseOutcome, StressResult } from './run-stress.ts';
import type { SoakResult, SoakRss } from './soak.ts';

/** The issue's limits for the stress phases. */
export const STRESS_LIMITS = {
  coldStartMs: 500,
  idleRssMb: 80,
  concurrentRssMb: 200,
  longStreamGrowthMb: 5,
  openLoopAddedP99Ms: 2,
  soakDriftShare: 0.1,
} as const;

/** One row of the goals table; `pass` undefined is information, not a verdict. */
export interface StressGoal {
  goal: string;
  measured: string;
  pass?: boolean;
}

const count = (value: number): string => Math.round(value).toLocaleString('en-US');
const mb = (value: number): string => `${value.toFixed(1)} MB`;
const driftText = (rss: SoakRss): string => `${rss.driftShare >= 0 ? '+' : '−'}${Math.abs(rss.driftShare * 100).toFixed(1)}% (${mb(rss.start)} → ${mb(rss.end)}, max ${mb(rss.max)})`;

/** Errors of the soak's Switchyard requests (the bare Node proxy's kinds are counted apart). Warm-up errors are not told apart, so they count against both. */
function switchyardErrors(soak: SoakResult): number {
  return soak.mix.filter(({ id }) => !id.startsWith('node-ceiling')).reduce((sum, { id }) => sum + (soak.load.byKind[id]?.errors ?? 0), 0);
}
const signedMb = (value: number): string => `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(1)} MB`;
const signedMs = (value: number): string => `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(2)} ms`;
const ordinal = (n: number): string => (n === 1 ? '1st' : n === 2 ? '2nd' : n === 3 ? '3rd' : `${n}th`);

/** A phase that did not finish fails each of its goals, with its error as the measurement. */
function phaseGoals<T>(outcome: PhaseOutcome<T> | undefined, goals: string[], check: (result: T) => StressGoal[]): StressGoal[] {
  if (!outcome) return [];
  if (!outcome.ok) return goals.map((goal) => ({ goal, measured: `phase failed: ${outcome.error.split('\n')[0]}`, pass: false }));
  return check(outcome.result);
}

/** Every stress goal with its verdict, in phase order. */
export function stressGoals(result: StressResult): StressGoal[] {
  const { settings } = result;
  const limits = STRESS_LIMITS;
  const streams = count(settings.concurrentStreams.streams);
  const rate = count(settings.openLoop.rate);
  return [
    ...phaseGoals(result.coldStart, [`cold start ≤ ${limits.coldStartMs} ms`, `idle RSS ≤ ${limits.idleRssMb} MB`], (cold) => [
      {
        goal: `cold start (spawn → first 200 of a chat request), median of ${cold.samples.length} ≤ ${limits.coldStartMs} ms`,
        measured: `${cold.medianMs.toFixed(0)} ms (max ${cold.maxMs.toFixed(0)} ms)`,
        pass: cold.medianMs <= limits.coldStartMs,
      },
      {
        goal: `idle RSS ${cold.settledAfterMs / 1000} s after the first 200 (the gateway's idle memory release done) ≤ ${limits.idleRssMb} MB`,
        measured: `${mb(cold.settledRssMb.median)} (max ${mb(cold.settledRssMb.max)}; private ${mb(cold.settledRssMb.privateMedian)}; ${mb(cold.idleRssMb.median)} ${cold.idleAfterMs / 1000} s after)`,
        pass: cold.settledRssMb.median <= limits.idleRssMb,
      },
      {
        goal: `the Node ceiling (bare node:http + undici proxy), started the same way: idle RSS ${cold.idleAfterMs / 1000} s after its first 200, and its cold start`,
        measured: `${mb(cold.nodeCeiling.idleRssMb.median)} (max ${mb(cold.nodeCeiling.idleRssMb.max)}; private ${mb(cold.nodeCeiling.idleRssMb.privateMedian)}); ${cold.nodeCeiling.medianMs.toFixed(0)} ms`,
      },
    ]),
    ...phaseGoals(result.concurrentStreams, [`${streams} concurrent streams: 0 failures`, `${streams} concurrent streams: RSS ≤ ${limits.concurrentRssMb} MB`], (run) => [
      {
        goal: `${streams} concurrent streams through Switchyard: 0 failures (each complete, ending with its end marker)`,
        measured: `${count(run.gateway.failures)} of ${streams} (direct: ${count(run.direct.failures)})`,
        pass: run.gateway.failures === 0,
      },
      {
        goal: `${streams} concurrent streams: Switchyard peak RSS ≤ ${limits.concurrentRssMb} MB`,
        measured: `${mb(run.gatewayRssMb.peak)} (${mb(run.gatewayRssMb.before)} before)`,
        pass: run.gatewayRssMb.peak <= limits.concurrentRssMb,
      },
    ]),
    ...phaseGoals(result.longStream, [`long stream: RSS growth ≤ ${limits.longStreamGrowthMb} MB`], (long) =>
      long.routes.flatMap((route) => {
        const tokens = count(long.tokens);
        if (route.route === 'node-ceiling') {
          return [
            {
              goal: `for comparison, ${route.label}, stream of ${tokens} tokens: RSS growth of each long stream in a row`,
              measured: route.runs.map((run) => signedMb(run.rssMb.growth)).join(', '),
            },
          ];
        }
        const first = route.runs[0]!;
        const last = route.runs.at(-1)!;
        const rows: StressGoal[] = [
          {
            goal: `${route.label}, stream of ${tokens} tokens: RSS growth ≤ ${limits.longStreamGrowthMb} MB, first long stream (after ${long.warmupStreams} warm-up streams of ${count(long.warmupTokens)} tokens)`,
            measured: `${signedMb(first.rssMb.growth)} (${mb(first.rssMb.before)} → peak ${mb(first.rssMb.peak)})`,
            pass: first.rssMb.growth <= limits.longStreamGrowthMb,
          },
        ];
        if (route.runs.length > 1) {
          rows.push({
            goal: `${route.label}, stream of ${tokens} tokens: RSS growth ≤ ${limits.longStreamGrowthMb} MB, ${ordinal(route.runs.length)} long stream in a row (heap grown)`,
            measured: `${signedMb(last.rssMb.growth)} (${mb(last.rssMb.before)} → peak ${mb(last.rssMb.peak)})`,
            pass: last.rssMb.growth <= limits.longStreamGrowthMb,
          });
        }
        return rows;
      }),
    ),
    ...phaseGoals(result.openLoop, [`open loop ${rate} req/s: added p99 ≤ ${limits.openLoopAddedP99Ms} ms`, `open loop ${rate} req/s: 0 errors`], (open) => [
      {
        goal: `open loop ${rate} req/s (mock latency ${open.mockLatencyMs} ms): passthrough added p99 ≤ ${limits.openLoopAddedP99Ms} ms`,
        measured: `${signedMs(open.added.p99)} (p50 ${signedMs(open.added.p50)})`,
        pass: open.added.p99 <= limits.openLoopAddedP99Ms,
      },
      {
        goal: `for comparison, the Node ceiling (bare node:http + undici proxy) in the same slices: added p99`,
        measured: `${signedMs(open.nodeCeilingAdded.p99)} (p50 ${signedMs(open.nodeCeilingAdded.p50)}; ${count(open.nodeCeiling.errors + open.nodeCeiling.warmupErrors)} errors)`,
      },
      {
        goal: `open loop ${rate} req/s: 0 errors through Switchyard`,
        measured: `${count(open.gateway.errors + open.gateway.warmupErrors)} of ${count(open.gateway.scheduled)} (direct: ${count(open.direct.errors + open.direct.warmupErrors)})`,
        pass: open.gateway.errors + open.gateway.warmupErrors === 0,
      },
    ]),
    ...phaseGoals(result.soak, [`soak: RSS drift ≤ ${limits.soakDriftShare * 100}%`, 'soak: 0 errors'], (soak) => {
      const minutes = soak.durationMs / 60_000;
      const span = minutes >= 1 ? `${minutes.toFixed(minutes % 1 === 0 ? 0 : 1)} min` : `${(soak.durationMs / 1000).toFixed(0)} s`;
      const ownErrors = switchyardErrors(soak);
      return [
        {
          goal: `soak ${span} at ${count(soak.rate)} req/s (mixed): RSS drift ≤ ${limits.soakDriftShare * 100}%`,
          measured: `${driftText(soak.rssMb)}${soak.nodeCeiling ? `; the bare Node proxy beside it ${driftText(soak.nodeCeiling.rssMb)}` : ''}`,
          pass: soak.rssMb.driftShare <= limits.soakDriftShare,
        },
        {
          goal: 'soak: 0 errors',
          measured: `${count(ownErrors + soak.load.warmupErrors)} of ${count(soak.rate * ((soak.durationMs + soak.warmupMs) / 1000))}${soak.nodeCeiling ? ` (the bare Node proxy: ${count(soak.load.errors - ownErrors)})` : ''}`,
          pass: ownErrors + soak.load.warmupErrors === 0,
        },
      ];
    }),
  ];
}
