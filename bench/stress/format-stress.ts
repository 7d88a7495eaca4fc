import type { ColdStartResult } from './cold-start.ts';
import type { ConcurrentStreamsResult, CountedBurst } from './concurrent-streams.ts';
import { medianLongStreamRate, type LongStreamResult } from './long-stream.ts';
import type { OpenLoopPhaseResult } from './open-loop.ts';
import type { OpenLoopRun } from './pool-open-loop.ts';
import type { PhaseOutcome, StressResult } from './run-stress.ts';
import type { SoakResult, SoakRss } from './soak.ts';
import { markdownTable, percent, signed } from '../markdown.ts';
import { stressGoals } from './stress-goals.ts';

const count = (value: number): string => Math.round(value).toLocaleString('en-US');
const fixed = (value: number, digits: number): string => (Number.isFinite(value) ? value.toFixed(digits) : '–');


function coldStartSection(cold: ColdStartResult): string[] {
  const rows = cold.samples.map((sample, i) => [
    String(i + 1),
    fixed(sample.listeningMs, 0),
    fixed(sample.firstAnswerMs, 0),
    String(sample.polls),
    fixed(sample.idleRssMb, 1),
    fixed(sample.idleAnonMb, 1),
    fixed(sample.settledRssMb, 1),
    fixed(sample.settledAnonMb, 1),
  ]);
  rows.push(['median', '–', fixed(cold.medianMs, 0), '–', fixed(cold.idleRssMb.median, 1), fixed(cold.idleRssMb.privateMedian, 1), fixed(cold.settledRssMb.median, 1), fixed(cold.settledRssMb.privateMedian, 1)]);
  return [
    `Cold start: \`node --max-semi-space-size=8 bin/switchyard.js --config FILE\` (usage recording and main.log on, as by default) on the proxy CPU, each start in a fresh data dir, timed from the spawn to the first 200 of a chat request through to the mock (polled every few ms; refused connections expected at first); Node and the sources already in the page cache, Node's compile cache filled by an earlier start. The RSS is read ${cold.idleAfterMs / 1000} s after the first 200, and again ${cold.settledAfterMs / 1000} s after it, when the gateway, quiet for ${(cold.settledAfterMs - cold.idleAfterMs) / 1000} s, has given back the memory starting took. The private part of the RSS leaves out the Node binary's code pages, which every Node process shares (other load ${percent(cold.otherLoad)}):`,
    '',
    markdownTable(
      ['start', '"listening" logged, ms', 'first 200, ms', 'refused or failed polls', `RSS ${cold.idleAfterMs / 1000} s later, MB`, 'of which private, MB', `RSS ${cold.settledAfterMs / 1000} s later, MB`, 'of which private, MB'],
      rows,
    ),
    '',
    `The Node ceiling (\`node bench/ceiling/node-proxy.js\`, plain JavaScript) started after each, on the same CPU, timed from the spawn to the first 200 through the URL it prints, RSS ${cold.idleAfterMs / 1000} s later: first 200 in ${cold.nodeCeiling.samples.map((sample) => fixed(sample.firstAnswerMs, 0)).join(', ')} ms, RSS ${cold.nodeCeiling.samples.map((sample) => fixed(sample.idleRssMb, 1)).join(', ')} MB (private ${cold.nodeCeiling.samples.map((sample) => fixed(sample.idleAnonMb, 1)).join(', ')} MB).`,
  ];
}

function burstRow(label: string, burst: CountedBurst): string[] {
  const kinds = Object.entries(burst.failureKinds).map(([kind, n]) => `${n} ${kind}`).join(', ');
  return [
    label,
    `${count(burst.complete)} / ${count(burst.streams)}`,
    burst.failures === 0 ? '0' : `**${count(burst.failures)}** (${kinds})`,
    fixed(burst.seconds, 2),
    `${fixed(burst.ttfbMs.p50, 0)} / ${fixed(burst.ttfbMs.max, 0)}`,
    `${fixed(burst.doneMs.p50, 0)} / ${fixed(burst.doneMs.max, 0)}`,
    count(burst.listenOverflows),
  ];
}

