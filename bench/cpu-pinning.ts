import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

/**
 * CPU layout on a 2-core box (the reference machine): core 0 runs the load generator and the mock
 * upstream, core 1 the proxy under test (nginx or Switchyard), so the proxy never competes with
 * the load it serves. For the direct row's throughput the mock moves to core 1 alone.
 */
export const LOAD_CPU = 0;
export const PROXY_CPU = 1;

let tasksetPresent: boolean | undefined;
let pinningWanted = true;

export function disablePinning(): void {
  pinningWanted = false;
}

/** Pinning needs taskset and at least two cores; otherwise every process floats. */
function pinningActive(): boolean {
  if (tasksetPresent === undefined) tasksetPresent = spawnSync('taskset', ['--version'], { stdio: 'ignore' }).status === 0;
  return pinningWanted && tasksetPresent && availableParallelism() >= 2;
}

/** The command line that runs `command` on `cpu` (taskset execs it, so the pid stays the same). */
export function pinnedCommand(command: string, args: string[], cpu: number | undefined): [string, string[]] {
  if (cpu === undefined || !pinningActive()) return [command, args];
  return ['taskset', ['-c', String(cpu), command, ...args]];
}

/** Moves a running process, all its threads included, to another core. */
export function repinProcess(pid: number, cpu: number): void {
  if (!pinningActive()) return;
  const result = spawnSync('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`taskset could not move process ${pid} to CPU ${cpu}`);
}

export function describePinning(): string {
  if (!pinningActive()) return 'none (taskset missing, fewer than 2 cores, or --no-pin)';
  return `load generator + mock on CPU ${LOAD_CPU}, proxy under test (nginx worker / Switchyard) on CPU ${PROXY_CPU}; for the direct row's throughput the mock moves alone to CPU ${PROXY_CPU}`;
}
