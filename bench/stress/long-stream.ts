import { setTimeout as sleep } from 'node:timers/promises';
import { MOCK_CHARS_PER_TOKEN } from '../../test/mock-upstream/tokens.ts';
import { measureWithOtherLoad } from './other-load.ts';
import { readRss, resetPeakRss, RssSampler } from './rss-sampler.ts';
import { runStressJob } from './run-stress-client.ts';
import type { StreamBurstResult } from './stress-jobs.ts';
import { withStressPeers } from './stress-peers.ts';
import { stressTarget, withMaxTokens } from './stress-requests.ts';
import type { LongStreamRoute, StressSettings } from './stress-settings.ts';

/** Quiet time after the warm-up (for its garbage to be collected) and after the long stream (to read what stays). */
const SETTLE_MS = 1_000;

export interface LongStreamRouteResult {
  route: LongStreamRoute;
  label: string;
  tokens: number;
  stream: StreamBurstResult;
  tokensPerSecond: number;
  mbPerSecond: number;
  rssMb: {
    /** Just before the long stream, after the warm-up streams. */
    before: number;
    /** The first sample once the stream was under way. */
    atStart: number;
    /** The exact peak during the stream (VmHWM, reset just before it). */
    peak: number;
    /** `SETTLE_MS` after the stream ended. */
    after: number;
    /** peak − before. */
    growth: number;
    samples: number;
  };
  otherLoad: number;
}

export interface LongStreamResult {
  tokens: number;
  tokensPerChunk: number;
  routes: LongStreamRouteResult[];
}

/** One long stream over one route, on a gateway of its own (so one route's heap growth cannot hide the other's). */
async function longStreamOver(route: LongStreamRoute, settings: StressSettings): Promise<LongStreamRouteResult> {
  const { tokens, tokensPerChunk, warmupTokens, warmupStreams } = settings.longStream;
  return withStressPeers({ mock: { latencyMs: 0, tokensPerChunk }, switchyardBin: settings.switchyardBin }, async ({ mock, gateway }) => {
    const urls = { mock: mock.url, gateway: gateway.url };
    // Unpaced: the mock writes the whole answer at once and the client reads as fast as the gateway relays.
    const long = stressTarget(urls, route, { chunks: tokens, delayMs: 0 });
    const warm = stressTarget(urls, route, { chunks: warmupTokens, delayMs: 0 });
    for (let i = 0; i < warmupStreams; i++) {
      const result = await runStressJob({ kind: 'burst', request: withMaxTokens(warm.warmStreamRequest, warmupTokens), streams: 1, expectTextChars: warmupTokens * MOCK_CHARS_PER_TOKEN });
      if (result.failures > 0) throw new Error(`${route}: warm-up stream failed: ${result.firstFailures.join('; ')}`);
    }
    await sleep(SETTLE_MS);
    const pid = gateway.process.pid;
    const measured = await measureWithOtherLoad(async () => {
      const before = readRss(pid).rssMb;
      resetPeakRss(pid);
      const sampler = new RssSampler(pid, settings.rssSampleMs);
      const stream = await runStressJob({ kind: 'burst', request: withMaxTokens(long.warmStreamRequest, tokens), streams: 1, expectTextChars: tokens * MOCK_CHARS_PER_TOKEN });
      const readings = sampler.stop();
      await sleep(SETTLE_MS);
      const end = readRss(pid);
      // The first reading is the one taken as the sampler started, before the client process was up.
      const atStart = (readings[1] ?? readings[0]!).rssMb;
      const peak = Math.max(readings.at(-1)!.hwmMb, end.hwmMb);
      return { stream, rssMb: { before, atStart, peak, after: end.rssMb, growth: peak - before, samples: readings.length } };
    });
    const { stream } = measured.result;
    return {
      route,
      label: long.label,
      tokens,
      stream,
      tokensPerSecond: tokens / stream.seconds,
      mbPerSecond: stream.bytes / 1e6 / stream.seconds,
      rssMb: measured.result.rssMb,
      otherLoad: measured.otherLoad,
    };
  });
}

/**
 * One stream of `tokens` tokens read as fast as possible, per route: a gateway that relays chunk
 * by chunk holds a constant amount of memory whatever the stream's length.
 */
export async function runLongStreamPhase(settings: StressSettings): Promise<LongStreamResult> {
  const routes: LongStreamRouteResult[] = [];
  for (const route of settings.longStream.routes) routes.push(await longStreamOver(route, settings));
  return { tokens: settings.longStream.tokens, tokensPerChunk: settings.longStream.tokensPerChunk, routes };
}