function concurrentSection(run: ConcurrentStreamsResult): string[] {
  const lines = [
    `Concurrent streams: ${count(run.streams)} OpenAI chat streams opened at once (one connection each), ${run.chunks} chunks ${run.delayMs} ms apart; complete = 200, every chunk, the text the mock sent and \`data: [DONE]\`; straight to the mock, then through the passthrough (other load ${percent(run.otherLoad)}):`,
    '',
    markdownTable(
      ['target', 'complete', 'failures', 'all done, s', 'first byte p50 / max, ms', 'stream end p50 / max, ms', 'listen-queue drops (SYN retried after 1 s)'],
      [burstRow('direct → mock', run.direct), burstRow('Switchyard OpenAI → OpenAI (passthrough)', run.gateway)],
    ),
    '',
    `Switchyard RSS: ${fixed(run.gatewayRssMb.before, 1)} MB before the burst, peak ${fixed(run.gatewayRssMb.peak, 1)} MB (VmHWM; ${fixed(run.gatewayRssMb.sampledPeak, 1)} MB in the samples), ${fixed(run.gatewayRssMb.after, 1)} MB at the end.`,
  ];
  const failures = [...run.direct.firstFailures.map((text) => `direct: ${text}`), ...run.gateway.firstFailures.map((text) => `Switchyard: ${text}`)];
  if (failures.length > 0) lines.push('', `First failures: ${failures.map((text) => `\`${text.replace(/`/g, "'")}\``).join('; ')}.`);
  return lines;
}

function longStreamSection(long: LongStreamResult): string[] {
  const direct = long.direct;
  const rows = [['direct → mock (OpenAI chat)', '–', fixed(direct.ttfbMs, 0), fixed(direct.bodyMs, 0), count(direct.tokensPerSecond), fixed(direct.mbPerSecond, 1), '–', '–', '–', '–', '–']];
  for (const route of long.routes) {
    route.runs.forEach((run, i) => {
      const rss = run.rssMb;
      rows.push([
        i === 0 ? route.label : '',
        String(i + 1),
        fixed(run.ttfbMs, 0),
        fixed(run.bodyMs, 0),
        count(run.tokensPerSecond),
        fixed(run.mbPerSecond, 1),
        fixed(rss.before, 1),
        fixed(rss.atStart, 1),
        fixed(rss.peak, 1),
        fixed(rss.after, 1),
        signed(rss.growth, 1),
      ]);
    });
  }
  const rates = long.routes.map((route) => {
    const rate = medianLongStreamRate(route.runs);
    return `${route.label} ${count(rate.tokensPerSecond)} tokens/s, ${fixed(rate.mbPerSecond, 1)} MB/s (other load ${percent(route.otherLoad)})`;
  });
  return [
    `Long stream: ${count(long.tokens)} tokens, the mock writing them unpaced, ${long.tokensPerChunk} tokens per chunk, read by the client as fast as it can; each route on a fresh gateway (the bare Node proxy, which parses nothing, on a fresh process of its own, for comparison), after ${long.warmupStreams} warm-up streams of ${count(long.warmupTokens)} tokens, then the long stream several times in a row. Throughput over the body (first byte to last), for information; growth = peak (VmHWM, reset just before the stream) − RSS just before:`,
    '',
    markdownTable(['route', 'run', 'first byte, ms', 'body, ms', 'tokens/s', 'MB/s', 'RSS before, MB', 'at start', 'peak', '1 s after', 'growth'], rows),
    '',
    `Median throughput: ${rates.join('; ')}.`,
  ];
}

function openLoopRow(label: string, run: OpenLoopRun, direct?: OpenLoopRun): string[] {
  return [
    label,
    count(run.achievedRate),
    count(run.errors + run.warmupErrors),
    fixed(run.latency.p50, 2),
    fixed(run.latency.p99, 2),
    fixed(run.latency.max, 2),
    direct ? signed(run.latency.p50 - direct.latency.p50) : '–',
    direct ? signed(run.latency.p99 - direct.latency.p99) : '–',
    `${fixed(run.sendLagMs.p99, 1)} / ${fixed(run.sendLagMs.max, 1)}`,
    `${percent(run.otherLoad)}${run.attempts > run.slices ? ` (${run.attempts} attempts for ${run.slices} slices)` : ''}`,
  ];
}

function openLoopSection(open: OpenLoopPhaseResult): string[] {
  const lines = [
    `Open loop: ${count(open.rate)} plain OpenAI chat requests per second on a fixed schedule, whatever the answers do, for ${open.durationMs / 1000} s per target in ${open.slices} slices alternating between the targets (direct, Switchyard, the bare Node proxy, then the other way round, ...), each after a warm-up at the same rate, the slices of a target pooled; the mock answers after ${open.mockLatencyMs} ms; latency from each request's scheduled send time, so a stall counts in full (no coordinated omission). Send lag = how late the generator itself sent: when it is high, the load generator's core was busy and the tail is the machine's, not the gateway's. A slice disturbed by other processes is repeated within a budget and the least disturbed kept (other load: the worst slice's):`,
    '',
    markdownTable(
      ['target', 'answered req/s', 'errors', 'p50 ms', 'p99 ms', 'max ms', 'added p50', 'added p99', 'send lag p99 / max, ms', 'other load'],
      [
        openLoopRow('direct → mock (OpenAI chat)', open.direct),
        openLoopRow('Switchyard OpenAI → OpenAI (passthrough)', open.gateway, open.direct),
        openLoopRow('bare node:http + undici proxy (the Node ceiling)', open.nodeCeiling, open.direct),
      ],
    ),
    '',
    `Switchyard peak RSS during its run: ${fixed(open.gatewayPeakRssMb, 1)} MB.`,
  ];
  const firstError = open.gateway.firstError ?? open.direct.firstError ?? open.nodeCeiling.firstError;
  if (firstError) lines.push('', `First error: \`${firstError.replace(/`/g, "'")}\`.`);
  return lines;
}

