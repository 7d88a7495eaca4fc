import { fileURLToPath } from 'node:url';
import { runLoadGenerator } from '../run-load.ts';
import type { OpenLoopJob, OpenLoopResult, StreamBurstJob, StreamBurstResult, StressJob } from './stress-jobs.ts';

const CLIENTS: Record<StressJob['kind'], string> = {
  burst: fileURLToPath(new URL('./stream-burst-client.ts', import.meta.url)),
  open: fileURLToPath(new URL('./open-loop-client.ts', import.meta.url)),
};

/** Runs one stress job in its own load-generator process on the load CPU and returns its result. */
export function runStressJob(job: StreamBurstJob): Promise<StreamBurstResult>;
export function runStressJob(job: OpenLoopJob): Promise<OpenLoopResult>;
export function runStressJob(job: StressJob): Promise<unknown> {
  return runLoadGenerator(CLIENTS[job.kind], `stress load generator (${job.kind})`, job);
}
