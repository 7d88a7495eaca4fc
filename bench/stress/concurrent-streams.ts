import type { RequestSpec } from '../bench-targets.ts';
import { mockFillerText } from '../../test/mock-upstream/tokens.ts';
import { listenOverflows } from './listen-overflows.ts';
import { measureWithOtherLoad } from './other-load.ts';
import { peakRssMb, readRss, resetPeakRss, RssSampler } from './rss-sampler.ts';
import { runStressJob } from './run-stress-client.ts';
import type { StreamBurstResult } from './stress-jobs.ts';
import { withStressPeers } from './stress-peers.ts';
import { stressTarget } from './stress-requests.ts';
import type { StressSettings } from './stress-settings.ts';

/** Unpaced streams sent through each route first, so the measured burst meets warm code. */
const WARMUP_STREAMS = 50;

/** A burst, and the connections the machine's listen queues dropped meanwhile (retried a second later). */
export interface CountedBurst extends StreamBurstResult {
  listenOverflows: number;
}

export interface ConcurrentStreamsResult {
  streams: number;
  chunks: number;
  delayMs: number;
  direct: CountedBurst;
  gateway: CountedBurst;
  /** Gateway RSS just before its burst, the exact peak during it (VmHWM), and just after. */
  gatewayRssMb: { before: number; peak: number; sampledPeak: number; after: number };
  otherLoad: number;
}

/**
 * 1,000 OpenAI chat streams opened at once, each `chunks` chunks `delayMs` apart, straight to the
 * mock and then through the gateway's passthrough: every stream must arrive whole.
 */
export async function runConcurrentStreamsPhase(settings: StressSettings): Promise<ConcurrentStreamsResult> {
  const { streams, chunks, delayMs } = settings.concurrentStreams;
  return withStressPeers({ mock: { latencyMs: 0 }, switchyardBin: settings.switchyardBin }, async ({ mock, gateway }) => {
    const urls = { mock: mock.url, gateway: gateway.url };
    const direct = stressTarget(urls, 'direct', { chunks, delayMs });
    const passthrough = stressTarget(urls, 'passthrough', { chunks, delayMs });
    const expect = { expectChunks: chunks, expectText: mockFillerText(chunks) };
    for (const target of [direct, passthrough]) {
      const warm = await runStressJob({ kind: 'burst', request: target.unpacedStreamRequest, streams: WARMUP_STREAMS, ...expect });
      if (warm.failures > 0) throw new Error(`${target.id}: warm-up streams failed: ${warm.firstFailures.join('; ')}`);
    }
    const pid = gateway.process.pid;
    const counted = async (request: RequestSpec): Promise<CountedBurst> => {
      const overflowsBefore = listenOverflows();
      const burst = await runStressJob({ kind: 'burst', request, streams, ...expect });
      return { ...burst, listenOverflows: listenOverflows() - overflowsBefore };
    };
    const measured = await measureWithOtherLoad(async () => {
      const directBurst = await counted(direct.streamRequest);
      const before = readRss(pid).rssMb;
      resetPeakRss(pid);
      const sampler = new RssSampler(pid, settings.rssSampleMs);
      const gatewayBurst = await counted(passthrough.streamRequest);
      const readings = sampler.stop();
      const last = readings.at(-1)!;
      return { direct: directBurst, gateway: gatewayBurst, gatewayRssMb: { before, peak: last.hwmMb, sampledPeak: peakRssMb(readings), after: last.rssMb } };
    });
    return { streams, chunks, delayMs, ...measured.result, otherLoad: measured.otherLoad };
  });
}
