import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { UsageQuery, UsageStore, UsageTotals } from '../storage/usage-store.ts';
import { apiNameOf, usageDetailOf } from './cliproxy-usage-snapshot.ts';
import type { UsageRecord } from './usage-record.ts';

const DAY_MS = 86_400_000;
const PAGE = 1_000;
const CHUNK_CHARS = 64 * 1024;

/** Writes text in chunks of about 64 KiB, waiting while the reader is behind. */
class ChunkedWriter {
  private readonly out: Writable;
  private buffer = '';

  constructor(out: Writable) {
    this.out = out;
  }

  async write(text: string): Promise<void> {
    this.buffer += text;
    if (this.buffer.length >= CHUNK_CHARS) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.out.destroyed) throw new Error('the client closed the connection before the export was complete');
    const chunk = this.buffer;
    this.buffer = '';
    if (chunk && !this.out.write(chunk)) await once(this.out, 'drain');
  }
}

interface ModelPart {
  clientKeyId: string;
  model: string;
  totals: UsageTotals;
}

const tokensOf = (totals: UsageTotals) => totals.inputTokens + totals.outputTokens;
const jsonKey = (key: string) => `${JSON.stringify(key)}:`;

/**
 * Records of one query, newest first, a page at a time. A store may answer synchronously (SQLite
 * does), so each page is followed by a turn of the event loop: a long export never holds up the
 * requests being served meanwhile.
 */
async function listAll(store: UsageStore, query: UsageQuery): Promise<UsageRecord[]> {
  const records: UsageRecord[] = [];
  for (let page = await store.list({ ...query, limit: PAGE }); page.length > 0; ) {
    records.push(...page);
    await nextTurn();
    if (page.length < PAGE) break;
    const last = page[page.length - 1]!;
    page = await store.list({ ...query, limit: PAGE, before: { timestamp: last.timestamp, id: last.id } });
  }
  return records;
}

/**
 * The details of one `apis` model entry (one or more client key ids share a masked key), oldest
 * first, a UTC day at a time: memory holds one day's records of one entry at most.
 */
async function writeDetails(writer: ChunkedWriter, store: UsageStore, parts: readonly ModelPart[], to: number): Promise<void> {
  const days = new Set<string>();
  for (const part of parts) for (const day of await store.grouped({ clientKeyId: part.clientKeyId, model: part.model, to }, 'day')) days.add(day.key);
  let first = true;
  for (const day of [...days].sort()) {
    const from = Date.parse(`${day}T00:00:00Z`);
    const records: UsageRecord[] = [];
    for (const part of parts) records.push(...(await listAll(store, { clientKeyId: part.clientKeyId, model: part.model, from, to: Math.min(from + DAY_MS, to) })));
    records.sort((a, b) => a.timestamp - b.timestamp || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const record of records) {
      await writer.write(`${first ? '' : ','}${JSON.stringify({ ...usageDetailOf(record), switchyard: record })}`);
      first = false;
    }
  }
}

/**
 * Streams `GET /v0/management/usage/export`'s answer, `{version: 1, exported_at, usage}`, from
 * storage: the whole history up to `to`, not the bounded in-memory view. Totals come from the
 * store's rollups, details a page at a time, so neither the export's size nor the history's
 * touches memory.
 */
export async function writeUsageExport(out: Writable, store: UsageStore, to: number): Promise<void> {
  const writer = new ChunkedWriter(out);
  const totals = await store.totals({ to });
  const apis = new Map<string, Map<string, ModelPart[]>>();
  for (const key of await store.grouped({ to }, 'clientKeyId')) {
    const [sample] = await store.list({ to, clientKeyId: key.key, limit: 1 });
    if (!sample) continue;
    const apiName = apiNameOf(sample);
    const models = apis.get(apiName) ?? new Map<string, ModelPart[]>();
    apis.set(apiName, models);
    for (const model of await store.grouped({ to, clientKeyId: key.key }, 'model')) {
      const name = model.key || 'unknown';
      models.set(name, [...(models.get(name) ?? []), { clientKeyId: key.key, model: model.key, totals: model }]);
    }
  }

  await writer.write(
    `{"version":1,"exported_at":${JSON.stringify(new Date(to).toISOString())},"usage":{` +
      `"total_requests":${totals.requests},"success_count":${totals.requests - totals.failures},` +
      `"failure_count":${totals.failures},"total_tokens":${tokensOf(totals)},"apis":{`,
  );
  let firstApi = true;
  for (const [apiName, models] of apis) {
    const parts = [...models.values()].flat();
    const requests = parts.reduce((sum, part) => sum + part.totals.requests, 0);
    const tokens = parts.reduce((sum, part) => sum + tokensOf(part.totals), 0);
    await writer.write(`${firstApi ? '' : ','}${jsonKey(apiName)}{"total_requests":${requests},"total_tokens":${tokens},"models":{`);
    firstApi = false;
    let firstModel = true;
    for (const [name, modelParts] of models) {
      const modelRequests = modelParts.reduce((sum, part) => sum + part.totals.requests, 0);
      const modelTokens = modelParts.reduce((sum, part) => sum + tokensOf(part.totals), 0);
      await writer.write(`${firstModel ? '' : ','}${jsonKey(name)}{"total_requests":${modelRequests},"total_tokens":${modelTokens},"details":[`);
      firstModel = false;
      await writeDetails(writer, store, modelParts, to);
      await writer.write(']}');
    }
    await writer.write('}}');
  }

  const requestsByDay: Record<string, number> = {};
  const tokensByDay: Record<string, number> = {};
  for (const day of await store.grouped({ to }, 'day')) {
    requestsByDay[day.key] = day.requests;
    tokensByDay[day.key] = tokensOf(day);
  }
  const requestsByHour: Record<string, number> = {};
  const tokensByHour: Record<string, number> = {};
  for (const hour of await store.grouped({ to }, 'hour')) {
    const key = hour.key.slice(11, 13);
    requestsByHour[key] = (requestsByHour[key] ?? 0) + hour.requests;
    tokensByHour[key] = (tokensByHour[key] ?? 0) + tokensOf(hour);
  }
  await writer.write(
    `},"requests_by_day":${JSON.stringify(requestsByDay)},"requests_by_hour":${JSON.stringify(requestsByHour)},` +
      `"tokens_by_day":${JSON.stringify(tokensByDay)},"tokens_by_hour":${JSON.stringify(tokensByHour)}}}`,
  );
  await writer.flush();
}
