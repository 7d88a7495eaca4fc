import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installBenchWatchdog, stopAllBenchProcesses } from './bench-process.ts';
import { benchTargets, streamContentPattern, type BenchTarget, type RequestSpec } from './bench-targets.ts';
import { describePinning, disablePinning, LOAD_CPU, PROXY_CPU, repinProcess } from './cpu-pinning.ts';
import { ensureDebianCommand } from './ensure-debian-package.ts';
import { measureQuietly, processTreeCpuSeconds, QuietBudget, waitForQuietMachine, type QuietPolicy } from './foreign-cpu.ts';
import type { ClosedLoopResult, SerialResult, StreamResult } from './load-jobs.ts';
import { machineFacts, type MachineFacts } from './machine-facts.ts';
import { runLoadJob } from './run-load.ts';
import { runWrk } from './run-wrk.ts';
import { startBenchGateway } from './start-gateway.ts';
import { startBenchMock } from './start-mock.ts';
import { startBenchNginx } from './start-nginx.ts';
import { startBenchNodeCeiling } from './start-node-ceiling.ts';
import { ensureBenchPeersInstalled, type PeerName } from './peers/install-peers.ts';
import { startBenchPeer, type BenchPeer } from './peers/start-peer.ts';

export type LoadTool = 'node' | 'wrk';

export interface BenchSettings {
  mockLatencyMs: number;
  serial: { warmup: number; rounds: number; perRound: number };
  throughput: { connections: number; warmupMs: number; durationMs: number; tools: LoadTool[] };
  /** Other closed-loop concurrencies, measured with one tool on the floor, the ceiling and passthrough only. */
  otherConnections: number[];
  stream: { chunks: number; delayMs: number; streams: number };
  /** Target ids to measure besides the direct baselines (all when absent). */
  only?: string[];
  pin: boolean;
  /** When to repeat a measurement disturbed by other processes, and how much time the run may spend on that. */
  quiet: QuietPolicy & { budgetMs: number };
  /** Write a V8 CPU profile of the gateway there (`node --cpu-prof`). */
  cpuProfileDir?: string;
  /** Another checkout's bin/switchyard.js, to compare builds (default: this checkout's). */
  switchyardBin?: string;
  timeLimitMs: number;
}

export interface ThroughputMeasurement extends ClosedLoopResult {
  /** CPU time the server under test (mock, nginx or Switchyard) spent per request, in µs: immune to contention. */
  serverCpuUs: number;
  /** Share of the machine (0..1) other processes used meanwhile. */
  otherLoad: number;
}

export type BenchTargetInfo = Omit<BenchTarget, 'request' | 'streamRequest' | 'warmStreamRequest' | 'unpacedStreamRequest'>;

export interface BenchRun {
  facts: MachineFacts;
  settings: BenchSettings;
  pinning: string;
  targets: BenchTargetInfo[];
  serial: SerialResult;
  /** Per load tool, per target. */
  throughput: Partial<Record<LoadTool, Record<string, ThroughputMeasurement>>>;
  /**
   * Alternating closed-loop rounds of the accounting gateway's twin (features off) and itself (on),
   * req/s: the features-on ratio is their median, steadier on a shared machine than one
   * measurement of each taken a minute apart.
   */
  featureRounds?: Array<{ off: number; on: number }>;
  /**
   * Per concurrency of `settings.otherConnections`, per tool, per target. Both tools run: each
   * shares its core with the mock, and at 256 connections wrk's latency tail moved from run to run
   * where the in-repo client's did not.
   */
  throughputAt: Record<number, BenchRun['throughput']>;
  streams: StreamResult;
  /** Share of the machine (0..1) that other processes used during the serial and streaming phases. */
  otherLoad: { serial: number; streams: number };
  gatewayRssMb: { idle: number; afterLoad: number };
  /** The Node ceiling's RSS at the same two moments, MB: what node:http + undici alone hold. */
  nodeCeilingRssMb?: { idle: number; afterLoad: number };
  /** RSS of each peer (bench/peers) after the closed-loop phase, MB. */
  peerRssMb: Record<string, number>;
  /** `x-switchyard-attempts` of the failover target's answers, sampled before and after the serial phase. */
  failoverAttempts?: number[];
  /** Wall time of the whole run, start-up included. */
  seconds: number;
  notes: string[];
}

