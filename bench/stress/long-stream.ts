import { setTimeout as sleep } from 'node:timers/promises';
import type { RequestSpec } from '../bench-targets.ts';
import { MOCK_CHARS_PER_TOKEN } from '../../test/mock-upstream/tokens.ts';
import { median } from '../stats.ts';
import { measureWithOtherLoad } from './other-load.ts';
import { readRss, resetPeakRss, RssSampler } from './rss-sampler.ts';
import { runStressJob } from './run-stress-client.ts';
import type { StreamBurstResult } from './stress-jobs.ts';
import { withStressPeers } from './stress-peers.ts';
import { stressTarget, withMaxTokens } from './stress-requests.ts';
import type { LongStreamRoute, StressSettings } from './stress-settings.ts';

/** Quiet time after the warm-up (for its garbage to be collected) and after each long stream (to read what stays). */
const SETTLE_MS = 1_000;

/** One long stream as the client saw it; throughput over the body, first byte to last. */
export interface LongStreamRun {
  stream: StreamBurstResult;
  ttfbMs: number;
  bodyMs: number;
  tokensPerSecond: number;
  mbPerSecond: number;
}

export interface LongStreamRss {
  /** Just before the stream. */
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
}

export interface LongStreamRouteResult {
  route: LongStreamRoute;
  label: string;
  /** In order: the first after the short warm-up streams, then the repeats. */
  runs: (LongStreamRun & { rssMb: LongStreamRss })[];
  otherLoad: number;
}

export interface LongStreamResult {
  tokens: number;
  tokensPerChunk: number;
  warmupTokens: number;
  warmupStreams: number;
  /** The same stream straight from the mock: what the client and the mock manage without a gateway. */
  direct: LongStreamRun;
  routes: LongStreamRouteResult[];
}

async function readLongStream(request: RequestSpec, tokens: number): Promise<LongStreamRun> {
  const stream = await runStressJob({ kind: 'burst', request: withMaxTokens(request, tokens), streams: 1, expectTextChars: tokens * MOCK_CHARS_PER_TOKEN });
  if (stream.failures > 0) throw new Error(`long stream failed: ${stream.firstFailures.join('; ')}`);
  const bodyMs = stream.doneMs.max - stream.ttfbMs.max;
  return { stream, ttfbMs: stream.ttfbMs.max, bodyMs, tokensPerSecond: tokens / (bodyMs / 1000), mbPerSecond: stream.bytes / 1e6 / (bodyMs / 1000) };
}

/** One long stream with the gateway's RSS read before, sampled during, its exact peak, and read after. */
async function measuredLongStream(request: RequestSpec, tokens: number, pid: number, sampleMs: number): Promise<LongStreamRun & { rssMb: LongStreamRss }> {
  const before = readRss(pid).rssMb;
  resetPeakRss(pid);
  const sampler = new RssSampler(pid, sampleMs);
  const run = await readLongStream(request, tokens);
  const readings = sampler.stop();
  await sleep(SETTLE_MS);
  const end = readRss(pid);
  // The first reading is the one taken as the sampler started, before the client process was up.
  const atStart = (readings[1] ?? readings[0]!).rssMb;
  const peak = Math.max(readings.at(-1)!.hwmMb, end.hwmMb);
  return { ...run, rssMb: { before, atStart, peak, after: end.rssMb, growth: peak - before, samples: readings.length } };
}

/** The long streams over one route, on a gateway of its own (so one route's heap growth cannot hide the other's). */
async function longStreamsOver(route: LongStreamRoute, settings: StressSettings, withDirect: boolean): Promise<{ route: LongStreamRouteResult; direct?: LongStreamRun }> {
  const { tokens, tokensPerChunk, warmupTokens, warmupStreams, repeats } = settings.longStream;
  const nodeCeiling = route === 'node-ceiling';
  return withStressPeers({ mock: { latencyMs: 0, tokensPerChunk }, switchyardBin: settings.switchyardBin, nodeCeiling }, async ({ mock, gateway }) => {
    const urls = { mock: mock.url, gateway: gateway.url, nodeCeiling: nodeCeiling ? gateway.url : undefined };
    // Unpaced: the mock writes the whole answer at once and the client reads as fast as the gateway relays.
    const long = stressTarget(urls, route, { chunks: tokens, delayMs: 0 });
    const warm = stressTarget(urls, route, { chunks: warmupTokens, delayMs: 0 });
    for (let i = 0; i < warmupStreams; i++) await readLongStream(warm.unpacedStreamRequest, warmupTokens);
    await sleep(SETTLE_MS);
    const measured = await measureWithOtherLoad(async () => {
      const runs: LongStreamRouteResult['runs'] = [];
      for (let i = 0; i < repeats; i++) runs.push(await measuredLongStream(long.unpacedStreamRequest, tokens, gateway.process.pid, settings.rssSampleMs));
      return runs;
    });
    const direct = withDirect ? await readLongStream(stressTarget(urls, 'direct', { chunks: tokens, delayMs: 0 }).unpacedStreamRequest, tokens) : undefined;
    return { route: { route, label: long.label, runs: measured.result, otherLoad: measured.otherLoad }, direct };
  });
}

/**
 * One stream of `tokens` tokens read as fast as possible, per route, a few times in a row: a
 * gateway that relays chunk by chunk holds a constant amount of memory whatever the stream's length.
 */
export async function runLongStreamPhase(settings: StressSettings): Promise<LongStreamResult> {
  const routes: LongStreamRouteResult[] = [];
  let direct: LongStreamRun | undefined;
  for (const route of settings.longStream.routes) {
    const measured = await longStreamsOver(route, settings, direct === undefined);
    routes.push(measured.route);
    direct ??= measured.direct;
  }
  const { tokens, tokensPerChunk, warmupTokens, warmupStreams } = settings.longStream;
  if (!direct) throw new Error('the long-stream phase needs at least one route');
  return { tokens, tokensPerChunk, warmupTokens, warmupStreams, direct, routes };
}

/** The median throughput of a route's runs (the first run's heap growth costs it some). */
export function medianLongStreamRate(runs: readonly LongStreamRun[]): { tokensPerSecond: number; mbPerSecond: number } {
  return { tokensPerSecond: median(runs.map((run) => run.tokensPerSecond)), mbPerSecond: median(runs.map((run) => run.mbPerSecond)) };
}
