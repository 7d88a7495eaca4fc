import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installBenchWatchdog, stopAllBenchProcesses } from '../bench-process.ts';
import { LOAD_CPU, PROXY_CPU } from '../cpu-pinning.ts';
import { startBenchMock } from '../start-mock.ts';
import { ensureBenchPeersInstalled } from './install-peers.ts';
import { startBenchPeer, type BenchPeer } from './start-peer.ts';

/**
 * `node bench/peers/smoke.ts`: installs the peers, puts each in front of the mock and checks that
 * one plain and one streamed request really come back from the mock through it.
 */

const TEXT = 'Why put one local gateway in front of several AI providers?';
/** Streams are paced, so that a peer holding chunks back shows as fewer reads than events. */
const STREAM_PACING = '[[mock:slow 20]]';

/** The answer's text: the whole body for a plain answer, the concatenated deltas for a stream. */
function answerText(body: string, stream: boolean, dialect: BenchPeer['clientDialect']): string {
  if (!stream) return body;
  let text = '';
  for (const line of body.split('\n')) {
    if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
    const event = JSON.parse(line.slice(6)) as { choices?: { delta?: { content?: string } }[]; delta?: { text?: string } };
    text += (dialect === 'openai-chat' ? event.choices?.[0]?.delta?.content : event.delta?.text) ?? '';
  }
  return text;
}

async function check(peer: BenchPeer, stream: boolean): Promise<boolean> {
  const spec = peer.request(stream, stream ? `${STREAM_PACING} ${TEXT}` : TEXT);
  const started = performance.now();
  const response = await fetch(spec.origin + spec.path, { method: 'POST', headers: spec.headers, body: spec.body, signal: AbortSignal.timeout(10_000) });
  let firstByte = 0;
  let reads = 0;
  let body = '';
  const decoder = new TextDecoder();
  for await (const chunk of response.body!) {
    firstByte ||= performance.now() - started;
    reads++;
    body += decoder.decode(chunk, { stream: true });
  }
  const total = performance.now() - started;
  const echoed = answerText(body, stream, peer.clientDialect).includes(`echo: ${TEXT}`);
  const events = body.split('\n').filter((line) => line.startsWith('data: ')).length;
  console.log(
    `  ${stream ? 'stream' : 'plain '} HTTP ${response.status} ${response.headers.get('content-type')}, first byte ${firstByte.toFixed(1)} ms, total ${total.toFixed(1)} ms, ${reads} reads${stream ? ` of ${events} events` : ''}, echo ${echoed ? 'ok' : 'MISSING'}`,
  );
  console.log(`    ${body.slice(0, 240).replaceAll('\n', '\\n')}`);
  return response.status === 200 && echoed;
}

async function main(): Promise<number> {
  const install = await ensureBenchPeersInstalled();
  for (const note of install.notes) console.log(`install: ${note}`);
  const dir = await mkdtemp(join(tmpdir(), 'switchyard-peers-'));
  let failures = 0;
  try {
    const mock = await startBenchMock({ cpu: LOAD_CPU, latencyMs: 0 });
    for (const name of install.installed) {
      const started = performance.now();
      const peer = await startBenchPeer(name, { mockUrl: mock.url, dir: join(dir, name), cpu: PROXY_CPU });
      console.log(`${peer.label}: ${peer.url}, forwarding after ${(performance.now() - started).toFixed(0)} ms`);
      for (const stream of [false, true]) if (!(await check(peer, stream))) failures++;
      const printed = peer.process.output().trim();
      if (printed) console.log(`  printed ${printed.length} chars, last: ${printed.slice(-200).replaceAll('\n', '\\n')}`);
      await peer.process.stop();
    }
  } finally {
    await stopAllBenchProcesses();
    await rm(dir, { recursive: true, force: true });
  }
  return failures === 0 && install.installed.length > 0 ? 0 : 1;
}

const disarm = installBenchWatchdog(120_000);
const code = await main().catch((error: unknown) => {
  console.error(error);
  return 1;
});
disarm();
process.exit(code);