/** Unpaced streams per target before the timed ones: enough for V8 to optimise the streaming path. */
const STREAM_WARMUPS = 200;

function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

function failOnErrors(phase: string, errors: Record<string, { errors: number; firstError?: string }>): void {
  const failed = Object.entries(errors).filter(([, result]) => result.errors > 0);
  if (failed.length === 0) return;
  throw new Error(`${phase}: requests failed\n${failed.map(([id, result]) => `  ${id}: ${result.errors} errors, first: ${result.firstError}`).join('\n')}`);
}

interface ThroughputContext {
  dir: string;
  budget: QuietBudget;
  mockPid: number;
  /** The process whose CPU time a target's requests cost: the mock, nginx's master or a Switchyard. */
  serverPid: (target: BenchTarget) => number;
}

/** Attempts the gateway reports for a few requests: the failover figures mean something only if every request failed over. */
async function sampleAttempts(request: RequestSpec, count: number): Promise<number[]> {
  const attempts: number[] = [];
  for (let i = 0; i < count; i++) {
    const response = await fetch(request.origin + request.path, { method: 'POST', headers: request.headers, body: request.body });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`failover check: HTTP ${response.status}`);
    attempts.push(Number(response.headers.get('x-switchyard-attempts')));
  }
  return attempts;
}

/**
 * Closed loop over every target with every tool, each measurement repeated while disturbed. A
 * failed request stops the run, unless `reportErrors` (the rows without a goal): there the count
 * goes in the table instead, since an overloaded proxy timing out is a result, not a broken run.
 */
async function measureThroughput(
  targets: BenchTarget[],
  settings: BenchSettings,
  context: ThroughputContext,
  { reportErrors = false }: { reportErrors?: boolean } = {},
): Promise<BenchRun['throughput']> {
  const throughput: BenchRun['throughput'] = {};
  for (const tool of settings.throughput.tools) {
    const results: Record<string, ThroughputMeasurement> = {};
    for (const target of targets) {
      log(`throughput (${tool}, c=${settings.throughput.connections}): ${target.id}`);
      const pid = context.serverPid(target);
      const measured = await measureQuietly(
        async () => {
          // The direct row gets a core of its own, as the proxies do.
          if (target.kind === 'direct') repinProcess(context.mockPid, PROXY_CPU);
          const cpuBefore = processTreeCpuSeconds(pid);
          try {
            const result: ClosedLoopResult =
              tool === 'wrk'
                ? await runWrk(target.request, { ...settings.throughput, dir: context.dir, name: target.id })
                : await runLoadJob({ kind: 'closed', request: target.request, ...settings.throughput });
            return { ...result, serverCpuUs: ((processTreeCpuSeconds(pid) - cpuBefore) / result.totalRequests) * 1e6 };
          } finally {
            if (target.kind === 'direct') repinProcess(context.mockPid, LOAD_CPU);
          }
        },
        settings.quiet,
        context.budget,
      );
      results[target.id] = { ...measured.result, otherLoad: measured.otherLoad };
    }
    if (!reportErrors) failOnErrors(`throughput phase (${tool})`, results);
    throughput[tool] = results;
  }
  return throughput;
}

/**
 * Rounds of the feature-tax comparison. One round's ratio moves ±10% on this machine, as much as
 * the cost measured; the median of five still ranged 0.87–0.99 over runs of one build, so eleven.
 */
const FEATURE_ROUNDS = 11;

