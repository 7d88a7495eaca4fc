import type { QuietPolicy } from '../foreign-cpu.ts';

export const STRESS_PHASES = ['cold-start', 'concurrent-streams', 'long-stream', 'open-loop', 'soak'] as const;

export type StressPhase = (typeof STRESS_PHASES)[number];

/**
 * The routes the long stream runs over: passthrough, one translation, which has buffers of its
 * own, and the bare Node proxy (no goal: what a Node relay that parses nothing does alone).
 */
export type LongStreamRoute = 'passthrough' | 'anthropic-to-openai' | 'node-ceiling';

export interface StressSettings {
  /** Phases to run, in this order. */
  phases: StressPhase[];
  coldStart: {
    starts: number;
    /** How long after the first 200 the idle RSS is read. */
    idleAfterMs: number;
    /** Pause between polls while the gateway does not answer yet. */
    pollEveryMs: number;
  };
  concurrentStreams: {
    streams: number;
    /** Content chunks per stream (one token each) and the mock's pause between them. */
    chunks: number;
    delayMs: number;
  };
  longStream: {
    tokens: number;
    /** Tokens per upstream chunk: many, so that the mock is never the bottleneck. */
    tokensPerChunk: number;
    /** Tokens of each warm-up stream, sent before the baseline RSS is read so lazy allocations are done. */
    warmupTokens: number;
    warmupStreams: number;
    /**
     * Long streams per route, one after another. The first grows V8's heap to its working size
     * (young generation and old-space pages: about the same MB for 500,000 tokens as for
     * 2,000,000); the last shows what a stream itself holds.
     */
    repeats: number;
    routes: LongStreamRoute[];
  };
  openLoop: {
    /** Requests per second, sent on schedule whatever the answers do. */
    rate: number;
    /** Measured per target in all, split into `slices` runs that alternate direct and gateway. */
    durationMs: number;
    slices: number;
    /** Sent on the same schedule before each slice's measured window, not counted. */
    warmupMs: number;
    mockLatencyMs: number;
    connections: number;
    /**
     * When to repeat a target's run disturbed by other processes (the added p99 is a difference of
     * two tails, and a busy shared core moves a tail by tens of ms), and the time the phase may
     * spend on waits and repeats.
     */
    quiet: QuietPolicy & { budgetMs: number };
  };
  soak: {
    rate: number;
    /** Measured time, after the warm-up. */
    durationMs: number;
    warmupMs: number;
    /** Interval of the RSS samples. */
    sampleEveryMs: number;
    /** Content chunks of the mix's (unpaced) streams. */
    streamChunks: number;
    connections: number;
  };
  /** Interval of the RSS samples in every phase but the soak. */
  rssSampleMs: number;
  /** Another checkout's bin/switchyard.js, to compare builds (default: this checkout's). */
  switchyardBin?: string;
}

/** The full run's sizes; every phase but the soak fits in about two minutes together. */
export const FULL_STRESS_SETTINGS: StressSettings = {
  phases: [...STRESS_PHASES],
  coldStart: { starts: 5, idleAfterMs: 2_000, pollEveryMs: 2 },
  concurrentStreams: { streams: 1_000, chunks: 50, delayMs: 20 },
  longStream: { tokens: 500_000, tokensPerChunk: 50, warmupTokens: 5_000, warmupStreams: 3, repeats: 3, routes: ['passthrough', 'anthropic-to-openai', 'node-ceiling'] },
  openLoop: { rate: 1_000, durationMs: 20_000, slices: 4, warmupMs: 1_000, mockLatencyMs: 60, connections: 512, quiet: { threshold: 0.05, attempts: 3, waitMs: 5_000, budgetMs: 40_000 } },
  soak: { rate: 300, durationMs: 10 * 60_000, warmupMs: 30_000, sampleEveryMs: 2_000, streamChunks: 20, connections: 256 },
  rssSampleMs: 100,
};

/** Every phase in at most about 20 s, for a quick run. */
export const QUICK_STRESS_SETTINGS: StressSettings = {
  phases: [...STRESS_PHASES],
  coldStart: { starts: 3, idleAfterMs: 2_000, pollEveryMs: 2 },
  concurrentStreams: { streams: 200, chunks: 20, delayMs: 20 },
  longStream: { tokens: 50_000, tokensPerChunk: 50, warmupTokens: 2_000, warmupStreams: 2, repeats: 2, routes: ['passthrough', 'anthropic-to-openai', 'node-ceiling'] },
  openLoop: { rate: 500, durationMs: 5_000, slices: 2, warmupMs: 1_000, mockLatencyMs: 60, connections: 256, quiet: { threshold: 0.1, attempts: 1, waitMs: 0, budgetMs: 0 } },
  soak: { rate: 200, durationMs: 12_000, warmupMs: 4_000, sampleEveryMs: 500, streamChunks: 20, connections: 128 },
  rssSampleMs: 100,
};
