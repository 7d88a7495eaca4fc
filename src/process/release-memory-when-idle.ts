import { releaseMemory } from './release-memory.ts';

export interface ProcessActivity {
  /** `performance.now()` of the last request's arrival (or of the start, before any). */
  lastRequestAt(): number;
  /** Work that a pause would hold up is under way (a stream being relayed). */
  busy(): boolean;
}

/**
 * How long a process waits without a request before it gives memory back. The collection costs
 * the next burst of work: V8 regrows its young generation and recompiles what the collection
 * dropped, and a burst right after a release measured 121 µs of CPU per request for its first
 * seconds instead of 98 (docs/performance.md). A minute keeps that off short pauses between
 * requests and off the benchmark's gaps, and a gateway left alone still shrinks soon.
 */
export const IDLE_RELEASE_AFTER_MS = 60_000;

/** How often a release that is turned off looks whether a reloaded config turned it on. */
const OFF_RECHECK_MS = 60_000;

export interface IdleMemoryRelease {
  stop(): void;
}

/**
 * Gives memory back once the process has gone `quietMs()` without a request and nothing is in
 * flight that a pause would hold up; then not again until requests have come and gone quiet
 * again. Polls instead of being told of each request, so that serving a request costs nothing
 * but the timestamp the server keeps anyway. The period is read at each check, so a reloaded
 * config applies from the next one; 0 turns the release off (and is checked again a minute on).
 */
export function releaseMemoryWhenIdle(activity: ProcessActivity, quietMs: () => number, release: () => unknown = releaseMemory): IdleMemoryRelease {
  let releasedAfter = Number.NaN;
  let timer: NodeJS.Timeout;
  const check = () => {
    const period = quietMs();
    if (period <= 0) {
      arm(OFF_RECHECK_MS);
      return;
    }
    const last = activity.lastRequestAt();
    const quietFor = performance.now() - last;
    if (last !== releasedAfter && quietFor >= period && !activity.busy()) {
      release();
      releasedAfter = last;
    }
    arm(last === releasedAfter || quietFor >= period ? period : period - quietFor);
  };
  const arm = (delayMs: number) => {
    timer = setTimeout(check, delayMs);
    timer.unref();
  };
  const period = quietMs();
  arm(period > 0 ? period : OFF_RECHECK_MS);
  return { stop: () => clearTimeout(timer) };
}
