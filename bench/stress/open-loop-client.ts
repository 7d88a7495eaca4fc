import { setTimeout as sleep } from 'node:timers/promises';
import { StringDecoder } from 'node:string_decoder';
import { Pool } from 'undici';
import { percentile } from '../stats.ts';
import { readStressJob } from './read-stress-job.ts';
import { SseTally, sseDialectOf } from './sse-tally.ts';
import type { LatencyFigures, OpenLoopJob, OpenLoopKindResult, OpenLoopRequest, OpenLoopResult } from './stress-jobs.ts';

/**
 * The open-loop load generator (`node bench/stress/open-loop-client.ts`, job on stdin): sends
 * request i at start + i / rate whatever the answers do, and times each answer from that
 * scheduled moment. A closed loop waits for answers before sending more, so a server that stalls
 * receives fewer requests during its stall and its worst latencies go unseen; here they count.
 */

const job = await readStressJob<OpenLoopJob>();
const pools = new Map<string, Pool>();
const poolFor = (origin: string): Pool => {
  let pool = pools.get(origin);
  if (!pool) {
    pool = new Pool(origin, { connections: job.connections, pipelining: 1, keepAliveTimeout: 60_000 });
    pools.set(origin, pool);
  }
  return pool;
};

/** Undefined when the answer is what a client expects; otherwise why not. */
async function send(kind: OpenLoopRequest): Promise<string | undefined> {
  const { request } = kind;
  try {
    const response = await poolFor(request.origin).request({ path: request.path, method: 'POST', headers: request.headers, body: request.body });
    if (response.statusCode !== (request.expectStatus ?? 200)) return `${kind.id}: HTTP ${response.statusCode}: ${(await response.body.text()).slice(0, 200)}`;
    if (!kind.stream) {
      await response.body.dump({ limit: Number.MAX_SAFE_INTEGER });
      return undefined;
    }
    const tally = new SseTally(sseDialectOf(request.path));
    const decoder = new StringDecoder('utf8');
    for await (const chunk of response.body) tally.push(decoder.write(chunk as Buffer));
    tally.push(decoder.end());
    tally.end();
    if (tally.error) return `${kind.id}: in-stream error ${tally.error}`;
    return tally.done ? undefined : `${kind.id}: stream ended without its end marker after ${tally.contentChunks} chunks`;
  } catch (error) {
    return `${kind.id}: ${(error as NodeJS.ErrnoException).code ?? ''} ${(error as Error).message}`;
  }
}

const intervalMs = 1000 / job.rate;
const warmupCount = Math.round((job.warmupMs / 1000) * job.rate);
const total = warmupCount + Math.round((job.durationMs / 1000) * job.rate);
const latencies = new Map(job.requests.map((kind) => [kind.id, [] as number[]]));
const errorCounts = new Map(job.requests.map((kind) => [kind.id, 0]));
const sendLags: number[] = [];
let warmupErrors = 0;
let firstError: string | undefined;
const pending: Promise<void>[] = [];

function fire(index: number, scheduledAt: number, now: number): void {
  const kind = job.requests[index % job.requests.length]!;
  const measured = index >= warmupCount;
  if (measured) sendLags.push(now - scheduledAt);
  pending.push(
    send(kind).then((error) => {
      const latency = performance.now() - scheduledAt;
      if (error !== undefined) {
        firstError ??= error;
        if (measured) errorCounts.set(kind.id, errorCounts.get(kind.id)! + 1);
        else warmupErrors++;
      } else if (measured) {
        latencies.get(kind.id)!.push(latency);
      }
    }),
  );
}

// Timers fire about every millisecond: each wake-up sends every request whose time has come.
const startAt = performance.now() + 20;
let next = 0;
while (next < total) {
  const now = performance.now();
  while (next < total && startAt + next * intervalMs <= now) {
    fire(next, startAt + next * intervalMs, now);
    next++;
  }
  if (next < total) await sleep(Math.max(1, Math.min(10, startAt + next * intervalMs - performance.now())));
}
await Promise.all(pending);
await Promise.all([...pools.values()].map((pool) => pool.destroy()));

function figures(values: number[]): LatencyFigures {
  values.sort((a, b) => a - b);
  return { p50: percentile(values, 50), p99: percentile(values, 99), max: values.at(-1) ?? Number.NaN };
}

const byKind: Record<string, OpenLoopKindResult> = {};
for (const kind of job.requests) {
  const values = latencies.get(kind.id)!;
  byKind[kind.id] = { completed: values.length, errors: errorCounts.get(kind.id)!, ...figures([...values]) };
}
const all = [...latencies.values()].flat();
const lag = figures(sendLags);
const result: OpenLoopResult = {
  scheduled: total - warmupCount,
  completed: all.length,
  errors: [...errorCounts.values()].reduce((sum, count) => sum + count, 0),
  warmupErrors,
  firstError,
  achievedRate: all.length / (job.durationMs / 1000),
  latency: figures(all),
  sendLagMs: { p99: lag.p99, max: lag.max },
  byKind,
  ...(job.keepSamples ? { samples: all.map((latency) => Math.round(latency * 1000) / 1000) } : {}),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
