import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

/** Linux reports process CPU time in clock ticks; 100 per second on every mainstream kernel config. */
const TICKS_PER_SECOND = 100;

interface ProcessTicks {
  ppid: number;
  ticks: number;
}

function readProcesses(): Map<number, ProcessTicks> {
  const processes = new Map<number, ProcessTicks>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // Fields after the command name, which may itself contain spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime + stime, plus cutime + cstime: short-lived children count once their parent reaps them.
    const ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    processes.set(pid, { ppid: Number(fields[1]), ticks });
  }
  return processes;
}

/** Pids of `root` and everything it started. */
function processTree(processes: Map<number, ProcessTicks>, root: number): Set<number> {
  const own = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, info] of processes) {
      if (!own.has(pid) && own.has(info.ppid)) {
        own.add(pid);
        grew = true;
      }
    }
  }
  return own;
}

/** CPU seconds used so far by a process and its descendants (nginx's master and worker). */
export function processTreeCpuSeconds(root: number): number {
  const processes = readProcesses();
  let ticks = 0;
  for (const pid of processTree(processes, root)) ticks += processes.get(pid)?.ticks ?? 0;
  return ticks / TICKS_PER_SECOND;
}

/** Ticks the whole machine spent in user and system mode (interrupt time left out: it is not charged to processes). */
function machineBusyTicks(): number {
  const fields = readFileSync('/proc/stat', 'utf8').slice(0, 200).split('\n')[0]!.trim().split(/\s+/);
  return Number(fields[1]) + Number(fields[2]) + Number(fields[3]);
}

function ownTicks(): number {
  const processes = readProcesses();
  let ticks = 0;
  for (const pid of processTree(processes, process.pid)) ticks += processes.get(pid)?.ticks ?? 0;
  return ticks;
}

/**
 * Measures the CPU that processes outside the benchmark used while it measured: on a shared
 * 2-core box another test run can halve a throughput figure, and the report must say so. The
 * machine's busy time minus the benchmark's own (its processes, and the children they reaped).
 */
class ForeignCpuMeter {
  private readonly machineBefore = machineBusyTicks();
  private readonly ownBefore = ownTicks();
  private readonly startedAt = performance.now();

  /** Share of the whole machine (0..1) used by other processes since the meter was created. */
  share(): number {
    const foreign = machineBusyTicks() - this.machineBefore - (ownTicks() - this.ownBefore);
    const seconds = (performance.now() - this.startedAt) / 1000;
    return Math.max(0, foreign) / TICKS_PER_SECOND / (seconds * availableParallelism());
  }
}

/** Waits (at most `maxWaitMs`) for a second in which other processes use less than `threshold` of the machine. */
export async function waitForQuietMachine(threshold: number, maxWaitMs: number): Promise<number> {
  const deadline = performance.now() + maxWaitMs;
  for (;;) {
    const meter = new ForeignCpuMeter();
    await sleep(1_000);
    const share = meter.share();
    if (share < threshold || performance.now() >= deadline) return share;
  }
}

export interface QuietMeasurement<T> {
  result: T;
  /** Share of the machine other processes used during the kept attempt. */
  otherLoad: number;
  attempts: number;
}

export interface QuietPolicy {
  /** Other processes above this share of the machine make a measurement be repeated. */
  threshold: number;
  attempts: number;
  /** Longest wait for a quiet second before each attempt. */
  waitMs: number;
}

/**
 * Time a whole run may spend waiting for quiet and repeating disturbed measurements, so that a
 * busy machine makes the run noisier (and says so) but never much longer.
 */
export class QuietBudget {
  private remaining: number;

  constructor(ms: number) {
    this.remaining = ms;
  }

  get left(): number {
    return this.remaining;
  }

  spend(ms: number): void {
    this.remaining -= ms;
  }
}

/**
 * Runs a measurement when the machine is quiet and repeats it (up to `policy.attempts` times)
 * while other processes took more than `policy.threshold` of the machine meanwhile; keeps the
 * least disturbed attempt. Waits and repeats are paid from `budget`.
 */
export async function measureQuietly<T>(measure: () => Promise<T>, policy: QuietPolicy, budget: QuietBudget): Promise<QuietMeasurement<T>> {
  let best: QuietMeasurement<T> | undefined;
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    const started = performance.now();
    if (budget.left > 0) await waitForQuietMachine(policy.threshold, Math.min(policy.waitMs, budget.left));
    const meter = new ForeignCpuMeter();
    const measuring = performance.now();
    const result = await measure();
    const otherLoad = meter.share();
    // The first attempt's measurement is the run's own time; waits and repeats are the budget's.
    budget.spend(attempt === 1 ? measuring - started : performance.now() - started);
    if (!best || otherLoad < best.otherLoad) best = { result, otherLoad, attempts: attempt };
    if (otherLoad < policy.threshold || budget.left <= 0) break;
  }
  return best!;
}
