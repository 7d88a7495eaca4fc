import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { IDLE_RELEASE_AFTER_MS } from '../../src/process/release-memory-when-idle.ts';
import { startBenchProcess, type BenchProcess } from '../bench-process.ts';
import type { RequestSpec } from '../bench-targets.ts';
import { LOAD_CPU, PROXY_CPU } from '../cpu-pinning.ts';
import { freeLoopbackPort } from '../free-port.ts';
import { median } from '../stats.ts';
import { gatewayNodeArgs, startBenchGateway } from '../start-gateway.ts';
import { startBenchMock } from '../start-mock.ts';
import { startBenchNodeCeiling } from '../start-node-ceiling.ts';
import { measureWithOtherLoad } from './other-load.ts';
import { readRss } from './rss-sampler.ts';
import type { StressSettings } from './stress-settings.ts';
import { stressTarget } from './stress-requests.ts';

/** A start slower than this is a failure, not a figure. */
const START_LIMIT_MS = 15_000;

/** Past the gateway's quiet period, by `idleAfterMs`: by then it has given back what starting took. */
export function settledAfterMs(settings: StressSettings): number {
  return IDLE_RELEASE_AFTER_MS + settings.coldStart.idleAfterMs;
}

export interface ColdStartSample {
  /** Milliseconds from spawning `node bin/switchyard.js` to the first 200 of a chat request. */
  firstAnswerMs: number;
  /** To the "listening" log line, for comparison: what the first request itself costs on top. */
  listeningMs: number;
  /** Polls refused or answered with an error before the 200. */
  polls: number;
  /** RSS `idleAfterMs` after the first 200, nothing else happening, and its private (anonymous) part. */
  idleRssMb: number;
  idleAnonMb: number;
  /** The same `settledAfterMs` after the first 200: the gateway has given its memory back by then. */
  settledRssMb: number;
  settledAnonMb: number;
}

/** A start of the bare Node proxy, which prints its URL once it listens (it takes no port). */
export interface CeilingStartSample {
  /** From the spawn to the first 200, through the URL it prints. */
  firstAnswerMs: number;
  idleRssMb: number;
  idleAnonMb: number;
}

/** RSS over the starts, MB: median, largest, and the median of its private part. */
export interface RssSummary {
  median: number;
  max: number;
  privateMedian: number;
}

export interface ColdStartResult {
  samples: ColdStartSample[];
  medianMs: number;
  maxMs: number;
  idleRssMb: RssSummary;
  idleAfterMs: number;
  settledRssMb: RssSummary;
  settledAfterMs: number;
  /** The bare Node proxy started the same way, as evidence of what Node itself takes. */
  nodeCeiling: { samples: CeilingStartSample[]; medianMs: number; idleRssMb: RssSummary };
  otherLoad: number;
}

/** Polls the chat route every few ms until it answers 200 (connection refused is expected at first); returns the polls that did not. */
async function pollUntilAnswered(request: RequestSpec, gateway: BenchProcess, pollEveryMs: number): Promise<number> {
  const pool = new Pool(request.origin, { connections: 1, pipelining: 1 });
  let polls = 0;
  try {
    const deadline = performance.now() + START_LIMIT_MS;
    for (;;) {
      try {
        const response = await pool.request({ path: request.path, method: 'POST', headers: request.headers, body: request.body });
        await response.body.dump({ limit: Number.MAX_SAFE_INTEGER });
        if (response.statusCode === 200) return polls;
      } catch {
        // Not listening yet.
      }
      polls++;
      if (gateway.child.exitCode !== null) throw new Error(`switchyard exited with ${gateway.child.exitCode} during a cold start:\n${gateway.output()}`);
      if (performance.now() > deadline) throw new Error(`switchyard did not answer 200 within ${START_LIMIT_MS} ms of its start:\n${gateway.output()}`);
      await sleep(pollEveryMs);
    }
  } finally {
    await pool.destroy();
  }
}

async function ceilingStart(mockUrl: string, settings: StressSettings): Promise<CeilingStartSample> {
  const spawnedAt = performance.now();
  const ceiling = await startBenchNodeCeiling(mockUrl, PROXY_CPU);
  try {
    const { request } = stressTarget({ mock: mockUrl, nodeCeiling: ceiling.url }, 'node-ceiling', { chunks: 1, delayMs: 0 });
    if ((await pollUntilAnswered(request, ceiling.process, settings.coldStart.pollEveryMs)) > 0) throw new Error('the Node ceiling refused a request after printing its URL');
    const firstAnswerMs = performance.now() - spawnedAt;
    await sleep(settings.coldStart.idleAfterMs);
    const idle = readRss(ceiling.process.pid);
    return { firstAnswerMs, idleRssMb: idle.rssMb, idleAnonMb: idle.anonMb };
  } finally {
    await ceiling.process.stop();
  }
}

