import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createLogger } from '../src/observability/logger.ts';
import { SqliteUsageStore } from '../src/storage/sqlite/sqlite-usage-store.ts';
import type { UsageQuery } from '../src/storage/usage-store.ts';
import { UsageRecorder } from '../src/usage/usage-recorder.ts';
import { stopAllBenchProcesses } from './bench-process.ts';
import { generateUsageRecords } from './generate-usage-records.ts';
import { startSwitchyardCli } from './start-gateway.ts';
import { UsageRecordBatch } from '../src/usage/usage-record-batch.ts';

const USAGE = `Usage: node bench/usage-analytics.ts [--records N] [--days N] [--keys N] [--runs N] [--keep]

Inserts N usage records (default 1,000,000 over 30 days, 12 client keys) into a fresh SQLite
usage store in batches of 500, as the recorder flushes them, then times the analytics queries,
then starts the gateway (bin/switchyard.js) on that database and times the HTTP routes
(/api/usage/analytics and the others) end to end. Exits 1 when anything takes 200 ms or more.`;

const LIMIT_MS = 200;
const MANAGEMENT_KEY = 'bench-analytics-management-key';

/** The gateway CLI on the benchmark's database (its data dir), with a management key and no providers. */
function startAnalyticsGateway(dataDir: string): Promise<{ url: string }> {
  const config = `host: "127.0.0.1"\nport: 0\nremote-management:\n  secret-key: "${MANAGEMENT_KEY}"\n`;
  return startSwitchyardCli('switchyard (analytics)', dataDir, config, { timeoutMs: 60_000 });
}

const BATCH = 500;

