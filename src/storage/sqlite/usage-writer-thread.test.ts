import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { UsageRecordBatch } from '../../usage/usage-record-batch.ts';
import { testUsageRecord } from './__fixtures__/usage-records.ts';
import { SqliteUsageStore } from './sqlite-usage-store.ts';
import { UsageWriterThread } from './usage-writer-thread.ts';

let dir: string;
let store: SqliteUsageStore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'usage-writer-thread-'));
  store = SqliteUsageStore.open(join(dir, 'switchyard.db'));
});
afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

it('closes the thread after it idles, starts another with the next write, and loses no record', async () => {
  const thread = new UsageWriterThread(store.path, 5_000, 600);
  try {
    expect(thread.running).toBe(false);
    expect(await thread.insert(UsageRecordBatch.of([testUsageRecord({ id: 'before-idle' })]))).toBe(1);
    expect(thread.running).toBe(true);
    // Writes keep it up: a quiet period counts from the last one.
    await sleep(400);
    expect(await thread.insert(UsageRecordBatch.of([testUsageRecord({ id: 'still-busy' })]))).toBe(1);
    await sleep(300);
    expect(thread.running).toBe(true);
    await sleep(900);
    expect(thread.running).toBe(false);
    expect(await thread.insert(UsageRecordBatch.of([testUsageRecord({ id: 'after-idle' }), testUsageRecord({ id: 'before-idle' })]))).toBe(1);
    expect(thread.running).toBe(true);
  } finally {
    await thread.close();
  }
  expect(thread.running).toBe(false);
  expect((await store.list({})).map((record) => record.id).sort()).toEqual(['after-idle', 'before-idle', 'still-busy']);
});