async function coldStart(template: string, dir: string, mockUrl: string, settings: StressSettings): Promise<ColdStartSample> {
  await mkdir(dir, { recursive: true });
  const port = await freeLoopbackPort();
  const configPath = join(dir, 'config.yaml');
  await writeFile(configPath, template.replace(/^port: 0$/m, `port: ${port}`));
  const origin = `http://127.0.0.1:${port}`;
  const { request } = stressTarget({ mock: mockUrl, gateway: origin }, 'passthrough', { chunks: 1, delayMs: 0 });

  const spawnedAt = performance.now();
  const { process: gateway } = await startBenchProcess('switchyard (cold start)', process.execPath, {
    args: [...gatewayNodeArgs(settings.switchyardBin), '--config', configPath],
    cwd: dir,
    env: { ...process.env, SWITCHYARD_HOME: dir },
    cpu: PROXY_CPU,
  });
  let listeningMs = Number.NaN;
  const onOutput = () => {
    if (Number.isNaN(listeningMs) && /switchyard listening on/.test(gateway.output())) listeningMs = performance.now() - spawnedAt;
  };
  gateway.child.stdout?.on('data', onOutput);
  try {
    const polls = await pollUntilAnswered(request, gateway, settings.coldStart.pollEveryMs);
    const firstAnswerMs = performance.now() - spawnedAt;
    await sleep(settings.coldStart.idleAfterMs);
    const idle = readRss(gateway.pid);
    await sleep(settledAfterMs(settings) - settings.coldStart.idleAfterMs);
    const settled = readRss(gateway.pid);
    return { firstAnswerMs, listeningMs, polls, idleRssMb: idle.rssMb, idleAnonMb: idle.anonMb, settledRssMb: settled.rssMb, settledAnonMb: settled.anonMb };
  } finally {
    gateway.child.stdout?.off('data', onOutput);
    await gateway.stop();
  }
}

/**
 * Cold start: `node bin/switchyard.js --config FILE`, timed from the spawn to the first 200 of a
 * real chat request (through to the mock), each start in a fresh data dir, with usage recording
 * and main.log on as by default. One start through the
 * usual helper comes first: it writes the config as the benchmark does, and leaves Node and the
 * sources in the page cache and Node's compile cache filled, as on any machine that ran the
 * gateway before.
 */
export async function runColdStartPhase(settings: StressSettings): Promise<ColdStartResult> {
  const dir = await mkdtemp(join(tmpdir(), 'switchyard-stress-cold-'));
  const mock = await startBenchMock({ cpu: LOAD_CPU, latencyMs: 0 });
  try {
    // The accounting role: every always-on feature (usage recording with its writer thread, main.log), as a default config runs.
    const template = await startBenchGateway({ mockUrl: mock.url, dir: join(dir, 'template'), role: 'accounting', cpu: PROXY_CPU, bin: settings.switchyardBin });
    await template.process.stop();
    const config = await readFile(join(dir, 'template', 'config.yaml'), 'utf8');
    if (!/^port: 0$/m.test(config)) throw new Error('the bench config has no `port: 0` line to give a fixed port');
    const measured = await measureWithOtherLoad(async () => {
      const samples: ColdStartSample[] = [];
      const ceilingSamples: CeilingStartSample[] = [];
      for (let i = 0; i < settings.coldStart.starts; i++) {
        samples.push(await coldStart(config, join(dir, `start-${i}`), mock.url, settings));
        ceilingSamples.push(await ceilingStart(mock.url, settings));
      }
      return { samples, ceilingSamples };
    });
    const { samples, ceilingSamples } = measured.result;
    const times = samples.map((sample) => sample.firstAnswerMs);
    const rssOf = <Sample>(of: Sample[], rss: (sample: Sample) => number, anon: (sample: Sample) => number): RssSummary => ({
      median: median(of.map(rss)),
      max: Math.max(...of.map(rss)),
      privateMedian: median(of.map(anon)),
    });
    return {
      samples,
      medianMs: median(times),
      maxMs: Math.max(...times),
      idleRssMb: rssOf(samples, (sample) => sample.idleRssMb, (sample) => sample.idleAnonMb),
      idleAfterMs: settings.coldStart.idleAfterMs,
      settledRssMb: rssOf(samples, (sample) => sample.settledRssMb, (sample) => sample.settledAnonMb),
      settledAfterMs: settledAfterMs(settings),
      nodeCeiling: {
        samples: ceilingSamples,
        medianMs: median(ceilingSamples.map((sample) => sample.firstAnswerMs)),
        idleRssMb: rssOf(ceilingSamples, (sample) => sample.idleRssMb, (sample) => sample.idleAnonMb),
      },
      otherLoad: measured.otherLoad,
    };
  } finally {
    await mock.process.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
