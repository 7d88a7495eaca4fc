import { spawn, spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { trackBenchProcess } from './bench-process.ts';
import type { RequestSpec } from './bench-targets.ts';
import { LOAD_CPU, pinnedCommand } from './cpu-pinning.ts';
import type { ClosedLoopResult } from './load-jobs.ts';

export function wrkVersion(): string | undefined {
  const result = spawnSync('wrk', ['--version'], { encoding: 'utf8' });
  return /wrk (\S+)/.exec(`${result.stdout ?? ''}${result.stderr ?? ''}`)?.[1];
}

/** A wrk script sending `request`; Lua long brackets carry the body without escaping. */
function wrkScript(request: RequestSpec): string {
  const headers = Object.entries(request.headers).map(([name, value]) => `wrk.headers[ [==[${name}]==] ] = [==[${value}]==]`);
  return ['wrk.method = "POST"', ...headers, `wrk.body = [==[${request.body}]==]`, ''].join('\n');
}

const UNIT_TO_MICROS: Record<string, number> = { us: 1, ms: 1000, s: 1_000_000, m: 60_000_000 };

function latencyAt(output: string, label: string): number {
  const match = new RegExp(`^\\s+${label}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(output);
  if (!match) throw new Error(`wrk output has no ${label}% latency:\n${output}`);
  return Number(match[1]) * UNIT_TO_MICROS[match[2]!]!;
}

/** Reads wrk's `--latency` report (latencies in microseconds, like the in-repo client's). */
export function parseWrkOutput(output: string): ClosedLoopResult {
  const summary = /(\d+) requests in ([\d.]+)(us|ms|s|m),/.exec(output);
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(output);
  if (!summary || !rps) throw new Error(`unexpected wrk output:\n${output}`);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const socketErrors = socket ? socket.slice(1).reduce((sum, value) => sum + Number(value), 0) : 0;
  const errors = non2xx + socketErrors;
  const requests = Number(summary[1]);
  return {
    requests: requests - non2xx,
    totalRequests: requests - non2xx,
    errors,
    firstError: errors > 0 ? `wrk: ${non2xx} non-2xx responses, ${socketErrors} socket errors` : undefined,
    seconds: (Number(summary[2]) * UNIT_TO_MICROS[summary[3]!]!) / 1e6,
    rps: Number(rps[1]) * ((requests - non2xx) / Math.max(1, requests)),
    p50: latencyAt(output, '50'),
    p99: latencyAt(output, '99'),
  };
}

function runWrkOnce(url: string, script: string, connections: number, seconds: number): Promise<string> {
  const [file, args] = pinnedCommand('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '-s', script, url], LOAD_CPU);
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const handle = trackBenchProcess('wrk', child);
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(handle.output()) : reject(new Error(`wrk exited with ${code}:\n${handle.output()}`))));
  });
}

/** Closed loop with wrk (one thread): a warm-up run that is discarded, then the measured one. */
export async function runWrk(request: RequestSpec, options: { connections: number; warmupMs: number; durationMs: number; dir: string; name: string }): Promise<ClosedLoopResult> {
  const script = join(options.dir, `${options.name}.lua`);
  await writeFile(script, wrkScript(request));
  const url = request.origin + request.path;
  const warmup = options.warmupMs > 0 ? parseWrkOutput(await runWrkOnce(url, script, options.connections, Math.max(1, Math.round(options.warmupMs / 1000)))).totalRequests : 0;
  const measured = parseWrkOutput(await runWrkOnce(url, script, options.connections, Math.max(1, Math.round(options.durationMs / 1000))));
  return { ...measured, totalRequests: measured.totalRequests + warmup };
}
