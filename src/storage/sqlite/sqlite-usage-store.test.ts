import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UsageRecord } from '../../usage/usage-record.ts';
import type { UsageGroupBy, UsageQuery, UsageTotals } from '../usage-store.ts';
import { matches, naiveTotals, randomUsageRecords, testUsageRecord } from './__fixtures__/usage-records.ts';
import { SqliteUsageStore } from './sqlite-usage-store.ts';
import { UsageRecordBatch } from '../../usage/usage-record-batch.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = Date.UTC(2025, 2, 10, 0, 0, 0);

let dir: string;
let store: SqliteUsageStore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'usage-store-'));
  store = SqliteUsageStore.open(join(dir, 'switchyard.db'));
});
afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

function expectTotals(actual: UsageTotals, expected: UsageTotals): void {
  const { costUsd, ...counts } = actual;
  const { costUsd: expectedCost, ...expectedCounts } = expected;
  expect(counts).toEqual(expectedCounts);
  expect(costUsd).toBeCloseTo(expectedCost, 9);
}

function naiveGroups(records: readonly UsageRecord[], query: UsageQuery, by: UsageGroupBy): Map<string, UsageTotals> {
  const keyOf = (record: UsageRecord): string => {
    const iso = new Date(record.timestamp).toISOString();
    switch (by) {
      case 'day':
        return iso.slice(0, 10);
      case 'hour':
        return iso.slice(0, 13);
      case 'model':
        return record.modelServed;
      default:
        return record[by];
    }
  };
  const groups = new Map<string, UsageRecord[]>();
  for (const record of records.filter((candidate) => matches(candidate, query))) {
    const key = keyOf(record);
    groups.set(key, [...(groups.get(key) ?? []), record]);
  }
  return new Map([...groups].map(([key, members]) => [key, naiveTotals(members, {})]));
}

const FILTERS: UsageQuery[] = [{}, { provider: 'gemini' }, { model: 'm-2', failed: false }, { clientKeyId: 'key-c', credentialId: 'cred-1' }, { failed: true }];

/** Every range × filter, totals and each grouping, against the obvious computation. */
async function expectSameAsScan(records: readonly UsageRecord[], ranges: Array<Pick<UsageQuery, 'from' | 'to'>>, filters: UsageQuery[]): Promise<void> {
  for (const range of ranges) {
    for (const filter of filters) {
      const query = { ...range, ...filter };
      expectTotals(await store.totals(query), naiveTotals(records, query));
      for (const by of ['model', 'provider', 'clientKeyId', 'credentialId', 'day', 'hour'] as const) {
        const expected = naiveGroups(records, query, by);
        const actual = await store.grouped(query, by);
        expect(actual.map((group) => group.key).sort()).toEqual([...expected.keys()].sort());
        for (const { key, ...totals } of actual) expectTotals(totals, expected.get(key)!);
      }
    }
  }
}

