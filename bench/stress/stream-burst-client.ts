import { StringDecoder } from 'node:string_decoder';
import { Pool } from 'undici';
import { percentile } from '../stats.ts';
import { readStressJob } from './read-stress-job.ts';
import { SseTally, sseDialectOf } from './sse-tally.ts';
import type { StreamBurstJob, StreamBurstResult } from './stress-jobs.ts';

/**
 * Stress load generator (`node bench/stress/stream-burst-client.ts`, job on stdin): opens every
 * stream of the burst at once, one connection each, reads them as fast as they come and checks
 * each is complete. Run by run-stress-client.ts.
 */

interface StreamOutcome {
  /** Milliseconds from the burst's start. */
  headersAt?: number;
  doneAt: number;
  /** A short label to group failures by, and the failure in full. */
  failure?: { kind: string; detail: string };
  bytes: number;
  chunks: number;
  chars: number;
}

const job = await readStressJob<StreamBurstJob>();
const pool = new Pool(job.request.origin, { connections: job.streams, pipelining: 1, keepAliveTimeout: 60_000 });
const dialect = sseDialectOf(job.request.path);
const startedAt = performance.now();
const sinceStart = (): number => performance.now() - startedAt;

function verdict(tally: SseTally): { kind: string; detail: string } | undefined {
  if (tally.error) return { kind: 'in-stream error', detail: tally.error };
  if (!tally.done) return { kind: 'no end marker', detail: `no end marker after ${tally.contentChunks} chunks` };
  if (job.expectChunks !== undefined && tally.contentChunks !== job.expectChunks) {
    return { kind: 'chunks missing or extra', detail: `${tally.contentChunks} content chunks, ${job.expectChunks} expected` };
  }
  if (job.expectText !== undefined && tally.text !== job.expectText) return { kind: 'text differs', detail: `text differs: ${tally.text.slice(0, 120)}` };
  if (job.expectTextChars !== undefined && tally.textChars !== job.expectTextChars) {
    return { kind: 'text length differs', detail: `${tally.textChars} characters, ${job.expectTextChars} expected` };
  }
  return undefined;
}

async function readOne(): Promise<StreamOutcome> {
  const tally = new SseTally(dialect, job.expectText !== undefined);
  const decoder = new StringDecoder('utf8');
  const outcome: StreamOutcome = { doneAt: 0, bytes: 0, chunks: 0, chars: 0 };
  try {
    const { request } = job;
    const response = await pool.request({ path: request.path, method: 'POST', headers: request.headers, body: request.body });
    outcome.headersAt = sinceStart();
    if (response.statusCode !== 200) {
      const text = await response.body.text();
      outcome.failure = { kind: `HTTP ${response.statusCode}`, detail: `HTTP ${response.statusCode}: ${text.slice(0, 200)}` };
    } else {
      for await (const chunk of response.body) {
        outcome.bytes += (chunk as Buffer).length;
        tally.push(decoder.write(chunk as Buffer));
      }
      tally.push(decoder.end());
      tally.end();
      outcome.failure = verdict(tally);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).name;
    outcome.failure = { kind: `broken: ${code}`, detail: `${code}: ${(error as Error).message} after ${tally.contentChunks} chunks` };
  }
  outcome.doneAt = sinceStart();
  outcome.chunks = tally.contentChunks;
  outcome.chars = tally.textChars;
  return outcome;
}

const outcomes = await Promise.all(Array.from({ length: job.streams }, readOne));
const seconds = sinceStart() / 1000;
await pool.destroy();

const failed = outcomes.filter((outcome) => outcome.failure);
const failureKinds: Record<string, number> = {};
for (const outcome of failed) failureKinds[outcome.failure!.kind] = (failureKinds[outcome.failure!.kind] ?? 0) + 1;
const sorted = (values: number[]) => values.sort((a, b) => a - b);
const headers = sorted(outcomes.flatMap((outcome) => (outcome.headersAt === undefined ? [] : [outcome.headersAt])));
const done = sorted(outcomes.map((outcome) => outcome.doneAt));
const sum = (pick: (outcome: StreamOutcome) => number) => outcomes.reduce((total, outcome) => total + pick(outcome), 0);

const result: StreamBurstResult = {
  streams: job.streams,
  complete: outcomes.length - failed.length,
  failures: failed.length,
  failureKinds,
  firstFailures: failed.slice(0, 3).map((outcome) => outcome.failure!.detail),
  seconds,
  ttfbMs: { p50: percentile(headers, 50), max: headers.at(-1) ?? Number.NaN },
  doneMs: { p50: percentile(done, 50), max: done.at(-1) ?? Number.NaN },
  bytes: sum((outcome) => outcome.bytes),
  contentChunks: sum((outcome) => outcome.chunks),
  textChars: sum((outcome) => outcome.chars),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
