import { measureQuietly, QuietBudget } from '../foreign-cpu.ts';
import { poolOpenLoopSlices, type OpenLoopRun, type OpenLoopSlice } from './pool-open-loop.ts';
import { peakRssMb, RssSampler } from './rss-sampler.ts';
import { runStressJob } from './run-stress-client.ts';
import { withStressPeers } from './stress-peers.ts';
import { stressTarget } from './stress-requests.ts';
import type { StressSettings } from './stress-settings.ts';

export interface OpenLoopPhaseResult {
  rate: number;
  durationMs: number;
  slices: number;
  mockLatencyMs: number;
  direct: OpenLoopRun;
  gateway: OpenLoopRun;
  /** Gateway minus direct, in ms. */
  added: { p50: number; p99: number };
  /** The bare Node proxy in the same slices, as evidence of what Node itself adds to this tail. */
  nodeCeiling: OpenLoopRun;
  nodeCeilingAdded: { p50: number; p99: number };
  gatewayPeakRssMb: number;
}

const TARGETS = ['direct', 'passthrough', 'node-ceiling'] as const;
/** Targets the phase measures, each for the whole duration: for the run's time limit. */
export const OPEN_LOOP_TARGETS = TARGETS.length;

/**
 * A fixed rate of plain OpenAI chat requests, on schedule whatever the answers do, against a mock
 * that answers after `mockLatencyMs` (so requests overlap as real ones do), straight to the mock
 * and through the gateway's passthrough. The added p99 is a difference of two tails a few ms
 * apart, and two identical direct runs differ by about that much: so each target's time is cut
 * into slices that alternate (direct, gateway, bare Node proxy, then the other way round), every slice with its own
 * warm-up and repeated (within a budget) while other processes disturbed it, and the slices of a
 * target are pooled.
 */
export async function runOpenLoopPhase(settings: StressSettings): Promise<OpenLoopPhaseResult> {
  const { rate, durationMs, slices, warmupMs, mockLatencyMs, connections, quiet } = settings.openLoop;
  const sliceMs = durationMs / slices;
  const budget = new QuietBudget(quiet.budgetMs);
  const peers = { mock: { latencyMs: mockLatencyMs }, switchyardBin: settings.switchyardBin, nodeCeilingBeside: true } as const;
  return withStressPeers(peers, async ({ mock, gateway, nodeCeiling: ceiling }) => {
    const urls = { mock: mock.url, gateway: gateway.url, nodeCeiling: ceiling.url };
    const runs: Record<(typeof TARGETS)[number], OpenLoopSlice[]> = { direct: [], passthrough: [], 'node-ceiling': [] };
    const sampler = new RssSampler(gateway.process.pid, settings.rssSampleMs);
    for (let slice = 0; slice < slices; slice++) {
      for (const id of slice % 2 === 0 ? TARGETS : [...TARGETS].reverse()) {
        const request = stressTarget(urls, id, { chunks: 1, delayMs: 0 }).request;
        const job = { kind: 'open' as const, requests: [{ id, request, stream: false }], rate, warmupMs, durationMs: sliceMs, connections, keepSamples: true };
        const measured = await measureQuietly(() => runStressJob(job), quiet, budget);
        runs[id].push({ ...measured.result, otherLoad: measured.otherLoad, attempts: measured.attempts });
      }
    }
    const direct = poolOpenLoopSlices(runs.direct, sliceMs);
    const added = (run: OpenLoopRun) => ({ p50: run.latency.p50 - direct.latency.p50, p99: run.latency.p99 - direct.latency.p99 });
    const through = poolOpenLoopSlices(runs.passthrough, sliceMs);
    const nodeCeiling = poolOpenLoopSlices(runs['node-ceiling'], sliceMs);
    return {
      rate,
      durationMs,
      slices,
      mockLatencyMs,
      direct,
      gateway: through,
      added: added(through),
      nodeCeiling,
      nodeCeilingAdded: added(nodeCeiling),
      gatewayPeakRssMb: peakRssMb(sampler.stop()),
    };
  });
}
