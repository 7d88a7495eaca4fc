import { percentile } from '../stats.ts';
import type { OpenLoopResult } from './stress-jobs.ts';

/** One slice of a target's open-loop run, with the share of the machine other processes used and the attempts it took. */
export interface OpenLoopSlice extends OpenLoopResult {
  otherLoad: number;
  attempts: number;
}

/** A target's slices pooled: percentiles over every sample of every slice; `sendLagMs` is the worst slice's. */
export interface OpenLoopRun extends Omit<OpenLoopResult, 'byKind' | 'samples'> {
  slices: number;
  otherLoad: number;
  attempts: number;
}

/**
 * Pools the slices of one target. Percentiles come from all samples together, not from the
 * slices' percentiles, so each slice weighs by its answers.
 */
export function poolOpenLoopSlices(slices: readonly OpenLoopSlice[], sliceMs: number): OpenLoopRun {
  const samples = slices.flatMap((slice) => slice.samples ?? []).sort((a, b) => a - b);
  const sum = (pick: (slice: OpenLoopSlice) => number) => slices.reduce((total, slice) => total + pick(slice), 0);
  const max = (pick: (slice: OpenLoopSlice) => number) => Math.max(...slices.map(pick));
  return {
    slices: slices.length,
    scheduled: sum((slice) => slice.scheduled),
    completed: sum((slice) => slice.completed),
    errors: sum((slice) => slice.errors),
    warmupErrors: sum((slice) => slice.warmupErrors),
    firstError: slices.find((slice) => slice.firstError)?.firstError,
    achievedRate: sum((slice) => slice.completed) / ((slices.length * sliceMs) / 1000),
    latency: { p50: percentile(samples, 50), p99: percentile(samples, 99), max: samples.at(-1) ?? Number.NaN },
    sendLagMs: { p99: max((slice) => slice.sendLagMs.p99), max: max((slice) => slice.sendLagMs.max) },
    otherLoad: max((slice) => slice.otherLoad),
    attempts: sum((slice) => slice.attempts),
  };
}
