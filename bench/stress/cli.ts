import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { stopAllBenchProcesses } from '../bench-process.ts';
import { disablePinning } from '../cpu-pinning.ts';
import { formatStressReport } from './format-stress.ts';
import { runStressPhases } from './run-stress.ts';
import { FULL_STRESS_SETTINGS, QUICK_STRESS_SETTINGS, STRESS_PHASES, type StressPhase, type StressSettings } from './stress-settings.ts';

const USAGE = `Usage: node bench/stress/cli.ts [options]

Runs Switchyard's stress phases on their own and prints the report (raw figures in
.bench/last-stress.json). The full benchmark runs them after its own phases.

  --quick                 every phase in about 20 s at most
  --only PHASE,PHASE      ${STRESS_PHASES.join(', ')}
  --soak-s S              measured soak time in seconds (default 600, quick 12)
  --open-loop-rate N      open-loop requests per second (default 1000)
  --open-loop-s S         open-loop seconds per target (default 20)
  --streams N             concurrent streams (default 1000)
  --long-tokens N         tokens of the long stream (default 500000)
  --switchyard-bin FILE   run another checkout's bin/switchyard.js
  --no-pin                do not pin processes to cores`;

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean' },
    only: { type: 'string' },
    'soak-s': { type: 'string' },
    'open-loop-rate': { type: 'string' },
    'open-loop-s': { type: 'string' },
    streams: { type: 'string' },
    'long-tokens': { type: 'string' },
    'switchyard-bin': { type: 'string' },
    'no-pin': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const base = values.quick ? QUICK_STRESS_SETTINGS : FULL_STRESS_SETTINGS;
const number = (value: string | undefined, fallback: number): number => (value === undefined ? fallback : Number(value));
const phases = values.only ? (values.only.split(',') as StressPhase[]) : base.phases;
const unknown = phases.filter((phase) => !STRESS_PHASES.includes(phase));
if (unknown.length > 0) {
  console.error(`unknown phase: ${unknown.join(', ')}\n\n${USAGE}`);
  process.exit(2);
}
if (values['no-pin']) disablePinning();

const settings: StressSettings = {
  ...base,
  phases,
  concurrentStreams: { ...base.concurrentStreams, streams: number(values.streams, base.concurrentStreams.streams) },
  longStream: { ...base.longStream, tokens: number(values['long-tokens'], base.longStream.tokens) },
  openLoop: { ...base.openLoop, rate: number(values['open-loop-rate'], base.openLoop.rate), durationMs: number(values['open-loop-s'], base.openLoop.durationMs / 1000) * 1000 },
  soak: { ...base.soak, durationMs: number(values['soak-s'], base.soak.durationMs / 1000) * 1000 },
  switchyardBin: values['switchyard-bin'],
};

try {
  const result = await runStressPhases(settings);
  console.log(formatStressReport(result));
  const rawDir = fileURLToPath(new URL('../../.bench/', import.meta.url));
  await mkdir(rawDir, { recursive: true });
  await writeFile(`${rawDir}last-stress.json`, `${JSON.stringify(result, null, 2)}\n`);
} finally {
  await stopAllBenchProcesses();
}
