import type { RequestSpec } from '../bench-targets.ts';

/** What the stress load-generator processes are asked to do; each answers with its result as JSON. */
export type StressJob = StreamBurstJob | OpenLoopJob;

/**
 * `streams` copies of one streaming request, all sent at once over as many connections, each read
 * as fast as it comes. A stream is complete with a 200, its end marker, and (when given) exactly
 * `expectChunks` content chunks and `expectText` as their text, or `expectTextChars` characters.
 */
export interface StreamBurstJob {
  kind: 'burst';
  request: RequestSpec;
  streams: number;
  expectChunks?: number;
  expectText?: string;
  expectTextChars?: number;
}

export interface StreamBurstResult {
  streams: number;
  complete: number;
  failures: number;
  /** Failures per kind (`HTTP 502`, `no end marker`, `chunks 48/50`, a network error code...). */
  failureKinds: Record<string, number>;
  /** The first few failures in full. */
  firstFailures: string[];
  /** From sending the first request to the end of the last stream. */
  seconds: number;
  /** Milliseconds from the burst's start: first body byte, and end of each stream. */
  ttfbMs: { p50: number; max: number };
  doneMs: { p50: number; max: number };
  bytes: number;
  contentChunks: number;
  textChars: number;
}

/** One kind of request in an open-loop mix; streamed ones must end with their end marker. */
export interface OpenLoopRequest {
  id: string;
  request: RequestSpec;
  stream: boolean;
}

/**
 * Requests sent on a fixed schedule, `rate` per second, whatever the answers do, the mix's kinds
 * in turn. Latency counts from the scheduled send time, so a stalled server cannot slow the
 * schedule down and hide its own stall (no coordinated omission). Requests scheduled in the first
 * `warmupMs` are sent but kept out of the figures.
 */
export interface OpenLoopJob {
  kind: 'open';
  requests: OpenLoopRequest[];
  rate: number;
  warmupMs: number;
  durationMs: number;
  connections: number;
  /** Return every measured latency too, so that several runs can be pooled. */
  keepSamples?: boolean;
}

/** Milliseconds. */
export interface LatencyFigures {
  p50: number;
  p99: number;
  max: number;
}

export interface OpenLoopKindResult extends LatencyFigures {
  completed: number;
  errors: number;
}

export interface OpenLoopResult {
  /** Requests scheduled in the measured window. */
  scheduled: number;
  completed: number;
  errors: number;
  /** Errors among the warm-up requests (not in the figures, but an error all the same). */
  warmupErrors: number;
  firstError?: string;
  /** Completed answers per second of the measured window. */
  achievedRate: number;
  latency: LatencyFigures;
  /** How late the generator sent requests against their schedule: above a millisecond or two, it could not keep up. */
  sendLagMs: { p99: number; max: number };
  byKind: Record<string, OpenLoopKindResult>;
  /** Every measured latency in ms (rounded to µs), when the job asked for them. */
  samples?: number[];
}