function soakRssLine(who: string, rss: SoakRss): string {
  return `${who} RSS: ${fixed(rss.start, 1)} MB at the start (median of the first ${fixed(rss.edgeMs / 1000, 0)} s after the warm-up), ${fixed(rss.end, 1)} MB at the end (median of the last ${fixed(rss.edgeMs / 1000, 0)} s), drift ${signed(rss.drift, 1)} MB (${signed(rss.driftShare * 100, 1)}%), max ${fixed(rss.max, 1)} MB`;
}

function soakSection(soak: SoakResult): string[] {
  const rows = soak.mix.map(({ id, label }) => {
    const kind = soak.load.byKind[id]!;
    return [label, count(kind.completed), count(kind.errors), fixed(kind.p50, 2), fixed(kind.p99, 2), fixed(kind.max, 2)];
  });
  const alongside = soak.nodeCeiling ? ' and as many to the bare Node proxy, interleaved (plain and streamed alike)' : '';
  const lines = [
    `Soak: ${count(soak.rate)} requests per second to Switchyard on a fixed schedule (its four kinds below in turn, streams unpaced)${alongside}, ${fixed(soak.durationMs / 1000, 0)} s measured after ${fixed(soak.warmupMs / 1000, 0)} s of warm-up, RSS sampled every ${fixed(soak.sampleEveryMs / 1000, 1)} s (other load ${percent(soak.otherLoad)}):`,
    '',
    markdownTable(['request', 'answered', 'errors', 'p50 ms', 'p99 ms', 'max ms'], rows),
    '',
    `${soakRssLine('Switchyard', soak.rssMb)}${soak.nodeCeiling ? `. ${soakRssLine('The bare Node proxy', soak.nodeCeiling.rssMb)}` : ''}; ${count(soak.load.warmupErrors)} errors during the warm-up. Generator send lag p99 ${fixed(soak.load.sendLagMs.p99, 1)} ms, max ${fixed(soak.load.sendLagMs.max, 1)} ms.`,
  ];
  if (soak.load.firstError) lines.push('', `First error: \`${soak.load.firstError.replace(/`/g, "'")}\`.`);
  return lines;
}

function section<T>(outcome: PhaseOutcome<T> | undefined, title: string, render: (result: T) => string[]): string[] {
  if (!outcome) return [];
  const body = outcome.ok ? render(outcome.result) : [`The phase failed after ${outcome.seconds.toFixed(0)} s:`, '', '```', outcome.error.slice(0, 2_000), '```'];
  return [`#### ${title}`, '', ...body, ''];
}

/** The stress phases as Markdown: the goals with their verdicts, then a section per phase. */
export function formatStressReport(result: StressResult): string {
  const goals = stressGoals(result);
  const lines = [
    '#### Stress goals',
    '',
    `Pinning: ${result.pinning}. Each phase runs its own mock (load CPU) and gateway (proxy CPU); the load generators run as their own processes on the load CPU. The stress phases took ${result.seconds.toFixed(0)} s.`,
    '',
    markdownTable(
      ['goal', 'measured', 'verdict'],
      goals.map((goal) => [goal.goal, goal.measured, goal.pass === undefined ? 'info' : goal.pass ? 'pass' : '**FAIL**']),
    ),
    '',
    ...section(result.coldStart, 'Cold start', coldStartSection),
    ...section(result.concurrentStreams, 'Concurrent streams', concurrentSection),
    ...section(result.longStream, 'Long stream', longStreamSection),
    ...section(result.openLoop, 'Open loop', openLoopSection),
    ...section(result.soak, 'Soak', soakSection),
  ];
  return `${lines.join('\n').trimEnd()}\n`;
}