const { values } = parseArgs({
  options: {
    records: { type: 'string' },
    days: { type: 'string' },
    keys: { type: 'string' },
    runs: { type: 'string' },
    keep: { type: 'boolean' },
    help: { type: 'boolean' },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const count = Number(values.records ?? 1_000_000);
const days = Number(values.days ?? 30);
const clientKeys = Number(values.keys ?? 12);
const runs = Number(values.runs ?? 5);

const dir = await mkdtemp(join(tmpdir(), 'switchyard-usage-bench-'));
const path = join(dir, 'switchyard.db');
const store = SqliteUsageStore.open(path);
// A round hour plus some minutes, so ranges ending "now" have partial hours at both edges.
const end = Math.floor(Date.now() / 3_600_000) * 3_600_000 + 17 * 60_000 + 23_456;

// The caller's share of an insert (handing the batch to the writer thread) is what a request
// could ever wait behind; the round trip is what the writer thread spends.
const callerMs: number[] = [];
const roundTripMs: number[] = [];
const insertStart = performance.now();
for (const batch of generateUsageRecords({ count, end, days, clientKeys }, BATCH)) {
  const started = performance.now();
  const inserted = store.insert(UsageRecordBatch.of(batch));
  callerMs.push(performance.now() - started);
  await inserted;
  roundTripMs.push(performance.now() - started);
}
const insertMs = performance.now() - insertStart;
const spread = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!.toFixed(2);
  return `p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${sorted.at(-1)!.toFixed(2)} ms`;
};
const size = (await stat(path)).size + (await stat(`${path}-wal`).catch(() => ({ size: 0 }))).size;
console.log(
  `inserted ${count.toLocaleString('en')} records in ${(insertMs / 1000).toFixed(1)} s ` +
    `(${Math.round(count / (insertMs / 1000)).toLocaleString('en')}/s), database ${(size / 1024 / 1024).toFixed(0)} MB\n` +
    `  per batch of ${BATCH}: caller's event loop ${spread(callerMs)}; writer thread round trip ${spread(roundTripMs)}`,
);

const hour = 3_600_000;
const day = 24 * hour;
const last24h: UsageQuery = { from: end - day, to: end };
const last7d: UsageQuery = { from: end - 7 * day, to: end };
const [firstPage] = [await store.list({ provider: 'claude', limit: 50 })];
const cursor = firstPage!.at(-1)!;

const queries: Array<[string, () => Promise<unknown>]> = [
  ['totals, all time', () => store.totals({})],
  ['totals, last 24 h (partial hours at both ends)', () => store.totals(last24h)],
  ['totals, last 7 days', () => store.totals(last7d)],
  ['totals, one client key, last 7 days', () => store.totals({ ...last7d, clientKeyId: 'key03-digest' })],
  ['totals, failures only, all time', () => store.totals({ failed: true })],
  ['grouped by model, all time', () => store.grouped({}, 'model')],
  ['grouped by provider, all time', () => store.grouped({}, 'provider')],
  ['grouped by client key, all time', () => store.grouped({}, 'clientKeyId')],
  ['grouped by credential, all time', () => store.grouped({}, 'credentialId')],
  ['grouped by model, last 7 days', () => store.grouped(last7d, 'model')],
  ['grouped by day, all time', () => store.grouped({}, 'day')],
  ['grouped by hour, all time', () => store.grouped({}, 'hour')],
  ['grouped by hour, last 24 h', () => store.grouped(last24h, 'hour')],
  ['grouped by day, provider filter, last 7 days', () => store.grouped({ ...last7d, provider: 'gemini' }, 'day')],
  ['grouped by hour, model filter, all time', () => store.grouped({ model: 'claude-sonnet-4-5' }, 'hour')],
  ['list, newest 50', () => store.list({ limit: 50 })],
  ['list, provider filter, second page (keyset)', () => store.list({ provider: 'claude', limit: 50, before: { timestamp: cursor.timestamp, id: cursor.id } })],
  ['list, model + client key + last 24 h', () => store.list({ ...last24h, model: 'gpt-5', clientKeyId: 'key01-digest', limit: 50 })],
  ['list, failures only', () => store.list({ failed: true, limit: 50 })],
  ['get by id', () => store.get(cursor.id)],
];

let failed = false;
const rows: string[] = [];
for (const [name, run] of queries) {
  const times: number[] = [];
  for (let index = 0; index < runs; index++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  const worst = Math.max(...times);
  const sorted = [...times].sort((a, b) => a - b);
  if (worst >= LIMIT_MS) failed = true;
  rows.push(
    `${worst >= LIMIT_MS ? 'FAIL' : 'ok  '}  ${name.padEnd(50)} first ${times[0]!.toFixed(1).padStart(7)} ms   median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1).padStart(7)} ms   worst ${worst.toFixed(1).padStart(7)} ms`,
  );
}
console.log(rows.join('\n'));

// Not an analytics query: the one-time read a gateway does at start-up to fill the in-memory
// usage statistics (totals plus the recent details of every client key and model).
const recorder = new UsageRecorder({ store, logger: createLogger({ destination: process.stderr }) });
const stalls = monitorEventLoopDelay({ resolution: 1 });
stalls.enable();
const loadStarted = performance.now();
await recorder.loadHistory();
stalls.disable();
console.log(
  `start-up history load for GET /v0/management/usage: ${(performance.now() - loadStarted).toFixed(0)} ms in all, ` +
    `longest event-loop stall ${(stalls.max / 1e6).toFixed(1)} ms`,
);

await store.close();

// The same questions through the gateway, as the dashboard asks them: HTTP, the management key
// check, every store query a route makes, and the JSON answer.
const routes = [
  '/api/usage/analytics?range=24h',
  '/api/usage/analytics?range=7d',
  '/api/usage/analytics?range=30d',
  '/api/usage/analytics?range=all',
  '/api/usage/analytics?range=30d&provider=claude',
  '/api/usage/history?range=7d',
  '/api/usage/call-logs?limit=50',
  '/api/usage/call-logs?limit=50&provider=gemini&range=7d',
  '/v0/management/usage',
];
const gateway = await startAnalyticsGateway(dir);
try {
  const routeRows: string[] = [];
  for (const route of routes) {
    const times: number[] = [];
    for (let index = 0; index < runs; index++) {
      const started = performance.now();
      const response = await fetch(gateway.url + route, { headers: { authorization: `Bearer ${MANAGEMENT_KEY}` } });
      const body = await response.text();
      times.push(performance.now() - started);
      if (response.status !== 200) throw new Error(`${route}: HTTP ${response.status} ${body.slice(0, 200)}`);
    }
    const worst = Math.max(...times);
    if (worst >= LIMIT_MS) failed = true;
    const sorted = [...times].sort((a, b) => a - b);
    routeRows.push(
      `${worst >= LIMIT_MS ? 'FAIL' : 'ok  '}  GET ${route.padEnd(55)} first ${times[0]!.toFixed(1).padStart(7)} ms   median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1).padStart(7)} ms   worst ${worst.toFixed(1).padStart(7)} ms`,
    );
  }
  console.log(routeRows.join('\n'));
} finally {
  await stopAllBenchProcesses();
}

if (values.keep) console.log(`database kept at ${path}`);
else await rm(dir, { recursive: true, force: true });
if (failed) {
  console.error(`usage analytics: at least one query took ${LIMIT_MS} ms or more`);
  process.exit(1);
}
console.log(`usage analytics: every query under ${LIMIT_MS} ms`);
