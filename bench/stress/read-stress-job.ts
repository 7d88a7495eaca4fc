import type { StressJob } from './stress-jobs.ts';

/** The job a stress client process was given on stdin (see run-stress-client.ts). */
export async function readStressJob<T extends StressJob>(): Promise<T> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return JSON.parse(text) as T;
}
