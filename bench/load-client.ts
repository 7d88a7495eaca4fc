import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';
import { text } from 'node:stream/consumers';
import { Pool } from 'undici';
import type { RequestSpec } from './bench-targets.ts';
import type { ClosedLoopJob, ClosedLoopResult, LoadJob, SerialJob, SerialResult, SerialTargetResult, StreamJob, StreamResult, StreamSample } from './load-jobs.ts';
import { median, percentile } from './stats.ts';
import { analyseDeliveries, type TimedRead } from './stream-deliveries.ts';

/**
 * The load generator, run as its own process (`node bench/load-client.ts JOB_JSON`) so that it
 * never shares an event loop with what it measures. undici Pool, closed loop, hrtime latencies.
 */

const now = (): bigint => process.hrtime.bigint();
const micros = (from: bigint, to: bigint): number => Number(to - from) / 1000;

function poolFor(request: RequestSpec, connections: number): Pool {
  return new Pool(request.origin, { connections, pipelining: 1, keepAliveTimeout: 60_000 });
}

interface Outcome {
  ok: boolean;
  error?: string;
}

async function send(pool: Pool, request: RequestSpec): Promise<Outcome> {
  try {
    const response = await pool.request({ path: request.path, method: 'POST', headers: request.headers, body: request.body });
    if (response.statusCode === (request.expectStatus ?? 200)) {
      await response.body.dump({ limit: Number.MAX_SAFE_INTEGER });
      return { ok: true };
    }
    const text = await response.body.text();
    return { ok: false, error: `HTTP ${response.statusCode}: ${text.slice(0, 300)}` };
  } catch (error) {
    return { ok: false, error: String(error) };
  }
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

async function runSerial(job: SerialJob): Promise<SerialResult> {
  const pools = new Map(job.targets.map((target) => [target.id, poolFor(target.request, 1)]));
  const samples = new Map(job.targets.map((target) => [target.id, [] as number[]]));
  const results: Record<string, SerialTargetResult> = {};
  for (const target of job.targets) results[target.id] = { roundMedians: [], p50: 0, p99: 0, count: 0, errors: 0 };

  for (let i = 0; i < job.warmup; i++) for (const target of job.targets) await send(pools.get(target.id)!, target.request);
  const order = [...job.targets];
  for (let round = 0; round < job.rounds; round++) {
    const roundSamples = new Map(job.targets.map((target) => [target.id, [] as number[]]));
    for (let i = 0; i < job.perRound; i++) {
      for (const target of shuffle(order)) {
        const start = now();
        const outcome = await send(pools.get(target.id)!, target.request);
        const elapsed = micros(start, now());
        const result = results[target.id]!;
        if (!outcome.ok) {
          result.errors++;
          result.firstError ??= outcome.error;
          continue;
        }
        roundSamples.get(target.id)!.push(elapsed);
        samples.get(target.id)!.push(elapsed);
      }
    }
    for (const [id, values] of roundSamples) if (values.length > 0) results[id]!.roundMedians.push(median(values));
  }
  for (const [id, values] of samples) {
    const result = results[id]!;
    result.count = values.length;
    values.sort((a, b) => a - b);
    result.p50 = percentile(values, 50);
    result.p99 = percentile(values, 99);
  }
  await Promise.all([...pools.values()].map((pool) => pool.close()));
  return { targets: results };
}

async function runClosedLoop(job: ClosedLoopJob): Promise<ClosedLoopResult> {
  const pool = poolFor(job.request, job.connections);
  const histogram: RecordableHistogram = createHistogram();
  let measuring = false;
  let stopped = false;
  let windowStart = 0n;
  let windowEnd = 0n;
  let requests = 0;
  let totalRequests = 0;
  let errors = 0;
  let firstError: string | undefined;
  const warmupTimer = setTimeout(() => {
    measuring = true;
    windowStart = now();
  }, job.warmupMs);
  const stopTimer = setTimeout(() => {
    stopped = true;
    windowEnd = now();
  }, job.warmupMs + job.durationMs);

  const loop = async () => {
    while (!stopped) {
      const start = now();
      const outcome = await send(pool, job.request);
      if (outcome.ok) totalRequests++;
      if (!measuring || stopped) continue;
      if (!outcome.ok) {
        errors++;
        firstError ??= outcome.error;
        continue;
      }
      requests++;
      histogram.record(Math.max(1, Number(now() - start)));
    }
  };
  await Promise.all(Array.from({ length: job.connections }, loop));
  clearTimeout(warmupTimer);
  clearTimeout(stopTimer);
  await pool.close();
  const seconds = Number(windowEnd - windowStart) / 1e9;
  return {
    requests,
    totalRequests,
    errors,
    firstError,
    seconds,
    rps: requests / seconds,
    p50: requests > 0 ? histogram.percentile(50) / 1000 : 0,
    p99: requests > 0 ? histogram.percentile(99) / 1000 : 0,
  };
}

async function timeStream(pool: Pool, request: RequestSpec, delayMs: number, content: RegExp): Promise<StreamSample | string> {
  const start = now();
  try {
    const response = await pool.request({ path: request.path, method: 'POST', headers: request.headers, body: request.body });
    if (response.statusCode !== 200) return `HTTP ${response.statusCode}: ${(await response.body.text()).slice(0, 300)}`;
    const reads: TimedRead[] = [];
    response.body.setEncoding('utf8');
    for await (const text of response.body) reads.push({ at: micros(start, now()) / 1000, text: text as string });
    if (reads.length === 0) return 'empty stream';
    return analyseDeliveries(reads, delayMs, content, micros(start, now()) / 1000);
  } catch (error) {
    return String(error);
  }
}

/**
 * Streams of every target in turns (round i times stream i of each target, in a new random
 * order each round), so that a slow spell of a shared machine lands on all targets alike instead
 * of on whichever target was streaming at the time; each target keeps its own connection. The
 * order is shuffled, not rotated: with a rotation each target always follows the same one, and a
 * stream on one process right after another process used the same core paid for it every time
 * (0.6–0.9 ms more TTFB for whichever Switchyard route followed the Node ceiling).
 */
async function runStreams(job: StreamJob): Promise<StreamResult> {
  const content = new RegExp(job.contentPattern, 'g');
  const targets = job.targets.map((target) => ({ target, pool: poolFor(target.request, 1), entry: { samples: [], errors: 0 } as StreamResult['targets'][string] }));
  try {
    for (const { target, pool } of targets) for (let i = 0; i < job.warmups; i++) await send(pool, target.warmup);
    const order = [...targets];
    for (let round = 0; round < job.streams; round++) {
      for (const { target, pool, entry } of shuffle(order)) {
        const sample = await timeStream(pool, target.request, job.delayMs, content);
        if (typeof sample === 'string') {
          entry.errors++;
          entry.firstError ??= sample;
        } else {
          entry.samples.push(sample);
        }
      }
    }
  } finally {
    await Promise.all(targets.map(({ pool }) => pool.close()));
  }
  return { targets: Object.fromEntries(targets.map(({ target, entry }) => [target.id, entry])) };
}

function runJob(job: LoadJob): Promise<unknown> {
  switch (job.kind) {
    case 'serial':
      return runSerial(job);
    case 'closed':
      return runClosedLoop(job);
    case 'stream':
      return runStreams(job);
  }
}

const job = JSON.parse(await text(process.stdin)) as LoadJob;
process.stdout.write(`${JSON.stringify(await runJob(job))}\n`);
