import { readFileSync, writeFileSync } from 'node:fs';

/** One reading of a process's memory, in MB; `atMs` is a `performance.now()` value. */
export interface RssReading {
  atMs: number;
  rssMb: number;
  /** VmHWM: the highest RSS the process ever had, so a peak between two samples is not lost. */
  hwmMb: number;
  /** RssAnon: the private part; the rest is mostly the Node binary's code pages, shared by every Node process. */
  anonMb: number;
}

function statusField(status: string, field: string): number {
  const kb = Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

export function readRss(pid: number): RssReading {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return { atMs: performance.now(), rssMb: statusField(status, 'VmRSS'), hwmMb: statusField(status, 'VmHWM'), anonMb: statusField(status, 'RssAnon') };
}

/**
 * Resets VmHWM to the current RSS (Linux ≥ 4.0, our own child), so that VmHWM read afterwards is
 * the exact peak since then, however short: a 100 ms sampler can miss a peak a fast stream makes.
 */
export function resetPeakRss(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

/** Reads a process's RSS every `everyMs` until stopped (or until the process is gone). */
export class RssSampler {
  readonly readings: RssReading[] = [];
  private readonly timer: NodeJS.Timeout;
  private readonly pid: number;

  constructor(pid: number, everyMs: number) {
    this.pid = pid;
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  private sample(): void {
    try {
      this.readings.push(readRss(this.pid));
    } catch {
      // The process exited (a crash under load): the phase reports it, the readings so far stand.
      clearInterval(this.timer);
    }
  }

  stop(): RssReading[] {
    clearInterval(this.timer);
    this.sample();
    return this.readings;
  }
}

/** Readings taken in [fromMs, toMs). */
export function readingsBetween(readings: readonly RssReading[], fromMs: number, toMs: number): RssReading[] {
  return readings.filter((reading) => reading.atMs >= fromMs && reading.atMs < toMs);
}

/** Highest RSS among the readings, in MB (NaN when there are none). */
export function peakRssMb(readings: readonly RssReading[]): number {
  return readings.length === 0 ? Number.NaN : Math.max(...readings.map((reading) => reading.rssMb));
}
