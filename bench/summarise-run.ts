import type { BenchRun, LoadTool } from './run-bench.ts';
import { interquartileRange, median, percentile } from './stats.ts';

/** Issue targets checked on every run. */
const PASSTHROUGH_THROUGHPUT_VS_NGINX = 0.5;
const TRANSLATION_ADDED_VS_PASSTHROUGH = 1.3;
/** Usage recording (with the always-on metrics) may cost this share of passthrough's throughput and this much added p50, in µs. */
const ACCOUNTING_THROUGHPUT_VS_PASSTHROUGH = 0.9;
const ACCOUNTING_ADDED_P50_US = 100;
/** Issue 5's targets: passthrough's added latency against nginx's and Portkey's, its tail, streams, throughput against the Node peers. */
const PASSTHROUGH_ADDED_VS_NGINX = 3;
const PASSTHROUGH_ADDED_VS_PORTKEY = 0.2;
const PASSTHROUGH_ADDED_P99_US = 1_000;
const STREAM_ADDED_TTFB_US = 500;
const STREAM_ADDED_GAP_P99_US = 500;
const THROUGHPUT_VS_BEST_PEER = 8;
/** Failover may add the extra (failing) upstream call itself plus this, in µs. */
const FAILOVER_ALLOWANCE_US = 1_000;

export interface SerialSummary {
  /** Median of round medians, microseconds. */
  p50: number;
  iqr: number;
  p99: number;
  addedP50: number;
  addedP99: number;
}

export interface ThroughputSummary {
  rps: number;
  p50: number;
  p99: number;
  vsDirect: number;
  vsNginx?: number;
  serverCpuUs: number;
  /** nginx's CPU per request divided by this target's: the throughput ratio once contention is taken out. */
  cpuVsNginx?: number;
  otherLoad: number;
}

export interface StreamSummary {
  /** Milliseconds, medians over the streams. */
  ttfb: number;
  addedTtfb: number;
  ttft: number;
  addedTtft: number;
  /** Between consecutive content chunks, over all streams. */
  gapP99: number;
  addedGapP99: number;
  total: number;
  /** Content deliveries per stream: median and worst. */
  contentDeliveries: number;
  minContentDeliveries: number;
  /**
   * In the median stream every content chunk reached the client as its own delivery. A gateway
   * that buffers merges chunks in every stream; a load spike on the shared core only in some.
   */
  asTheyArrive: boolean;
}

export interface TargetSummary {
  id: string;
  label: string;
  kind: string;
  translates: boolean;
  baselineOnly: boolean;
  serial: SerialSummary;
  throughput: Partial<Record<LoadTool, ThroughputSummary>>;
  /** Absent for targets measured in the serial phase only. */
  stream?: StreamSummary;
}

/** A p50 (median of round medians) and a p99 (over all samples), in µs. */
export interface Percentiles {
  p50: number;
  p99: number;
}

/** What failing over costs, from the serial phase (µs). */
export interface FailoverSummary {
  /** The direct call to the mock answering 500: the extra upstream call a failover makes. */
  failingCall: Percentiles;
  passthroughAdded: Percentiles;
  failoverAdded: Percentiles;
  /** Failover added minus passthrough added: what the failover itself costs. */
  cost: Percentiles;
  /** The failing call plus the allowance. */
  bound: Percentiles;
  /** With cooldowns on, the primary is skipped once it failed: added minus passthrough added. */
  coolingCost?: Percentiles;
  /** Server CPU per request, closed loop with the primary tool. */
  cpuUs?: { failover: number; passthrough: number };
  /** `x-switchyard-attempts` of sampled failover answers (2 = primary, then fallback). */
  attempts?: number[];
}

export interface GoalCheck {
  goal: string;
  measured: string;
  /** Undefined for a figure shown beside the goals without a verdict of its own. */
  pass?: boolean;
}

export interface RunSummary {
  rows: TargetSummary[];
  /** The tool whose throughput figures the goals use: wrk when it ran (lighter on the shared core). */
  primaryTool: LoadTool;
  goals: GoalCheck[];
  failover?: FailoverSummary;
}

function serialOf(run: BenchRun, id: string): Omit<SerialSummary, 'addedP50' | 'addedP99'> {
  const result = run.serial.targets[id]!;
  return { p50: median(result.roundMedians), iqr: interquartileRange(result.roundMedians), p99: result.p99 };
}

