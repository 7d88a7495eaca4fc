import { measureWithOtherLoad } from './other-load.ts';
import { peakRssMb, RssSampler } from './rss-sampler.ts';
import { runStressJob } from './run-stress-client.ts';
import type { OpenLoopResult } from './stress-jobs.ts';
import { withStressPeers } from './stress-peers.ts';
import { stressTarget } from './stress-requests.ts';
import type { StressSettings } from './stress-settings.ts';

export interface OpenLoopPhaseResult {
  rate: number;
  durationMs: number;
  mockLatencyMs: number;
  direct: OpenLoopResult;
  gateway: OpenLoopResult;
  /** Gateway minus direct, in ms. */
  added: { p50: number; p99: number };
  gatewayPeakRssMb: number;
  otherLoad: number;
}

/**
 * A fixed rate of plain OpenAI chat requests, on schedule whatever the answers do, against a mock
 * that answers after `mockLatencyMs` (so requests overlap as real ones do): straight to the mock,
 * then through the gateway's passthrough, each with its own warm-up at the same rate.
 */
export async function runOpenLoopPhase(settings: StressSettings): Promise<OpenLoopPhaseResult> {
  const { rate, durationMs, warmupMs, mockLatencyMs, connections } = settings.openLoop;
  return withStressPeers({ mock: { latencyMs: mockLatencyMs }, switchyardBin: settings.switchyardBin }, async ({ mock, gateway }) => {
    const urls = { mock: mock.url, gateway: gateway.url };
    const shape = { chunks: 1, delayMs: 0 };
    const job = (id: string) => ({ kind: 'open' as const, requests: [{ id, request: stressTarget(urls, id, shape).request, stream: false }], rate, warmupMs, durationMs, connections });
    const measured = await measureWithOtherLoad(async () => {
      const direct = await runStressJob(job('direct'));
      const sampler = new RssSampler(gateway.process.pid, settings.rssSampleMs);
      const through = await runStressJob(job('passthrough'));
      return { direct, gateway: through, gatewayPeakRssMb: peakRssMb(sampler.stop()) };
    });
    const { direct, gateway: through } = measured.result;
    return {
      rate,
      durationMs,
      mockLatencyMs,
      ...measured.result,
      added: { p50: through.latency.p50 - direct.latency.p50, p99: through.latency.p99 - direct.latency.p99 },
      otherLoad: measured.otherLoad,
    };
  });
}