describe('SqliteUsageStore', () => {
  it('inserts records once: a stored id is skipped, in later batches and within one', async () => {
    const a = testUsageRecord({ id: 'a:1' });
    const b = testUsageRecord({ id: 'b:1' });
    const c = testUsageRecord({ id: 'c:1' });
    expect(await store.insert(UsageRecordBatch.of([a, b]))).toBe(2);
    expect(await store.insert(UsageRecordBatch.of([b, c, c]))).toBe(1);
    expect(await store.insert(UsageRecordBatch.of([]))).toBe(0);
    expect((await store.list({})).map((record) => record.id).sort()).toEqual(['a:1', 'b:1', 'c:1']);
    expect((await store.totals({})).requests).toBe(3);
  });

  it('counts only the records it added in the rollups when a many-record batch mixes stored, new and repeated ids', async () => {
    const records = randomUsageRecords(200, START, 2 * DAY);
    const stored = records.slice(0, 100);
    expect(await store.insert(UsageRecordBatch.of(stored))).toBe(100);
    const fresh = records.slice(100, 140);
    // Stored and new ids alternate, and five new ones come twice, so every statement of sixteen rows sees a mix.
    const mixed = fresh.flatMap((record, index) => [stored[index * 2]!, record, ...(index % 8 === 0 ? [record] : [])]);
    expect(await store.insert(UsageRecordBatch.of(mixed))).toBe(40);
    const all = [...stored, ...fresh];
    expect((await store.list({ limit: 1_000 })).map((record) => record.id).sort()).toEqual(all.map((record) => record.id).sort());
    for (const query of FILTERS) expectTotals(await store.totals(query), naiveTotals(all, query));
    const byModel = await store.grouped({}, 'model');
    expect(new Map(byModel.map(({ key, requests }) => [key, requests]))).toEqual(new Map([...naiveGroups(all, {}, 'model')].map(([key, totals]) => [key, totals.requests])));
  });

  it('gives back every field it was given, optional ones included', async () => {
    const full = testUsageRecord({
      id: 'req-1:2',
      attempt: 2,
      authType: 'oauth',
      stream: true,
      failed: true,
      status: 529,
      errorCode: 'overloaded',
      estimated: true,
      ttftMs: 120,
      subscription: true,
      costUsd: 0.123456789,
    });
    const bare = testUsageRecord({ id: 'req-2:1' });
    await store.insert(UsageRecordBatch.of([full, bare]));
    expect(await store.get('req-1:2')).toEqual(full);
    expect(await store.get('req-2:1')).toEqual(bare);
    expect(await store.get('missing')).toBeUndefined();
  });

  it('lists newest first with filters, and pages through ties on one millisecond by keyset', async () => {
    const records = [
      testUsageRecord({ id: 'x:1', timestamp: START + 5_000, provider: 'gemini', modelServed: 'gemini-pro' }),
      testUsageRecord({ id: 'y:1', timestamp: START + 5_000, failed: true, status: 500 }),
      testUsageRecord({ id: 'z:1', timestamp: START + 5_000, clientKeyId: 'key-b' }),
      testUsageRecord({ id: 'w:1', timestamp: START + 9_000, credentialId: 'claude-api-key[1]' }),
      testUsageRecord({ id: 'v:1', timestamp: START + 1_000 }),
    ];
    await store.insert(UsageRecordBatch.of(records));
    expect((await store.list({})).map((record) => record.id)).toEqual(['w:1', 'z:1', 'y:1', 'x:1', 'v:1']);
    expect((await store.list({ provider: 'gemini' })).map((record) => record.id)).toEqual(['x:1']);
    expect((await store.list({ model: 'gemini-pro' })).map((record) => record.id)).toEqual(['x:1']);
    expect((await store.list({ clientKeyId: 'key-b' })).map((record) => record.id)).toEqual(['z:1']);
    expect((await store.list({ credentialId: 'claude-api-key[1]' })).map((record) => record.id)).toEqual(['w:1']);
    expect((await store.list({ failed: true })).map((record) => record.id)).toEqual(['y:1']);
    expect((await store.list({ failed: false })).map((record) => record.id)).toEqual(['w:1', 'z:1', 'x:1', 'v:1']);
    expect((await store.list({ from: START + 5_000, to: START + 9_000 })).map((record) => record.id)).toEqual(['z:1', 'y:1', 'x:1']);

    const seen: string[] = [];
    let before: UsageQuery['before'];
    for (;;) {
      const page = await store.list({ limit: 2, ...(before ? { before } : {}) });
      if (page.length === 0) break;
      seen.push(...page.map((record) => record.id));
      const last = page.at(-1)!;
      before = { timestamp: last.timestamp, id: last.id };
    }
    expect(seen).toEqual(['w:1', 'z:1', 'y:1', 'x:1', 'v:1']);
  });

  it('pages filtered lists across hours exactly like a filter of the whole list, ranges cut mid-hour', async () => {
    const records = randomUsageRecords(3_000, START, 2 * DAY);
    for (let index = 0; index < records.length; index += 500) await store.insert(UsageRecordBatch.of(records.slice(index, index + 500)));
    const newestFirst = [...records].sort((a, b) => b.timestamp - a.timestamp || (a.id < b.id ? 1 : -1));
    const sample = records[1234]!;
    const queries: UsageQuery[] = [
      { provider: sample.provider },
      { model: sample.modelServed, clientKeyId: sample.clientKeyId },
      { credentialId: sample.credentialId, failed: false, from: START + 7_777_777, to: START + DAY + 1_234_567 },
      { provider: 'nobody-uses-this' },
    ];
    for (const query of queries) {
      const expected = newestFirst.filter((record) => matches(record, query));
      const seen: string[] = [];
      let before: UsageQuery['before'];
      for (;;) {
        const page = await store.list({ ...query, limit: 37, ...(before ? { before } : {}) });
        if (page.length === 0) break;
        seen.push(...page.map((record) => record.id));
        const last = page.at(-1)!;
        before = { timestamp: last.timestamp, id: last.id };
      }
      expect(seen).toEqual(expected.map((record) => record.id));
    }
  });

  it('answers totals and groupings exactly like a scan of the records, for ranges cut anywhere', async () => {
    const records = randomUsageRecords(4_000, START, 3 * DAY);
    for (let index = 0; index < records.length; index += 500) await store.insert(UsageRecordBatch.of(records.slice(index, index + 500)));
    const ranges: Array<Pick<UsageQuery, 'from' | 'to'>> = [
      {},
      { from: START + 7 * 60_000 + 123 },
      { to: START + 2 * DAY + 5 * HOUR + 17 },
      { from: START + 13 * HOUR, to: START + 2 * DAY + 2 * HOUR },
      { from: START + DAY + 1, to: START + DAY + 40 * 60_000 },
      { from: START + 30 * 60_000, to: START + 2 * DAY + 30 * 60_000 },
      { from: START + DAY, to: START + 2 * DAY },
      { from: START + 5 * HOUR, to: START + 5 * HOUR },
    ];
    await expectSameAsScan(records, ranges, FILTERS);
  });

  it('orders groups by requests, and time groups by time with UTC keys', async () => {
    await store.insert(UsageRecordBatch.of([
      testUsageRecord({ id: 'a:1', modelServed: 'rare', timestamp: Date.UTC(2025, 4, 2, 23, 59) }),
      testUsageRecord({ id: 'b:1', modelServed: 'common', timestamp: Date.UTC(2025, 4, 1, 3, 10) }),
      testUsageRecord({ id: 'c:1', modelServed: 'common', timestamp: Date.UTC(2025, 4, 3, 0, 0) }),
    ]));
    expect((await store.grouped({}, 'model')).map((group) => [group.key, group.requests])).toEqual([
      ['common', 2],
      ['rare', 1],
    ]);
    expect((await store.grouped({}, 'day')).map((group) => group.key)).toEqual(['2025-05-01', '2025-05-02', '2025-05-03']);
    expect((await store.grouped({}, 'hour')).map((group) => group.key)).toEqual(['2025-05-01T03', '2025-05-02T23', '2025-05-03T00']);
  });

  it('purges records before a time in chunks, keeping the rollups in step, and purges everything', async () => {
    const records = randomUsageRecords(12_000, START, 2 * DAY, 11);
    for (let index = 0; index < records.length; index += 2_000) await store.insert(UsageRecordBatch.of(records.slice(index, index + 2_000)));
    const cut = START + DAY + 3 * HOUR + 1_234;
    const older = records.filter((record) => record.timestamp < cut).length;
    expect(older).toBeGreaterThan(5_000);
    expect(await store.purge(cut)).toBe(older);
    const kept = records.filter((record) => record.timestamp >= cut);
    await expectSameAsScan(kept, [{}, { from: START + DAY + 2 * HOUR + 5, to: START + 2 * DAY - 5 }], FILTERS);
    expect(await store.purge()).toBe(kept.length);
    expect(await store.totals({})).toEqual({ requests: 0, failures: 0, inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, costUsd: 0 });
    expect(await store.grouped({}, 'hour')).toEqual([]);
  });

  it('keeps its records across a close and a reopen', async () => {
    await store.insert(UsageRecordBatch.of([testUsageRecord({ id: 'kept:1' })]));
    await store.close();
    store = SqliteUsageStore.open(join(dir, 'switchyard.db'));
    expect(store.migration).toEqual({ from: 4, to: 4 });
    expect((await store.get('kept:1'))?.id).toBe('kept:1');
    expect((await store.totals({})).requests).toBe(1);
  });

  it('does its writes off the calling thread: the insert call returns before the batch is written', async () => {
    const batch = randomUsageRecords(2_000, START, DAY, 5);
    const pending = store.insert(UsageRecordBatch.of(batch));
    expect((await store.totals({})).requests).toBe(0);
    expect(await pending).toBe(2_000);
    expect((await store.totals({})).requests).toBe(2_000);
  });
});
