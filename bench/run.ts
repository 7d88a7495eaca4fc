import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { formatRunReport } from './format-report.ts';
import { recordRun } from './performance-doc.ts';
import { runBench, type BenchSettings, type LoadTool } from './run-bench.ts';
import { formatStressReport } from './stress/format-stress.ts';
import { runStressPhases } from './stress/run-stress.ts';
import { FULL_STRESS_SETTINGS, QUICK_STRESS_SETTINGS, STRESS_PHASES, type StressPhase } from './stress/stress-settings.ts';
import { summariseRun } from './summarise-run.ts';

const USAGE = `Usage: npm run bench -- [options]   (or node bench/run.ts [options])

Measures Switchyard against a direct call to the mock upstream and against nginx, in one run on
127.0.0.1, and records the result on top of docs/performance.md.

  --quick                 short run (about 1 minute), not recorded unless --write
  --tool node|wrk|both    closed-loop load generator (default both)
  --duration S            seconds measured per target in the closed loop (default 8)
  --connections N         closed-loop connections (default 50)
  --other-connections N,N more closed-loop concurrencies for direct, nginx, the Node ceiling and
                          passthrough (default 1,256; none with --quick)
  --rounds N, --per-round N   serial phase shape (default 15 × 100)
  --stream-chunks N, --stream-delay-ms N, --streams N   streaming phase (default 20, 20, 40)
  --mock-latency-ms N     latency the mock adds to every answer (default 0)
  --only ID,ID            targets besides direct: nginx, passthrough, anthropic-to-openai,
                          openai-to-anthropic, responses-to-chat, gemini-to-openai, failover
                          (brings direct-500 and passthrough along), failover-cooling,
                          passthrough-accounting (usage recording on; brings passthrough along),
                          portkey, claude-code-router (Node peers, installed on demand into .bench/peers),
                          node-ceiling (a bare node:http + undici proxy: the Node floor)
  --stress PHASE,PHASE    stress phases after the others (default all: ${STRESS_PHASES.join(', ')};
                          'none' skips them); bench/stress/cli.ts runs them alone
  --soak-s S              measured soak time in seconds (default 600, quick 12)
  --cpu-prof DIR          write a V8 CPU profile of the gateway into DIR
  --switchyard-bin FILE   run another checkout's bin/switchyard.js (to compare builds)
  --no-pin                do not pin processes to cores
  --write / --no-write    record in docs/performance.md or not`;

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean' },
    tool: { type: 'string' },
    duration: { type: 'string' },
    connections: { type: 'string' },
    'other-connections': { type: 'string' },
    rounds: { type: 'string' },
    'per-round': { type: 'string' },
    'stream-chunks': { type: 'string' },
    'stream-delay-ms': { type: 'string' },
    streams: { type: 'string' },
    'mock-latency-ms': { type: 'string' },
    only: { type: 'string' },
    'cpu-prof': { type: 'string' },
    stress: { type: 'string' },
    'soak-s': { type: 'string' },
    'switchyard-bin': { type: 'string' },
    'no-pin': { type: 'boolean' },
    write: { type: 'boolean' },
    'no-write': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const quick = values.quick === true;
const number = (value: string | undefined, fallback: number): number => (value === undefined ? fallback : Number(value));
const tools: LoadTool[] = values.tool === 'node' ? ['node'] : values.tool === 'wrk' ? ['wrk'] : quick && values.tool === undefined ? ['wrk'] : ['node', 'wrk'];

const settings: BenchSettings = {
  mockLatencyMs: number(values['mock-latency-ms'], 0),
  serial: { warmup: quick ? 50 : 200, rounds: number(values.rounds, quick ? 5 : 15), perRound: number(values['per-round'], quick ? 40 : 100) },
  throughput: {
    connections: number(values.connections, 50),
    warmupMs: quick ? 1_000 : 2_000,
    durationMs: number(values.duration, quick ? 3 : 8) * 1000,
    tools,
  },
  otherConnections: values['other-connections'] !== undefined ? values['other-connections'].split(',').filter(Boolean).map(Number) : quick ? [] : [1, 256],
  stream: { chunks: number(values['stream-chunks'], 20), delayMs: number(values['stream-delay-ms'], 20), streams: number(values.streams, quick ? 2 : 40) },
  only: values.only?.split(','),
  quiet: { threshold: 0.1, attempts: quick ? 2 : 3, waitMs: quick ? 5_000 : 20_000, budgetMs: quick ? 30_000 : 180_000 },
  pin: values['no-pin'] !== true,
  cpuProfileDir: values['cpu-prof'],
  switchyardBin: values['switchyard-bin'],
  // The full run's phases took 919 s at 02:59 on 2026-11-28, before the feature tax went from five
  // rounds to eleven (about 70 s more): 16 minutes no longer left room for a slow spell.
  timeLimitMs: (quick ? 4 : 20) * 60_000,
};

const run = await runBench(settings).catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
const rawDir = fileURLToPath(new URL('../.bench/', import.meta.url));
let report = formatRunReport(run, summariseRun(run));
console.log(report);

const stressBase = quick ? QUICK_STRESS_SETTINGS : FULL_STRESS_SETTINGS;
const stressPhases = values.stress === 'none' ? [] : values.stress ? (values.stress.split(',') as StressPhase[]) : stressBase.phases;
if (stressPhases.length > 0) {
  const stress = await runStressPhases({
    ...stressBase,
    phases: stressPhases,
    soak: { ...stressBase.soak, durationMs: number(values['soak-s'], stressBase.soak.durationMs / 1000) * 1000 },
    switchyardBin: values['switchyard-bin'],
  });
  const stressReport = formatStressReport(stress);
  console.log(stressReport);
  await mkdir(rawDir, { recursive: true });
  await writeFile(`${rawDir}last-stress.json`, `${JSON.stringify(stress, null, 2)}\n`);
  report = `${report}\n${stressReport}`;
}

await mkdir(rawDir, { recursive: true });
await writeFile(`${rawDir}last-run.json`, `${JSON.stringify(run, null, 2)}\n`);
const record = values['no-write'] !== true && (!quick || values.write === true);
if (record) {
  const doc = fileURLToPath(new URL('../docs/performance.md', import.meta.url));
  await recordRun(doc, report);
  console.error(`bench: recorded in ${doc}`);
}