function streamOf(run: BenchRun, id: string): Omit<StreamSummary, 'addedTtfb' | 'addedTtft' | 'addedGapP99'> {
  const samples = run.streams.targets[id]!.samples;
  const chunks = run.settings.stream.chunks;
  const separate = samples.map((sample) => sample.contentDeliveries === chunks && sample.maxChunksPerDelivery === 1);
  const gaps = samples.flatMap((sample) => sample.gaps).sort((a, b) => a - b);
  return {
    ttfb: median(samples.map((sample) => sample.ttfb)),
    ttft: median(samples.map((sample) => sample.ttft)),
    gapP99: percentile(gaps, 99),
    total: median(samples.map((sample) => sample.total)),
    contentDeliveries: median(samples.map((sample) => sample.contentDeliveries)),
    minContentDeliveries: Math.min(...samples.map((sample) => sample.contentDeliveries)),
    asTheyArrive: separate.filter(Boolean).length * 2 > samples.length,
  };
}

const ratio = (value: number, reference: number): string => `${(value / reference).toFixed(2)}×`;

/** The passthrough row a translation is compared with: the one with the same prompt size (`-50k` targets have their own). */
export function passthroughRowFor(row: Pick<TargetSummary, 'id'>, rows: readonly TargetSummary[]): TargetSummary | undefined {
  const size = /-(\d+k)$/.exec(row.id)?.[1];
  return rows.find((candidate) => candidate.id === (size ? `passthrough-${size}` : 'passthrough'));
}

/** Passthrough and translation at the largest prompt: the reference's bound on added latency. */
const LARGE_PROMPT_ADDED_P50_US = 1_000;