/** The twin and accounting targets, in alternating order from round to round so that drift cancels. */
async function measureFeatureRounds(targets: BenchTarget[], settings: BenchSettings, context: ThroughputContext): Promise<BenchRun['featureRounds']> {
  const off = targets.find((target) => target.otherGateway === 'twin');
  const on = targets.find((target) => target.otherGateway === 'accounting');
  if (!off || !on) return undefined;
  const tool = settings.throughput.tools.includes('wrk') ? 'wrk' : 'node';
  const roundSettings: BenchSettings = { ...settings, throughput: { ...settings.throughput, tools: [tool], warmupMs: 1_000, durationMs: Math.min(settings.throughput.durationMs, 4_000) } };
  const rounds: NonNullable<BenchRun['featureRounds']> = [];
  for (let round = 0; round < FEATURE_ROUNDS; round++) {
    const measured = (await measureThroughput(round % 2 === 0 ? [off, on] : [on, off], roundSettings, context))[tool]!;
    rounds.push({ off: measured[off.id]!.rps, on: measured[on.id]!.rps });
  }
  return rounds;
}

const PEER_NAMES: readonly PeerName[] = ['portkey', 'claude-code-router'];
/** Targets of the other concurrencies: the baselines, the floor, the Node ceiling and passthrough. */
const OTHER_CONNECTIONS_TARGETS = ['direct', 'nginx', 'node-ceiling', 'passthrough'];

/** A peer may run its server as a child of the process it was started as. */
function processTreeRssMb(pid: number): number {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  return rssMb(pid) + children.reduce((sum, child) => sum + processTreeRssMb(child), 0);
}

/**
 * Installs (into .bench/peers, on demand) and starts the Node peers on the proxies' core. A peer
 * that cannot be installed or started is left out with a note: the run goes on without its row.
 */
