import { once } from 'node:events';
import type { Writable } from 'node:stream';
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

/** The details of one client key and model, oldest first, a day at a time (memory stays bounded by a day's records). */
async function writeDetails(writer: ChunkedWriter, store: UsageStore, base: UsageQuery, to: number, first: { value: boolean }): Promise<void> {
  for (const day of await store.grouped({ ...base, to }, 'day')) {
    const dayStart = Date.parse(`${day.key}T00:00:00Z`);
    const query: UsageQuery = { ...base, from: dayStart, to: Math.min(dayStart + DAY_MS, to), limit: PAGE };
    const records: UsageRecord[] = [];
    for (let page = await store.list(query); page.length > 0; ) {
      records.push(...page);
      if (page.length < PAGE) break;
      const last = page[page.length - 1]!;
      page = await store.list({ ...query, before: { timestamp: last.timestamp, id: last.id } });
    }
    for (let index = records.length - 1; index >= 0; index--) {
      const record = records[index]!;
      await writer.write(`${first.value ? '' : ','}${JSON.stringify({ ...usageDetailOf(record), switchyard: record })}`);
      first.value = false;
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
      const firstDetail = { value: true };
      for (const part of modelParts) await writeDetails(writer, store, { clientKeyId: part.clientKeyId, model: part.model }, to, firstDetail);
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