export function summariseRun(run: BenchRun): RunSummary {
  const tools = Object.keys(run.throughput) as LoadTool[];
  const primaryTool: LoadTool = tools.includes('wrk') ? 'wrk' : 'node';
  const rows: TargetSummary[] = run.targets.map((target) => {
    const serial = serialOf(run, target.id);
    const baseSerial = serialOf(run, target.baseline);
    const streamed = run.streams.targets[target.id] !== undefined;
    const stream = streamed ? streamOf(run, target.id) : undefined;
    const baseStream = streamed ? streamOf(run, target.baseline) : undefined;
    const throughput: TargetSummary['throughput'] = {};
    for (const tool of tools) {
      const results = run.throughput[tool]!;
      const own = results[target.id];
      if (!own) continue;
      throughput[tool] = {
        rps: own.rps,
        p50: own.p50,
        p99: own.p99,
        vsDirect: own.rps / results[target.baseline]!.rps,
        vsNginx: results.nginx ? own.rps / results.nginx.rps : undefined,
        serverCpuUs: own.serverCpuUs,
        cpuVsNginx: results.nginx ? results.nginx.serverCpuUs / own.serverCpuUs : undefined,
        otherLoad: own.otherLoad,
      };
    }
    return {
      id: target.id,
      label: target.label,
      kind: target.kind,
      translates: target.translates,
      baselineOnly: target.baselineOnly === true,
      serial: { ...serial, addedP50: serial.p50 - baseSerial.p50, addedP99: serial.p99 - baseSerial.p99 },
      throughput,
      stream:
        stream && baseStream
          ? { ...stream, addedTtfb: stream.ttfb - baseStream.ttfb, addedTtft: stream.ttft - baseStream.ttft, addedGapP99: stream.gapP99 - baseStream.gapP99 }
          : undefined,
    };
  });

  const goals: GoalCheck[] = [];
  const byId = new Map(rows.map((row) => [row.id, row]));
  const passthrough = byId.get('passthrough');
  const nginx = byId.get('nginx');
  const passRps = passthrough?.throughput[primaryTool]?.rps;
  const nginxRps = nginx?.throughput[primaryTool]?.rps;
  if (passRps !== undefined && nginxRps !== undefined) {
    goals.push({
      goal: `passthrough throughput ≥ ${PASSTHROUGH_THROUGHPUT_VS_NGINX}× nginx (c=${run.settings.throughput.connections}, ${primaryTool})`,
      measured: `${ratio(passRps, nginxRps)} (${Math.round(passRps)} vs ${Math.round(nginxRps)} req/s)`,
      pass: passRps >= PASSTHROUGH_THROUGHPUT_VS_NGINX * nginxRps,
    });
    const passCpu = passthrough!.throughput[primaryTool]!.serverCpuUs;
    const nginxCpu = nginx!.throughput[primaryTool]!.serverCpuUs;
    goals.push({
      goal: "for comparison, CPU per request (nginx's ÷ passthrough's): nginx's capacity when the load generator's core is not the limit",
      measured: `${ratio(nginxCpu, passCpu)} (${nginxCpu.toFixed(1)} vs ${passCpu.toFixed(1)} µs)`,
    });
  }
  for (const row of rows.filter((candidate) => candidate.translates && candidate.kind === 'switchyard')) {
    const reference = passthroughRowFor(row, rows);
    if (!reference) continue;
    goals.push({
      goal: `${row.label}: added p50 ≤ ${TRANSLATION_ADDED_VS_PASSTHROUGH}× passthrough's`,
      measured: `${ratio(row.serial.addedP50, reference.serial.addedP50)} (${(row.serial.addedP50 / 1000).toFixed(3)} vs ${(reference.serial.addedP50 / 1000).toFixed(3)} ms)`,
      pass: row.serial.addedP50 <= TRANSLATION_ADDED_VS_PASSTHROUGH * reference.serial.addedP50,
    });
  }
  for (const row of rows.filter((candidate) => candidate.kind === 'switchyard' && candidate.id.endsWith('-50k'))) {
    goals.push({
      goal: `${row.label}: added p50 ≤ ${LARGE_PROMPT_ADDED_P50_US / 1000} ms`,
      measured: msText(row.serial.addedP50),
      pass: row.serial.addedP50 <= LARGE_PROMPT_ADDED_P50_US,
    });
  }
  if (passthrough) goals.push(...latencyGoals(passthrough, nginx, byId.get('portkey')));
  goals.push(...peerGoals(rows, primaryTool, run.settings.throughput.connections));
  goals.push(...ceilingComparison(passthrough, byId.get('node-ceiling'), primaryTool));
  goals.push(...accountingGoals(byId, primaryTool, run.settings.throughput.connections, run.featureRounds));
  const failover = summariseFailover(run, byId, primaryTool);
  if (failover) goals.push(...failoverGoals(failover));
  const switchyardRows = rows.filter((row) => row.kind === 'switchyard' && row.stream);
  if (switchyardRows.length > 0) {
    const coalesced = switchyardRows.filter((row) => !row.stream!.asTheyArrive);
    goals.push({
      goal: 'streams: every chunk forwarded as it arrives, none coalesced',
      measured: coalesced.length === 0 ? `all ${switchyardRows.length} Switchyard targets` : `coalesced: ${coalesced.map((row) => row.id).join(', ')}`,
      pass: coalesced.length === 0,
    });
  }
  return { rows, primaryTool, goals, failover };
}

function summariseFailover(run: BenchRun, byId: Map<string, TargetSummary>, tool: LoadTool): FailoverSummary | undefined {
  const failingRow = byId.get('direct-500');
  const passthrough = byId.get('passthrough');
  const failover = byId.get('failover');
  if (!failingRow || !passthrough || !failover) return undefined;
  const added = (row: TargetSummary): Percentiles => ({ p50: row.serial.addedP50, p99: row.serial.addedP99 });
  const minus = (a: Percentiles, b: Percentiles): Percentiles => ({ p50: a.p50 - b.p50, p99: a.p99 - b.p99 });
  const failingCall = { p50: failingRow.serial.p50, p99: failingRow.serial.p99 };
  const cooling = byId.get('failover-cooling');
  const failoverCpu = failover.throughput[tool]?.serverCpuUs;
  const passthroughCpu = passthrough.throughput[tool]?.serverCpuUs;
  return {
    failingCall,
    passthroughAdded: added(passthrough),
    failoverAdded: added(failover),
    cost: minus(added(failover), added(passthrough)),
    bound: { p50: failingCall.p50 + FAILOVER_ALLOWANCE_US, p99: failingCall.p99 + FAILOVER_ALLOWANCE_US },
    coolingCost: cooling ? minus(added(cooling), added(passthrough)) : undefined,
    cpuUs: failoverCpu !== undefined && passthroughCpu !== undefined ? { failover: failoverCpu, passthrough: passthroughCpu } : undefined,
    attempts: run.failoverAttempts,
  };
}

