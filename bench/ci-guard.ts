import { parseArgs } from 'node:util';
import { formatRunReport } from './format-report.ts';
import { runBench, type BenchSettings } from './run-bench.ts';
import { summariseRun } from './summarise-run.ts';

/**
 * `npm run bench:ci`: a short run (under 2 minutes) of direct, nginx and Switchyard passthrough
 * that fails when Switchyard regresses far below the nginx floor measured in the same run.
 * Ratios, not absolute figures, so that it holds on any machine of this kind.
 */
const MIN_THROUGHPUT_VS_NGINX = 0.35;
const MAX_ADDED_P50_VS_NGINX = 5;
/** nginx's added latency is about 0.2 ms here; a floor keeps a noisy near-zero reading from failing the guard. */
const NGINX_ADDED_FLOOR_US = 20;

const { values } = parseArgs({ options: { 'switchyard-bin': { type: 'string' } } });

const settings: BenchSettings = {
  mockLatencyMs: 0,
  serial: { warmup: 100, rounds: 8, perRound: 60 },
  throughput: { connections: 50, warmupMs: 1_000, durationMs: 3_000, tools: ['wrk'] },
  otherConnections: [],
  stream: { chunks: 5, delayMs: 10, streams: 1 },
  only: ['nginx', 'passthrough'],
  quiet: { threshold: 0.1, attempts: 2, waitMs: 3_000, budgetMs: 40_000 },
  pin: true,
  switchyardBin: values['switchyard-bin'],
  timeLimitMs: 110_000,
};

const run = await runBench(settings).catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
const summary = summariseRun(run);
console.log(formatRunReport(run, summary));

const row = (id: string) => {
  const found = summary.rows.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`bench:ci: no ${id} row (is nginx installed?)`);
  return found;
};
const nginx = row('nginx');
const passthrough = row('passthrough');
const tool = summary.primaryTool;
const throughputRatio = passthrough.throughput[tool]!.rps / nginx.throughput[tool]!.rps;
const addedRatio = passthrough.serial.addedP50 / Math.max(NGINX_ADDED_FLOOR_US, nginx.serial.addedP50);
const checks = [
  { name: `passthrough throughput ≥ ${MIN_THROUGHPUT_VS_NGINX}× nginx`, measured: `${throughputRatio.toFixed(2)}×`, pass: throughputRatio >= MIN_THROUGHPUT_VS_NGINX },
  { name: `passthrough added p50 ≤ ${MAX_ADDED_P50_VS_NGINX}× nginx's added p50`, measured: `${addedRatio.toFixed(2)}×`, pass: addedRatio <= MAX_ADDED_P50_VS_NGINX },
];
for (const check of checks) console.log(`${check.pass ? 'ok  ' : 'FAIL'} ${check.name}: ${check.measured}`);
const failed = checks.filter((check) => !check.pass).length;
console.log(failed === 0 ? 'bench:ci passed' : `bench:ci failed (${failed} of ${checks.length} checks)`);
process.exit(failed === 0 ? 0 : 1);
