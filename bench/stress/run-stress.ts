import { installBenchWatchdog } from '../bench-process.ts';
import { describePinning } from '../cpu-pinning.ts';
import { runColdStartPhase, settledAfterMs, type ColdStartResult } from './cold-start.ts';
import { runConcurrentStreamsPhase, type ConcurrentStreamsResult } from './concurrent-streams.ts';
import { runLongStreamPhase, type LongStreamResult } from './long-stream.ts';
import { OPEN_LOOP_TARGETS, runOpenLoopPhase, type OpenLoopPhaseResult } from './open-loop.ts';
import { runSoakPhase, type SoakResult } from './soak.ts';
import type { StressPhase, StressSettings } from './stress-settings.ts';

/** A phase's result, or why it could not finish (a crash under stress is a result too). */
export type PhaseOutcome<T> = { ok: true; result: T; seconds: number } | { ok: false; error: string; seconds: number };

export interface StressResult {
  settings: StressSettings;
  pinning: string;
  coldStart?: PhaseOutcome<ColdStartResult>;
  concurrentStreams?: PhaseOutcome<ConcurrentStreamsResult>;
  longStream?: PhaseOutcome<LongStreamResult>;
  openLoop?: PhaseOutcome<OpenLoopPhaseResult>;
  soak?: PhaseOutcome<SoakResult>;
  seconds: number;
}

/** Start-up, warm-ups and settling around each phase's measured time, generously. */
const PHASE_OVERHEAD_MS = 60_000;

function log(message: string): void {
  process.stderr.write(`bench: stress: ${message}\n`);
}

async function outcome<T>(phase: StressPhase, run: () => Promise<T>): Promise<PhaseOutcome<T>> {
  const startedAt = performance.now();
  const seconds = () => (performance.now() - startedAt) / 1000;
  try {
    const result = await run();
    log(`${phase} done in ${seconds().toFixed(0)} s`);
    return { ok: true, result, seconds: seconds() };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`${phase} failed: ${message.split('\n')[0]}`);
    return { ok: false, error: message, seconds: seconds() };
  }
}

/** An upper bound of the run's time, for the watchdog. */
function timeLimitMs(settings: StressSettings): number {
  const { coldStart, openLoop, soak } = settings;
  // Each start waits for the gateway's idle memory release, then the bare Node proxy's start waits once more.
  const coldStartMs = coldStart.starts * (settledAfterMs(settings) + coldStart.idleAfterMs);
  const openLoopMs = OPEN_LOOP_TARGETS * openLoop.quiet.attempts * (openLoop.slices * openLoop.warmupMs + openLoop.durationMs) + openLoop.quiet.budgetMs;
  return settings.phases.length * PHASE_OVERHEAD_MS + coldStartMs + openLoopMs + soak.warmupMs + soak.durationMs;
}

/**
 * Runs the selected stress phases one after another; each starts its own mock and gateway and
 * stops them, so any subset runs alone. A watchdog stops every process if the run hangs.
 */
export async function runStressPhases(settings: StressSettings): Promise<StressResult> {
  const startedAt = performance.now();
  const stopWatchdog = installBenchWatchdog(timeLimitMs(settings));
  const wants = (phase: StressPhase) => settings.phases.includes(phase);
  const result: StressResult = { settings, pinning: describePinning(), seconds: 0 };
  try {
    if (wants('cold-start')) {
      log(`cold start: ${settings.coldStart.starts} starts`);
      result.coldStart = await outcome('cold-start', () => runColdStartPhase(settings));
    }
    if (wants('concurrent-streams')) {
      const { streams, chunks, delayMs } = settings.concurrentStreams;
      log(`concurrent streams: ${streams} at once, ${chunks} chunks ${delayMs} ms apart, direct then through the gateway`);
      result.concurrentStreams = await outcome('concurrent-streams', () => runConcurrentStreamsPhase(settings));
    }
    if (wants('long-stream')) {
      log(`long stream: ${settings.longStream.tokens} tokens × ${settings.longStream.repeats} per route (${settings.longStream.routes.join(', ')})`);
      result.longStream = await outcome('long-stream', () => runLongStreamPhase(settings));
    }
    if (wants('open-loop')) {
      log(`open loop: ${settings.openLoop.rate} req/s for ${settings.openLoop.durationMs / 1000} s per target in ${settings.openLoop.slices} alternating slices`);
      result.openLoop = await outcome('open-loop', () => runOpenLoopPhase(settings));
    }
    if (wants('soak')) {
      log(`soak: ${settings.soak.rate} req/s for ${settings.soak.durationMs / 1000} s after ${settings.soak.warmupMs / 1000} s warm-up`);
      result.soak = await outcome('soak', () => runSoakPhase(settings));
    }
  } finally {
    stopWatchdog();
  }
  result.seconds = (performance.now() - startedAt) / 1000;
  return result;
}