/** Passthrough's added latency (serial phase) and stream delays against the issue's bounds. */
function latencyGoals(passthrough: TargetSummary, nginx: TargetSummary | undefined, portkey: TargetSummary | undefined): GoalCheck[] {
  const added = passthrough.serial.addedP50;
  const goals: GoalCheck[] = [];
  if (nginx) {
    goals.push({
      goal: `passthrough added p50 ≤ ${PASSTHROUGH_ADDED_VS_NGINX}× nginx's added p50 (serial)`,
      measured: `${ratio(added, nginx.serial.addedP50)} (${msText(added)} vs ${msText(nginx.serial.addedP50)})`,
      pass: added <= PASSTHROUGH_ADDED_VS_NGINX * nginx.serial.addedP50,
    });
  }
  if (portkey) {
    goals.push({
      goal: `passthrough added p50 ≤ ${PASSTHROUGH_ADDED_VS_PORTKEY}× Portkey's added p50 (serial)`,
      measured: `${ratio(added, portkey.serial.addedP50)} (${msText(added)} vs ${msText(portkey.serial.addedP50)})`,
      pass: added <= PASSTHROUGH_ADDED_VS_PORTKEY * portkey.serial.addedP50,
    });
  }
  goals.push({
    goal: `passthrough added p99 ≤ ${PASSTHROUGH_ADDED_P99_US / 1000} ms (serial, 1 connection)`,
    measured: `${msText(passthrough.serial.addedP99)}${nginx ? ` (nginx: ${msText(nginx.serial.addedP99)})` : ''}`,
    pass: passthrough.serial.addedP99 <= PASSTHROUGH_ADDED_P99_US,
  });
  const stream = passthrough.stream;
  if (stream) {
    const nginxStream = nginx?.stream;
    goals.push(
      {
        goal: `passthrough stream: added TTFB ≤ ${STREAM_ADDED_TTFB_US / 1000} ms (median)`,
        measured: `${stream.addedTtfb >= 0 ? '+' : ''}${stream.addedTtfb.toFixed(2)} ms${nginxStream ? ` (nginx: ${nginxStream.addedTtfb >= 0 ? '+' : ''}${nginxStream.addedTtfb.toFixed(2)} ms)` : ''}`,
        pass: stream.addedTtfb * 1000 <= STREAM_ADDED_TTFB_US,
      },
      {
        goal: `passthrough stream: added inter-chunk gap p99 ≤ ${STREAM_ADDED_GAP_P99_US / 1000} ms`,
        measured: `${stream.addedGapP99 >= 0 ? '+' : ''}${stream.addedGapP99.toFixed(2)} ms`,
        pass: stream.addedGapP99 * 1000 <= STREAM_ADDED_GAP_P99_US,
      },
    );
  }
  return goals;
}

/** How far passthrough is from the least any Node proxy does (figures without a verdict: the evidence for Node's floor). */
function ceilingComparison(passthrough: TargetSummary | undefined, ceiling: TargetSummary | undefined, tool: LoadTool): GoalCheck[] {
  if (!passthrough || !ceiling) return [];
  const checks: GoalCheck[] = [
    {
      goal: "for comparison, the Node ceiling (bare node:http + undici proxy): its added p50 ÷ passthrough's",
      measured: `${ratio(ceiling.serial.addedP50, passthrough.serial.addedP50)} (${msText(ceiling.serial.addedP50)} vs ${msText(passthrough.serial.addedP50)})`,
    },
  ];
  const own = passthrough.throughput[tool];
  const bare = ceiling.throughput[tool];
  if (own && bare) {
    checks.push({
      goal: "for comparison, the Node ceiling: passthrough's req/s ÷ its req/s, and its CPU per request ÷ passthrough's",
      measured: `${ratio(own.rps, bare.rps)} (${Math.round(own.rps)} vs ${Math.round(bare.rps)} req/s); ${ratio(bare.serverCpuUs, own.serverCpuUs)} (${bare.serverCpuUs.toFixed(1)} vs ${own.serverCpuUs.toFixed(1)} µs)`,
    });
  }
  return checks;
}