async function startPeers(names: readonly PeerName[], mockUrl: string, dir: string, notes: string[]): Promise<Map<PeerName, BenchPeer>> {
  const peers = new Map<PeerName, BenchPeer>();
  if (names.length === 0) return peers;
  const installation = await ensureBenchPeersInstalled();
  notes.push(...installation.notes);
  for (const name of names.filter((candidate) => installation.installed.includes(candidate))) {
    try {
      peers.set(name, await startBenchPeer(name, { mockUrl, dir: join(dir, name), cpu: PROXY_CPU }));
    } catch (error) {
      notes.push(`${name} did not start, no row: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
  }
  return peers;
}

/** Starts mock, nginx and Switchyard, runs the three phases, stops everything. */
export async function runBench(settings: BenchSettings): Promise<BenchRun> {
  const startedAt = performance.now();
  if (!settings.pin) disablePinning();
  const notes: string[] = settings.switchyardBin ? [`Switchyard run from ${settings.switchyardBin}, not this checkout`] : [];
  const wantsNginx = !settings.only || settings.only.includes('nginx');
  const wantsFailover = !settings.only || settings.only.includes('failover');
  const wantsAccounting = !settings.only || settings.only.includes('passthrough-accounting');
  const wantsCeiling = !settings.only || settings.only.includes('node-ceiling');
  const wantedPeers = PEER_NAMES.filter((name) => !settings.only || settings.only.includes(name));
  if (wantsNginx && !ensureDebianCommand('nginx', ['nginx-light', 'nginx'])) notes.push('nginx is not installed and could not be installed: no nginx row, no ratios to nginx');
  if (settings.throughput.tools.includes('wrk') && !ensureDebianCommand('wrk', ['wrk'])) {
    notes.push('wrk is not installed and could not be installed: throughput measured with the in-repo client only');
    settings = { ...settings, throughput: { ...settings.throughput, tools: settings.throughput.tools.filter((tool) => tool !== 'wrk') } };
  }
  const stopWatchdog = installBenchWatchdog(settings.timeLimitMs);
  const budget = new QuietBudget(settings.quiet.budgetMs);
  const waitStarted = performance.now();
  const startLoad = await waitForQuietMachine(settings.quiet.threshold, settings.quiet.waitMs);
  budget.spend(performance.now() - waitStarted);
  if (startLoad >= settings.quiet.threshold) log(`the machine is busy (other processes use ${Math.round(startLoad * 100)}%): figures will be noisy`);
  const facts = machineFacts();
  const dir = await mkdtemp(join(tmpdir(), 'switchyard-bench-'));
  try {
    const mock = await startBenchMock({ cpu: LOAD_CPU, latencyMs: settings.mockLatencyMs });
    const nginx = wantsNginx ? await startBenchNginx({ upstreamUrl: mock.url, dir: join(dir, 'nginx'), cpu: PROXY_CPU }) : undefined;
    const gateway = await startBenchGateway({ mockUrl: mock.url, dir: join(dir, 'gateway'), cpu: PROXY_CPU, cpuProfileDir: settings.cpuProfileDir, bin: settings.switchyardBin });
    // Same core as the main gateway: the serial phase has one request in flight at a time, and the closed loop drives one target at a time.
    const failoverGateway = wantsFailover
      ? await startBenchGateway({ mockUrl: mock.url, dir: join(dir, 'failover-gateway'), role: 'failover', cpu: PROXY_CPU, cpuProfileDir: settings.cpuProfileDir, bin: settings.switchyardBin })
      : undefined;
    const accountingGateway = wantsAccounting
      ? await startBenchGateway({ mockUrl: mock.url, dir: join(dir, 'accounting-gateway'), role: 'accounting', cpu: PROXY_CPU, cpuProfileDir: settings.cpuProfileDir, bin: settings.switchyardBin })
      : undefined;
    // The accounting gateway's baseline: a process as rarely used as it (a gateway that serves one
    // target of many runs cold in the serial phase; measured against the busy main gateway, that
    // alone made recording look 0.3-0.8 ms slower, with recording off just the same).
    const twinGateway = wantsAccounting
      ? await startBenchGateway({ mockUrl: mock.url, dir: join(dir, 'twin-gateway'), role: 'main', cpu: PROXY_CPU, cpuProfileDir: settings.cpuProfileDir, bin: settings.switchyardBin })
      : undefined;
    const nodeCeiling = wantsCeiling ? await startBenchNodeCeiling(mock.url, PROXY_CPU) : undefined;
    const peers = await startPeers(wantedPeers, mock.url, dir, notes);
    log(
      `mock ${mock.url}, nginx ${nginx?.url ?? '(none)'}, switchyard ${gateway.url}, failover switchyard ${failoverGateway?.url ?? '(none)'}, accounting switchyard ${accountingGateway?.url ?? '(none)'}`,
    );
    // The Anthropic direct row is only the baseline of the OpenAI → Anthropic target; failover is read against passthrough and the failing call, accounting against its twin.
    const only = settings.only
      ? [
          'direct',
          ...(settings.only.includes('openai-to-anthropic') ? ['direct-anthropic'] : []),
          ...(wantsFailover ? ['direct-500', 'passthrough'] : []),
          ...(wantsAccounting ? ['passthrough', 'passthrough-twin'] : []),
          ...settings.only,
        ]
      : undefined;
    const targets = benchTargets(
      {
        mock: mock.url,
        nginx,
        gateway: gateway.url,
        failoverGateway: failoverGateway?.url,
        accountingGateway: accountingGateway?.url,
        twinGateway: twinGateway?.url,
        nodeCeiling: nodeCeiling?.url,
        peers: [...peers].map(([name, peer]) => ({ id: name, label: peer.label, translates: peer.clientDialect !== 'openai-chat', request: peer.request })),
      },
      settings.stream,
      only,
    );
    const named = targets.map((target) => ({ id: target.id, request: target.request }));
    const loaded = targets.filter((target) => !target.serialOnly);
    const failoverTarget = targets.find((target) => target.id === 'failover');

    const smoke = await runLoadJob({ kind: 'serial', targets: named, warmup: 0, rounds: 1, perRound: 2 });
    failOnErrors('smoke test', smoke.targets);
    const idle = rssMb(gateway.process.pid);
    const ceilingIdle = nodeCeiling ? rssMb(nodeCeiling.process.pid) : undefined;
    const failoverAttempts = failoverTarget ? await sampleAttempts(failoverTarget.request, 3) : undefined;

    log(`serial phase: ${settings.serial.rounds} rounds × ${settings.serial.perRound} requests per target`);
    const serial = await measureQuietly(() => runLoadJob({ kind: 'serial', targets: named, ...settings.serial }), settings.quiet, budget);
    failOnErrors('serial phase', serial.result.targets);
    if (failoverTarget) failoverAttempts!.push(...(await sampleAttempts(failoverTarget.request, 3)));

    const serverPid = (target: BenchTarget): number => {
      if (target.otherGateway) return { failover: failoverGateway, accounting: accountingGateway, twin: twinGateway }[target.otherGateway]!.process.pid;
      if (target.kind === 'peer') return peers.get(target.id as PeerName)!.process.pid;
      return { direct: mock.process.pid, nginx: nginx?.process.pid ?? -1, ceiling: nodeCeiling?.process.pid ?? -1, switchyard: gateway.process.pid }[target.kind];
    };
    const throughput = await measureThroughput(loaded, settings, { dir, budget, mockPid: mock.process.pid, serverPid });
    const featureRounds = await measureFeatureRounds(loaded, settings, { dir, budget, mockPid: mock.process.pid, serverPid });
    const throughputAt: BenchRun['throughputAt'] = {};
    const scaled = loaded.filter((target) => OTHER_CONNECTIONS_TARGETS.includes(target.id));
    for (const connections of settings.otherConnections) {
      throughputAt[connections] = await measureThroughput(
        scaled,
        { ...settings, throughput: { ...settings.throughput, connections } },
        { dir, budget, mockPid: mock.process.pid, serverPid },
        { reportErrors: true },
      );
    }
    const afterLoad = rssMb(gateway.process.pid);
    const ceilingAfterLoad = nodeCeiling ? rssMb(nodeCeiling.process.pid) : undefined;
    const peerRssMb = Object.fromEntries([...peers].map(([name, peer]) => [name, processTreeRssMb(peer.process.pid)]));

    log(`streaming phase: ${settings.stream.streams} streams per target, ${settings.stream.chunks} chunks ${settings.stream.delayMs} ms apart`);
    const streams = await measureQuietly(
      () =>
        runLoadJob({
          kind: 'stream',
          targets: loaded.filter((target) => !target.unstreamed).map((target) => ({ id: target.id, request: target.streamRequest, warmup: target.warmStreamRequest })),
          warmups: STREAM_WARMUPS,
          streams: settings.stream.streams,
          delayMs: settings.stream.delayMs,
          contentPattern: streamContentPattern(settings.stream),
        }),
      settings.quiet,
      budget,
    );
    failOnErrors('streaming phase', streams.result.targets);

    return {
      facts,
      settings,
      pinning: describePinning(),
      targets: targets.map(({ request: _request, streamRequest: _streamRequest, unpacedStreamRequest: _unpaced, warmStreamRequest: _warm, ...info }) => info),
      serial: serial.result,
      throughput,
      featureRounds,
      throughputAt,
      streams: streams.result,
      otherLoad: { serial: serial.otherLoad, streams: streams.otherLoad },
      gatewayRssMb: { idle, afterLoad },
      nodeCeilingRssMb: ceilingIdle !== undefined && ceilingAfterLoad !== undefined ? { idle: ceilingIdle, afterLoad: ceilingAfterLoad } : undefined,
      peerRssMb,
      failoverAttempts,
      seconds: (performance.now() - startedAt) / 1000,
      notes,
    };
  } finally {
    await stopAllBenchProcesses();
    stopWatchdog();
    await rm(dir, { recursive: true, force: true });
  }
}
