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

/** A proxy's RSS over the soak. */
export interface SoakRss {
  /** Median over the first `edgeMs` after the warm-up. */
  start: number;
  /** Median over the last `edgeMs`. */
  end: number;
  max: number;
  /** end − start, in MB and as a share of start. */
  drift: number;
  driftShare: number;
  edgeMs: number;
}

export interface SoakResult {
  /** Requests per second to Switchyard, and as many to the bare Node proxy beside it. */
  rate: number;
  durationMs: number;
  warmupMs: number;
  sampleEveryMs: number;
  load: OpenLoopResult;
  /** Mix of the load: request id and label. */
  mix: { id: string; label: string }[];
  rssMb: SoakRss;
  /** Every RSS sample: seconds since the load started, MB. */
  samples: [number, number][];
  /** The bare node:http + undici proxy under the same schedule: what Node's own memory does. */
  nodeCeiling?: { rssMb: SoakRss; samples: [number, number][] };
  otherLoad: number;
}

function medianRss(readings: RssReading[], fallback: RssReading | undefined): number {
  if (readings.length > 0) return median(readings.map((reading) => reading.rssMb));
  return fallback?.rssMb ?? Number.NaN;
}

function soakRss(readings: RssReading[], measuredFrom: number, endedAt: number, edgeMs: number): SoakRss {
  const window = readingsBetween(readings, measuredFrom, endedAt);
  const start = medianRss(readingsBetween(readings, measuredFrom, measuredFrom + edgeMs), window[0]);
  const end = medianRss(readingsBetween(readings, endedAt - edgeMs, endedAt), window.at(-1));
  return { start, end, max: peakRssMb(window), drift: end - start, driftShare: (end - start) / start, edgeMs };
}

function rssSamples(readings: RssReading[], startedAt: number): [number, number][] {
  return readings.map((reading) => [Math.round((reading.atMs - startedAt) / 100) / 10, Math.round(reading.rssMb * 10) / 10]);
}

/**
 * A long run of mixed load at a moderate fixed rate (plain and streamed, passthrough and
 * translated), the gateway's RSS sampled every few seconds: memory that grows with the number of
 * requests served shows as drift between the start and the end. The bare Node proxy gets as many
 * requests on the same schedule, interleaved (plain and streamed, it only forwards): its drift,
 * measured the same way, is what Node and undici do by themselves.
 */
export async function runSoakPhase(settings: StressSettings): Promise<SoakResult> {
  const { rate, durationMs, warmupMs, sampleEveryMs, streamChunks, connections } = settings.soak;
  const peers = { mock: { latencyMs: 0 }, switchyardBin: settings.switchyardBin, nodeCeilingBeside: true } as const;
  return withStressPeers(peers, async ({ mock, gateway, nodeCeiling: ceiling }) => {
    const urls = { mock: mock.url, gateway: gateway.url, nodeCeiling: ceiling.url };
    const shape = { chunks: streamChunks, delayMs: 0 };
    const passthrough = stressTarget(urls, 'passthrough', shape);
    const translated = stressTarget(urls, 'anthropic-to-openai', shape);
    const bare = stressTarget(urls, 'node-ceiling', shape);
    const ceilingPlain: OpenLoopRequest = { id: 'node-ceiling', request: bare.request, stream: false };
    const ceilingStream: OpenLoopRequest = { id: 'node-ceiling-stream', request: bare.unpacedStreamRequest, stream: true };
    // Every other request goes to the bare proxy, plain and streamed in the same proportion.
    const requests: OpenLoopRequest[] = [
      { id: 'passthrough', request: passthrough.request, stream: false },
      ceilingPlain,
      { id: 'passthrough-stream', request: passthrough.unpacedStreamRequest, stream: true },
      ceilingStream,
      { id: 'anthropic-to-openai', request: translated.request, stream: false },
      ceilingPlain,
      { id: 'anthropic-to-openai-stream', request: translated.unpacedStreamRequest, stream: true },
      ceilingStream,
    ];
    const mix = [
      { id: 'passthrough', label: passthrough.label },
      { id: 'passthrough-stream', label: `${passthrough.label}, stream of ${streamChunks} chunks` },
      { id: 'anthropic-to-openai', label: translated.label },
      { id: 'anthropic-to-openai-stream', label: `${translated.label}, stream of ${streamChunks} chunks` },
      { id: 'node-ceiling', label: bare.label },
      { id: 'node-ceiling-stream', label: `${bare.label}, stream of ${streamChunks} chunks` },
    ];
    const measured = await measureWithOtherLoad(async () => {
      const sampler = new RssSampler(gateway.process.pid, sampleEveryMs);
      const ceilingSampler = new RssSampler(ceiling.process.pid, sampleEveryMs);
      const startedAt = performance.now();
      const load = await runStressJob({ kind: 'open', requests, rate: rate * 2, warmupMs, durationMs, connections });
      const endedAt = performance.now();
      return { load, readings: sampler.stop(), ceilingReadings: ceilingSampler.stop(), startedAt, endedAt };
    });
    const { load, readings, ceilingReadings, startedAt, endedAt } = measured.result;
    const measuredFrom = startedAt + warmupMs;
    const edgeMs = Math.min(EDGE_MAX_MS, durationMs * EDGE_SHARE);
    return {
      rate,
      durationMs,
      warmupMs,
      sampleEveryMs,
      load,
      mix,
      rssMb: soakRss(readings, measuredFrom, endedAt, edgeMs),
      samples: rssSamples(readings, startedAt),
      nodeCeiling: { rssMb: soakRss(ceilingReadings, measuredFrom, endedAt, edgeMs), samples: rssSamples(ceilingReadings, startedAt) },
      otherLoad: measured.otherLoad,
    };
  });
}