/** Switchyard's throughput against the better of the Node peers measured in the same run. */
function peerGoals(rows: TargetSummary[], tool: LoadTool, connections: number): GoalCheck[] {
  const passthrough = rows.find((row) => row.id === 'passthrough')?.throughput[tool];
  const peers = rows.filter((row) => row.kind === 'peer' && row.throughput[tool]);
  if (!passthrough || peers.length === 0) return [];
  const best = peers.reduce((a, b) => (b.throughput[tool]!.rps > a.throughput[tool]!.rps ? b : a));
  const bestRps = best.throughput[tool]!.rps;
  return [
    {
      goal: `passthrough throughput ≥ ${THROUGHPUT_VS_BEST_PEER}× the better Node peer's (c=${connections}, ${tool})`,
      measured: `${ratio(passthrough.rps, bestRps)} (${Math.round(passthrough.rps)} vs ${Math.round(bestRps)} req/s, ${best.id})`,
      pass: passthrough.rps >= THROUGHPUT_VS_BEST_PEER * bestRps,
    },
  ];
}

/** Usage recording on against its twin gateway (recording off; else the main gateway's passthrough): the same config otherwise. */
function accountingGoals(byId: Map<string, TargetSummary>, tool: LoadTool, connections: number, rounds: BenchRun['featureRounds']): GoalCheck[] {
  const passthrough = byId.get('passthrough-twin') ?? byId.get('passthrough');
  const accounting = byId.get('passthrough-accounting');
  if (!passthrough || !accounting) return [];
  const goals: GoalCheck[] = [];
  const throughputGoal = (method: string) =>
    `usage recording + main.log on: throughput ≥ ${ACCOUNTING_THROUGHPUT_VS_PASSTHROUGH}× its twin's (both off; c=${connections}${method}; issue 4's bound, tighter than issue 5's 15% feature tax)`;
  const onRps = accounting.throughput[tool]?.rps;
  const offRps = passthrough.throughput[tool]?.rps;
  if (rounds && rounds.length > 0) {
    const ratios = rounds.map((round) => round.on / round.off);
    const middle = median(ratios);
    goals.push({
      goal: throughputGoal(`; median of ${rounds.length} alternating rounds`),
      measured: `${middle.toFixed(2)}× (rounds ${ratios.map((value) => value.toFixed(2)).join(', ')})`,
      pass: middle >= ACCOUNTING_THROUGHPUT_VS_PASSTHROUGH,
    });
  } else if (onRps !== undefined && offRps !== undefined) {
    goals.push({
      goal: throughputGoal(`, ${tool}`),
      measured: `${ratio(onRps, offRps)} (${Math.round(onRps)} vs ${Math.round(offRps)} req/s)`,
      pass: onRps >= ACCOUNTING_THROUGHPUT_VS_PASSTHROUGH * offRps,
    });
  }
  const cost = accounting.serial.addedP50 - passthrough.serial.addedP50;
  goals.push({
    goal: `usage recording + main.log on: added p50 − its twin's (both off) ≤ ${ACCOUNTING_ADDED_P50_US / 1000} ms`,
    measured: `${cost >= 0 ? '+' : ''}${msText(cost)} (${msText(accounting.serial.addedP50)} vs ${msText(passthrough.serial.addedP50)})`,
    pass: cost <= ACCOUNTING_ADDED_P50_US,
  });
  return goals;
}

const msText = (micros: number): string => `${micros < 0 ? '−' : ''}${(Math.abs(micros) / 1000).toFixed(3)} ms`;

function failoverGoals(failover: FailoverSummary): GoalCheck[] {
  const allowance = `${FAILOVER_ALLOWANCE_US / 1000} ms`;
  const goals: GoalCheck[] = (['p50', 'p99'] as const).map((at) => ({
    goal: `failover (primary 500 → fallback): added ${at} − passthrough's ≤ the failing call's ${at} + ${allowance}`,
    measured: `${ratio(failover.cost[at], failover.bound[at])} (${msText(failover.cost[at])} vs ${msText(failover.bound[at])}; margin ${msText(failover.bound[at] - failover.cost[at])})`,
    pass: failover.cost[at] <= failover.bound[at],
  }));
  if (failover.attempts) {
    goals.push({
      goal: 'failover: every sampled answer tried the primary first (x-switchyard-attempts = 2)',
      measured: failover.attempts.join(', '),
      pass: failover.attempts.every((attempts) => attempts === 2),
    });
  }
  if (failover.coolingCost) {
    goals.push({
      goal: "for comparison, failover with cooldown on (primary skipped while cooling): added p50 − passthrough's",
      measured: `${failover.coolingCost.p50 >= 0 ? '+' : ''}${msText(failover.coolingCost.p50)}`,
    });
  }
  return goals;
}
