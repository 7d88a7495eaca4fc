import type { UsageGroupBy, UsageQuery, UsageStore, UsageTotals } from '../../storage/usage-store.ts';
import { matches, naiveTotals } from '../../storage/sqlite/__fixtures__/usage-records.ts';
import type { UsageRecord } from '../usage-record.ts';
import type { UsageRecordBatch } from '../usage-record-batch.ts';

/**
 * Test double: a UsageStore over an array, with the contract's semantics as the SQLite store
 * implements them (`model` filters and groups the served model; time groups are UTC `YYYY-MM-DD`
 * and `YYYY-MM-DDTHH` in time order; lists newest first with (timestamp, id) keyset paging).
 */
export class InMemoryUsageStore implements UsageStore {
  readonly records: UsageRecord[] = [];
  closed = false;

  async insert(records: UsageRecordBatch): Promise<number> {
    const known = new Set(this.records.map((record) => record.id));
    let added = 0;
    for (const record of records.records()) {
      if (known.has(record.id)) continue;
      known.add(record.id);
      this.records.push(structuredClone(record));
      added += 1;
    }
    return added;
  }

  async list(query: UsageQuery): Promise<UsageRecord[]> {
    const limit = Math.min(Math.max(Math.trunc(query.limit ?? 100), 1), 10_000);
    const before = query.before;
    return this.matching(query)
      .filter((record) => !before || record.timestamp < before.timestamp || (record.timestamp === before.timestamp && record.id < before.id))
      .sort((a, b) => b.timestamp - a.timestamp || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .slice(0, limit)
      .map((record) => structuredClone(record));
  }

  async get(id: string): Promise<UsageRecord | undefined> {
    const record = this.records.find((candidate) => candidate.id === id);
    return record ? structuredClone(record) : undefined;
  }

  async totals(query: UsageQuery): Promise<UsageTotals> {
    return naiveTotals(this.matching(query), {});
  }

  async grouped(query: UsageQuery, by: UsageGroupBy): Promise<Array<{ key: string } & UsageTotals>> {
    const groups = new Map<string, UsageRecord[]>();
    for (const record of this.matching(query)) {
      const key = groupKey(record, by);
      groups.set(key, [...(groups.get(key) ?? []), record]);
    }
    const rows = [...groups].map(([key, records]) => ({ key, ...naiveTotals(records, {}) }));
    return by === 'day' || by === 'hour'
      ? rows.sort((a, b) => (a.key < b.key ? -1 : 1))
      : rows.sort((a, b) => b.requests - a.requests || (a.key < b.key ? -1 : 1));
  }

  async purge(before?: number): Promise<number> {
    const kept = this.records.filter((record) => before !== undefined && record.timestamp >= before);
    const deleted = this.records.length - kept.length;
    this.records.splice(0, this.records.length, ...kept);
    return deleted;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private matching(query: UsageQuery): UsageRecord[] {
    return this.records.filter((record) => matches(record, query));
  }
}

function groupKey(record: UsageRecord, by: UsageGroupBy): string {
  switch (by) {
    case 'model':
      return record.modelServed;
    case 'provider':
      return record.provider;
    case 'clientKeyId':
      return record.clientKeyId;
    case 'credentialId':
      return record.credentialId;
    case 'day':
      return new Date(record.timestamp).toISOString().slice(0, 10);
    case 'hour':
      return new Date(record.timestamp).toISOString().slice(0, 13);
  }
}
