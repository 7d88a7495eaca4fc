import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { trackBenchProcess } from '../bench-process.ts';
import { LOAD_CPU, pinnedCommand } from '../cpu-pinning.ts';
import type { OpenLoopJob, OpenLoopResult, StreamBurstJob, StreamBurstResult, StressJob } from './stress-jobs.ts';

const CLIENTS: Record<StressJob['kind'], string> = {
  burst: fileURLToPath(new URL('./stream-burst-client.ts', import.meta.url)),
  open: fileURLToPath(new URL('./open-loop-client.ts', import.meta.url)),
};

/**
 * Runs one stress job in a fresh load-generator process on the load CPU (as bench/run-load.ts does
 * for the closed-loop client, so the generator never shares an event loop or a core with the
 * gateway) and returns its JSON answer.
 */
export function runStressJob(job: StreamBurstJob): Promise<StreamBurstResult>;
export function runStressJob(job: OpenLoopJob): Promise<OpenLoopResult>;
export function runStressJob(job: StressJob): Promise<unknown> {
  // The job goes through stdin: a mix of requests can exceed what one argument may hold.
  const [file, args] = pinnedCommand(process.execPath, [CLIENTS[job.kind]], LOAD_CPU);
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    trackBenchProcess(`stress load generator (${job.kind})`, child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) {
        reject(new Error(`stress load generator (${job.kind}) exited with ${code}:\n${stderr}`));
        return;
      }
      try {
        resolve(JSON.parse(stdout));
      } catch {
        reject(new Error(`stress load generator (${job.kind}) printed no result:\n${stdout}\n${stderr}`));
      }
    });
    child.stdin.end(JSON.stringify(job));
  });
}

