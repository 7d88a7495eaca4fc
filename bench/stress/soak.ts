import { median } from '../stats.ts';
import { measureWithOtherLoad } from './other-load.ts';
import { peakRssMb, readingsBetween, RssSampler, type RssReading } from './rss-sampler.ts';
import { runStressJob } from './run-stress-client.ts';
import type { OpenLoopRequest, OpenLoopResult } from './stress-jobs.ts';
import { withStressPeers } from './stress-peers.ts';
import { stressTarget } from './stress-requests.ts';
import type { StressSettings } from './stress-settings.ts';

/** The start and end RSS are medians over this share of the measured time (at most 30 s), so one GC does not decide the drift. */
const EDGE_SHARE = 0.1;
const EDGE_MAX_MS = 30_000;

export interface SoakResult {
  rate: number;
  durationMs: number;
  warmupMs: number;
  sampleEveryMs: number;
  load: OpenLoopResult;
  /** Mix of the load: request id and label. */
  mix: { id: string; label: string }[];
  rssMb: {
    /** Median over the first `edgeMs` after the warm-up. */
    start: number;
    /** Median over the last `edgeMs`. */
    end: number;
    max: number;
    /** end − start, in MB and as a share of start. */
    drift: number;
    driftShare: number;
    edgeMs: number;
  };
  /** Every RSS sample: seconds since the load started, MB. */
  samples: [number, number][];
  otherLoad: number;
}

function medianRss(readings: RssReading[], fallback: RssReading | undefined): number {
  if (readings.length > 0) return median(readings.map((reading) => reading.rssMb));
  return fallback?.rssMb ?? Number.NaN;
}

/**
 * A long run of mixed load at a moderate fixed rate (plain and streamed, passthrough and
 * translated), the gateway's RSS sampled every few seconds: memory that grows with the number of
 * requests served shows as drift between the start and the end.
 */
export async function runSoakPhase(settings: StressSettings): Promise<SoakResult> {
  const { rate, durationMs, warmupMs, sampleEveryMs, streamChunks, connections } = settings.soak;
  return withStressPeers({ mock: { latencyMs: 0 }, switchyardBin: settings.switchyardBin }, async ({ mock, gateway }) => {
    const urls = { mock: mock.url, gateway: gateway.url };
    const shape = { chunks: streamChunks, delayMs: 0 };
    const passthrough = stressTarget(urls, 'passthrough', shape);
    const translated = stressTarget(urls, 'anthropic-to-openai', shape);
    const requests: OpenLoopRequest[] = [
      { id: 'passthrough', request: passthrough.request, stream: false },
      { id: 'passthrough-stream', request: passthrough.unpacedStreamRequest, stream: true },
      { id: 'anthropic-to-openai', request: translated.request, stream: false },
      { id: 'anthropic-to-openai-stream', request: translated.unpacedStreamRequest, stream: true },
    ];
    const mix = [
      { id: 'passthrough', label: passthrough.label },
      { id: 'passthrough-stream', label: `${passthrough.label}, stream of ${streamChunks} chunks` },
      { id: 'anthropic-to-openai', label: translated.label },
      { id: 'anthropic-to-openai-stream', label: `${translated.label}, stream of ${streamChunks} chunks` },
    ];
    const measured = await measureWithOtherLoad(async () => {
      const sampler = new RssSampler(gateway.process.pid, sampleEveryMs);
      const startedAt = performance.now();
      const load = await runStressJob({ kind: 'open', requests, rate, warmupMs, durationMs, connections });
      const endedAt = performance.now();
      return { load, readings: sampler.stop(), startedAt, endedAt };
    });
    const { load, readings, startedAt, endedAt } = measured.result;
    const measuredFrom = startedAt + warmupMs;
    const edgeMs = Math.min(EDGE_MAX_MS, durationMs * EDGE_SHARE);
    const window = readingsBetween(readings, measuredFrom, endedAt);
    const start = medianRss(readingsBetween(readings, measuredFrom, measuredFrom + edgeMs), window[0]);
    const end = medianRss(readingsBetween(readings, endedAt - edgeMs, endedAt), window.at(-1));
    return {
      rate,
      durationMs,
      warmupMs,
      sampleEveryMs,
      load,
      mix,
      rssMb: { start, end, max: peakRssMb(window), drift: end - start, driftShare: (end - start) / start, edgeMs },
      samples: readings.map((reading) => [Math.round((reading.atMs - startedAt) / 100) / 10, Math.round(reading.rssMb * 10) / 10]),
      otherLoad: measured.otherLoad,
    };
  });
}
