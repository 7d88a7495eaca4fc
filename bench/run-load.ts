import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { trackBenchProcess } from './bench-process.ts';
import { LOAD_CPU, pinnedCommand } from './cpu-pinning.ts';
import type { ClosedLoopJob, ClosedLoopResult, LoadJob, SerialJob, SerialResult, StreamJob, StreamResult } from './load-jobs.ts';

const LOAD_CLIENT = fileURLToPath(new URL('./load-client.ts', import.meta.url));

/**
 * Runs a load-generator script in a fresh process on the load CPU (so it never shares an event
 * loop or a core with what it measures), hands it `job` as JSON on stdin (large-prompt jobs exceed
 * what argv may hold) and returns the JSON it prints.
 */
export function runLoadGenerator(script: string, name: string, job: unknown): Promise<unknown> {
  const [file, args] = pinnedCommand(process.execPath, [script], LOAD_CPU);
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    trackBenchProcess(name, child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) {
        reject(new Error(`${name} exited with ${code}:\n${stderr}`));
        return;
      }
      try {
        resolve(JSON.parse(stdout));
      } catch {
        reject(new Error(`${name} printed no result:\n${stdout}\n${stderr}`));
      }
    });
    child.stdin.end(JSON.stringify(job));
  });
}

/** Runs one job of the in-repo load client and returns its result. */
export function runLoadJob(job: SerialJob): Promise<SerialResult>;
export function runLoadJob(job: ClosedLoopJob): Promise<ClosedLoopResult>;
export function runLoadJob(job: StreamJob): Promise<StreamResult>;
export function runLoadJob(job: LoadJob): Promise<unknown> {
  return runLoadGenerator(LOAD_CLIENT, `load generator (${job.kind})`, job);
}
