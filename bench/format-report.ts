import { markdownTable, percent, signed } from './markdown.ts';
import type { BenchRun, LoadTool, ThroughputMeasurement } from './run-bench.ts';
import { passthroughRowFor, type FailoverSummary, type RunSummary, type TargetSummary } from './summarise-run.ts';

const ms = (micros: number, digits = 3): string => (micros / 1000).toFixed(digits);
const signedMs = (micros: number): string => `${micros >= 0 ? '+' : '−'}${ms(Math.abs(micros))}`;
const times = (value: number | undefined): string => (value === undefined || !Number.isFinite(value) ? '–' : `${value.toFixed(2)}×`);
const TOOL_NAMES: Record<LoadTool, string> = { node: 'in-repo undici client', wrk: 'wrk -t1' };


function serialTable(summary: RunSummary): string {
  const nginx = summary.rows.find((row) => row.id === 'nginx');
  const rows = summary.rows.map((row) => {
    const direct = row.kind === 'direct';
    const passthrough = row.translates ? passthroughRowFor(row, summary.rows) : undefined;
    return [
      row.label,
      `${ms(row.serial.p50)} ±${ms(row.serial.iqr / 2)}`,
      ms(row.serial.p99),
      direct ? '–' : signedMs(row.serial.addedP50),
      direct ? '–' : signedMs(row.serial.addedP99),
      direct || !nginx ? '–' : times(row.serial.addedP50 / nginx.serial.addedP50),
      passthrough ? times(row.serial.addedP50 / passthrough.serial.addedP50) : '–',
    ];
  });
  return markdownTable(['target', 'p50 ms (±IQR/2)', 'p99 ms', 'added p50', 'added p99', 'added p50 ÷ nginx added', 'added p50 ÷ passthrough added'], rows);
}

function failoverTable(failover: FailoverSummary): string {
  const both = (figures: { p50: number; p99: number }, format: (micros: number) => string) => [format(figures.p50), format(figures.p99)];
  const rows = [
    ['direct → mock answering 500: the extra upstream call', ...both(failover.failingCall, (micros) => ms(micros))],
    ['passthrough added (one healthy credential)', ...both(failover.passthroughAdded, signedMs)],
    ['failover added (primary 500 → fallback, cooldowns off)', ...both(failover.failoverAdded, signedMs)],
    ['**failover cost** = failover added − passthrough added', ...both(failover.cost, signedMs)],
    ['bound = the failing call + 1 ms', ...both(failover.bound, (micros) => ms(micros))],
    ['cost ÷ bound', times(failover.cost.p50 / failover.bound.p50), times(failover.cost.p99 / failover.bound.p99)],
    ["cost − the failing call: the gateway's own work per failover", ...both({ p50: failover.cost.p50 - failover.failingCall.p50, p99: failover.cost.p99 - failover.failingCall.p99 }, signedMs)],
  ];
  if (failover.coolingCost) rows.push(['failover with cooldown on, added − passthrough added', ...both(failover.coolingCost, signedMs)]);
  return markdownTable(['figure', 'p50 ms', 'p99 ms'], rows);
}

function throughputTable(summary: RunSummary, tool: LoadTool): string {
  const rows = summary.rows.filter((row) => row.throughput[tool]).map((row: TargetSummary) => {
    const figures = row.throughput[tool]!;
    return [
      row.label,
      Math.round(figures.rps).toLocaleString('en-US'),
      ms(figures.p50, 2),
      ms(figures.p99, 2),
      row.kind === 'direct' ? '–' : times(figures.vsDirect),
      times(figures.vsNginx),
      figures.serverCpuUs.toFixed(1),
      row.kind === 'nginx' ? '–' : times(figures.cpuVsNginx),
      percent(figures.otherLoad),
    ];
  });
  return markdownTable(['target', 'req/s', 'p50 ms', 'p99 ms', '× direct', '× nginx', 'server CPU µs/req', 'nginx CPU ÷ this CPU', 'other load'], rows);
}

/** A closed loop at another concurrency: absolute figures and the ratios to direct and nginx at that concurrency. */
function concurrencyTable(summary: RunSummary, results: Record<string, ThroughputMeasurement>): string {
  const rows = summary.rows
    .filter((row) => results[row.id])
    .map((row) => {
      const own = results[row.id]!;
      return [
        row.label,
        Math.round(own.rps).toLocaleString('en-US'),
        ms(own.p50, 2),
        ms(own.p99, 2),
        results.direct && row.kind !== 'direct' ? times(own.rps / results.direct.rps) : '–',
        results.nginx ? times(own.rps / results.nginx.rps) : '–',
        own.serverCpuUs.toFixed(1),
        own.errors > 0 ? `${own.errors.toLocaleString('en-US')} (${own.firstError ?? ''})` : '0',
        percent(own.otherLoad),
      ];
    });
  return markdownTable(['target', 'req/s', 'p50 ms', 'p99 ms', '× direct', '× nginx', 'server CPU µs/req', 'errors', 'other load'], rows);
}


function streamTable(summary: RunSummary, run: BenchRun): string {
  const rows = summary.rows.filter((row) => row.stream).map((row) => {
    const stream = row.stream!;
    const direct = row.kind === 'direct';
    return [
      row.label,
      stream.ttfb.toFixed(2),
      direct ? '–' : signed(stream.addedTtfb),
      stream.ttft.toFixed(2),
      direct ? '–' : signed(stream.addedTtft),
      stream.gapP99.toFixed(2),
      direct ? '–' : signed(stream.addedGapP99),
      `${stream.contentDeliveries} (${stream.minContentDeliveries}) / ${run.settings.stream.chunks}`,
      stream.asTheyArrive ? 'yes' : '**no**',
    ];
  });
  return markdownTable(['target', 'TTFB ms', 'added', 'first chunk ms', 'added', 'chunk gap p99 ms', 'added', 'separate deliveries, median (worst) / chunks', 'as they arrive'], rows);
}

