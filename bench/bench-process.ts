import { spawn, type ChildProcess } from 'node:child_process';
import { pinnedCommand } from './cpu-pinning.ts';

export interface BenchProcess {
  name: string;
  pid: number;
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** CPU to pin the process to (ignored when taskset is missing). */
  cpu?: number;
  /** Resolves once stdout matches; without it, resolves at once. */
  ready?: RegExp;
  timeoutMs?: number;
}

/**
 * Output kept per process (the latest part): the failover gateway logs a line per failed
 * attempt, hundreds of thousands in a closed loop.
 */
const OUTPUT_KEPT_CHARS = 1 << 20;

/** Every process the benchmark started, so that any exit path stops them all. */
const running = new Set<BenchProcess>();

/** Registers a child so that the watchdog and the final clean-up stop it. */
export function trackBenchProcess(name: string, child: ChildProcess): BenchProcess {
  let output = '';
  const append = (text: string) => {
    output += text;
    if (output.length > OUTPUT_KEPT_CHARS) output = output.slice(-OUTPUT_KEPT_CHARS / 2);
  };
  child.stdout?.setEncoding('utf8').on('data', append);
  child.stderr?.setEncoding('utf8').on('data', append);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const handle: BenchProcess = {
    name,
    pid: child.pid ?? -1,
    child,
    output: () => output,
    stop: async () => {
      running.delete(handle);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
  running.add(handle);
  void exited.then(() => running.delete(handle));
  return handle;
}

/** Starts one helper process (mock, nginx, gateway) and waits until it says it is ready. */
export async function startBenchProcess(name: string, command: string, options: SpawnOptions): Promise<{ process: BenchProcess; match?: RegExpExecArray }> {
  const [file, args] = pinnedCommand(command, options.args, options.cpu);
  const child = spawn(file, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const handle = trackBenchProcess(name, child);
  if (!options.ready) return { process: handle };
  const pattern = options.ready;
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start in time:\n${handle.output()}`)), options.timeoutMs ?? 15_000);
    const onData = () => {
      const found = pattern.exec(handle.output());
      if (!found) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      resolve(found);
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before it was ready:\n${handle.output()}`));
    });
  }).catch(async (error: unknown) => {
    await handle.stop();
    throw error;
  });
  return { process: handle, match };
}

export async function stopAllBenchProcesses(): Promise<void> {
  await Promise.allSettled([...running].map((handle) => handle.stop()));
}

/**
 * Stops the helpers on Ctrl-C and after `limitMs` at the latest, so a hung phase can never leave
 * a gateway, a mock or nginx running.
 */
export function installBenchWatchdog(limitMs: number): () => void {
  const abort = (reason: string) => {
    console.error(`bench: ${reason}, stopping`);
    void stopAllBenchProcesses().then(() => process.exit(1));
  };
  const timer = setTimeout(() => abort(`time limit of ${Math.round(limitMs / 1000)} s reached`), limitMs);
  const onSignal = () => abort('interrupted');
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return () => {
    clearTimeout(timer);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
