import { spawn } from 'node:child_process';
import { trackBenchProcess } from './bench-process.ts';
import { fileURLToPath } from 'node:url';
import { LOAD_CPU, pinnedCommand } from './cpu-pinning.ts';
import type { ClosedLoopJob, ClosedLoopResult, LoadJob, SerialJob, SerialResult, StreamJob, StreamResult } from './load-jobs.ts';

const LOAD_CLIENT = fileURLToPath(new URL('./load-client.ts', import.meta.url));

/** Runs one job in a fresh load-generator process on the load CPU and returns its JSON answer. */
export function runLoadJob(job: SerialJob): Promise<SerialResult>;
export function runLoadJob(job: ClosedLoopJob): Promise<ClosedLoopResult>;
export function runLoadJob(job: StreamJob): Promise<StreamResult>;
export function runLoadJob(job: LoadJob): Promise<unknown> {
  const [file, args] = pinnedCommand(process.execPath, [LOAD_CLIENT], LOAD_CPU);
  return new Promise((resolve, reject) => {
    // The job goes in on stdin: with large-prompt bodies it exceeds what argv may hold.
    const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.end(JSON.stringify(job));
    trackBenchProcess(`load generator (${job.kind})`, child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) {
        reject(new Error(`load generator (${job.kind}) exited with ${code}:\n${stderr}`));
        return;
      }
      try {
        resolve(JSON.parse(stdout));
      } catch {
        reject(new Error(`load generator (${job.kind}) printed no result:\n${stdout}\n${stderr}`));
      }
    });
  });
}