/** One run as a dated Markdown section: machine, settings, goal verdicts, then every table. */
export function formatRunReport(run: BenchRun, summary: RunSummary): string {
  const { facts, settings } = run;
  const date = facts.date.replace('T', ' ').replace(/:\d\d\.\d+Z$/, ' UTC');
  const lines = [
    `### ${date} · ${facts.commit}`,
    '',
    `Machine: ${facts.cpu}, ${facts.cores} cores, Linux ${facts.kernel}, Node ${facts.node}, undici ${facts.undici}, nginx ${facts.nginx ?? '–'}, wrk ${facts.wrk ?? '–'}.`,
    '',
    `Settings: mock latency ${settings.mockLatencyMs} ms; serial ${settings.serial.rounds} rounds × ${settings.serial.perRound} requests per target (after ${settings.serial.warmup} warm-up each); ` +
      `throughput c=${settings.throughput.connections}, ${settings.throughput.warmupMs / 1000} s warm-up + ${settings.throughput.durationMs / 1000} s per target (${settings.throughput.tools.map((tool) => TOOL_NAMES[tool]).join(', ')}); ` +
      `streams ${settings.stream.streams} per target, ${settings.stream.chunks} chunks ${settings.stream.delayMs} ms apart. Pinning: ${run.pinning}.`,
    '',
    markdownTable(
      ['goal', 'measured', 'verdict'],
      summary.goals.map((goal) => [goal.goal, goal.measured, goal.pass === undefined ? 'info' : goal.pass ? 'pass' : '**FAIL**']),
    ),
    '',
    `Serial, 1 connection, interleaved (p50 = median of round medians; added = minus the direct row of the same upstream route; other load ${percent(run.otherLoad.serial)}):`,
    '',
    serialTable(summary),
    '',
  ];
  if (summary.failover) {
    const { failover } = summary;
    const cpu = failover.cpuUs
      ? ` Server CPU per request in the closed loop (${TOOL_NAMES[summary.primaryTool]}): ${failover.cpuUs.failover.toFixed(1)} µs failing over, ${failover.cpuUs.passthrough.toFixed(1)} µs passthrough (${signed(failover.cpuUs.failover - failover.cpuUs.passthrough)} µs for the failed attempt).`
      : '';
    lines.push(
      `Failover, from the serial phase (p50 = median of round medians, p99 over all samples; the bound is the issue's: failover adds no more than the second upstream call itself plus 1 ms).${cpu}`,
      '',
      failoverTable(failover),
      '',
    );
  }
  if (summary.rows.some((row) => row.id === 'passthrough-accounting')) {
    lines.push(
      'Features on: the accounting row runs through a third gateway, the main one\'s twin with `usage-statistics-enabled: true` and `logging-to-file: true` (its data and `logs/main.log` in a temp dir; `request-log`, a debugging aid, off); its baseline is a fourth gateway, the same config with both off, serving one target as rarely as it (a gateway hit by one target of many runs with colder caches than the busy main one). Client key checks and metrics are on in both (metrics cannot be switched off), so the goals compare every always-on feature with the bare request path plus those two.',
      '',
    );
  }
  for (const [connections, byTool] of Object.entries(run.throughputAt)) {
    for (const [tool, results] of Object.entries(byTool) as Array<[LoadTool, Record<string, ThroughputMeasurement>]>) {
      lines.push(`Closed loop, ${connections} connection${connections === '1' ? '' : 's'}, ${TOOL_NAMES[tool]}:`, '', concurrencyTable(summary, results), '');
    }
  }
  for (const tool of Object.keys(run.throughput) as LoadTool[]) {
    lines.push(`Closed loop, ${settings.throughput.connections} connections, ${TOOL_NAMES[tool]}${tool === summary.primaryTool ? ' (used for the goals)' : ''}:`, '', throughputTable(summary, tool), '');
  }
  lines.push(
    `Streaming (SSE), one stream at a time (TTFB = first body byte; first chunk = first content token; every chunk should reach the client as its own delivery; other load ${percent(run.otherLoad.streams)}):`,
    '',
    streamTable(summary, run),
    '',
  );
  const peerRss = Object.entries(run.peerRssMb).map(([name, mb]) => `${name} ${mb.toFixed(0)} MB`);
  lines.push(
    `Switchyard RSS: ${run.gatewayRssMb.idle.toFixed(0)} MB idle, ${run.gatewayRssMb.afterLoad.toFixed(0)} MB after the closed-loop phase${run.nodeCeilingRssMb ? ` (the Node ceiling: ${run.nodeCeilingRssMb.idle.toFixed(0)} MB and ${run.nodeCeilingRssMb.afterLoad.toFixed(0)} MB)` : ''}${peerRss.length > 0 ? `; peers after it: ${peerRss.join(', ')}` : ''}. The run took ${Math.round(run.seconds)} s.`,
  );
  lines.push('', '"Other load" is the share of the machine used by processes outside the benchmark while it measured (a measurement above 10% is repeated, up to a limit, and the least disturbed attempt kept).');
  for (const note of run.notes) lines.push('', `Note: ${note}`);
  return `${lines.join('\n')}\n`;
}
