import type { RequestSpec } from './bench-targets.ts';

/** What the load-generator process is asked to do; it answers with the matching result as JSON. */
export type LoadJob = SerialJob | ClosedLoopJob | StreamJob;

export interface NamedRequest {
  id: string;
  request: RequestSpec;
}

/**
 * One connection per target; each round repeats `perRound` times "one request to every target,
 * in a fresh random order", so drift and noise hit all targets alike (gwbench's method).
 */
export interface SerialJob {
  kind: 'serial';
  targets: NamedRequest[];
  warmup: number;
  rounds: number;
  perRound: number;
}

/** `connections` loops, each sending its next request as soon as the previous one is answered. */
export interface ClosedLoopJob {
  kind: 'closed';
  request: RequestSpec;
  connections: number;
  warmupMs: number;
  durationMs: number;
}

/** Streams one after another per target, timing every read of the body. */
export interface StreamJob {
  kind: 'stream';
  /** `warmup`: the same stream without the mock's pacing, sent `warmups` times first to warm the code paths. */
  targets: (NamedRequest & { warmup: RequestSpec })[];
  warmups: number;
  streams: number;
  /** The mock's delay between chunks: reads further apart than half of it are separate deliveries. */
  delayMs: number;
  /** Matches one content chunk (one token of the mock's filler text) in any dialect's framing. */
  contentPattern: string;
}

/** Latencies in microseconds. */
export interface SerialTargetResult {
  roundMedians: number[];
  p50: number;
  p99: number;
  count: number;
  errors: number;
  firstError?: string;
}

export interface SerialResult {
  targets: Record<string, SerialTargetResult>;
}

export interface ClosedLoopResult {
  /** Answered within the measured window. */
  requests: number;
  /** Answered in all, warm-up included (to divide the server's CPU time by). */
  totalRequests: number;
  errors: number;
  firstError?: string;
  seconds: number;
  rps: number;
  /** Microseconds. */
  p50: number;
  p99: number;
}

/** Milliseconds from sending the request. */
export interface StreamSample {
  ttfb: number;
  /** Time to the first delivery carrying a content chunk. */
  ttft: number;
  total: number;
  /** Deliveries (body reads grouped when closer than half the mock's delay) carrying content. */
  contentDeliveries: number;
  /** Most content chunks seen in one delivery: above 1 means chunks were held back and coalesced. */
  maxChunksPerDelivery: number;
  /** Time between consecutive content deliveries. */
  gaps: number[];
}

export interface StreamTargetResult {
  samples: StreamSample[];
  errors: number;
  firstError?: string;
}

export interface StreamResult {
  targets: Record<string, StreamTargetResult>;
}
