import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { randomUsageRecords, testUsageRecord } from '../storage/sqlite/__fixtures__/usage-records.ts';
import { transferList, UsageRecordBatch, type PackedUsageRecords } from './usage-record-batch.ts';

const everyField = testUsageRecord({
  id: '019ac0de-0000-7000-8000-000000000001:2',
  authType: 'oauth',
  stream: true,
  status: 429,
  failed: true,
  errorCode: 'rate_limited',
  cachedInputTokens: 7,
  cacheWriteTokens: 3,
  reasoningTokens: 11,
  estimated: true,
  latencyMs: 812.5,
  ttftMs: 95,
  costUsd: 0.0123456789,
  subscription: true,
});
const noOptionals = testUsageRecord({ id: 'plain:1' });

/** What another thread receives: the packed batch sent through a real message port with its transfer list. */
function throughPort(packed: PackedUsageRecords): PackedUsageRecords {
  const { port1, port2 } = new MessageChannel();
  port1.postMessage(packed, transferList(packed));
  const received = receiveMessageOnPort(port2)!.message as PackedUsageRecords;
  port1.close();
  return received;
}

describe('UsageRecordBatch', () => {
  it('gives back every field of every record, optional ones present or absent', () => {
    const batch = UsageRecordBatch.of([everyField, noOptionals]);
    expect(batch.length).toBe(2);
    expect([...batch]).toEqual([everyField, noOptionals]);
    expect('errorCode' in batch.recordAt(1)).toBe(false);
    expect('ttftMs' in batch.recordAt(1)).toBe(false);
  });

  it('crosses a message port by transfer and reads the same on the other side', () => {
    const records = randomUsageRecords(300, Date.UTC(2025, 5, 1), 86_400_000);
    const batch = UsageRecordBatch.of([everyField, ...records]);
    const packed = batch.pack();
    const received = new UsageRecordBatch(throughPort(packed));
    // Transferred, not copied: the sender's packed columns are detached...
    expect(packed.numbers.length).toBe(0);
    // ...and the batch itself is whole, for a retry.
    expect([...batch]).toEqual([everyField, ...records]);
    expect([...received]).toEqual([everyField, ...records]);
  });

  it('is reused after clearing: what a cleared batch packs has nothing of what it held before', () => {
    const batch = UsageRecordBatch.of(randomUsageRecords(100, Date.UTC(2025, 5, 1), 3_600_000));
    batch.dropOldest(10);
    batch.clear();
    expect(batch.length).toBe(0);
    batch.add(noOptionals);
    batch.add(everyField);
    const packed = batch.pack();
    const fresh = UsageRecordBatch.of([noOptionals, everyField]).pack();
    expect(packed.length).toBe(2);
    expect(packed.strings).toHaveLength(new Set(fresh.strings).size);
    // Only the records in use cross, not the capacity the batch kept from its hundred records.
    expect(packed.numbers.buffer.byteLength).toBe(fresh.numbers.byteLength);
    expect(packed.refs.buffer.byteLength).toBe(fresh.refs.byteLength);
    expect([...new UsageRecordBatch(throughPort(packed))]).toEqual([noOptionals, everyField]);
  });

  it('holds each shared string once per batch', () => {
    const records = randomUsageRecords(1_000, Date.UTC(2025, 5, 1), 3_600_000);
    const { strings } = UsageRecordBatch.of(records).pack();
    // Two unique strings per record (id, request id) plus a few dozen shared values.
    expect(strings.length).toBeLessThan(2 * records.length + 40);
  });

  it('drops its oldest records on request, and packs only the rest', () => {
    const records = Array.from({ length: 5 }, (_, index) => testUsageRecord({ id: `r${index}:1` }));
    const batch = UsageRecordBatch.of(records);
    batch.dropOldest(2);
    expect(batch.length).toBe(3);
    expect([...batch].map((record) => record.id)).toEqual(['r2:1', 'r3:1', 'r4:1']);
    expect([...new UsageRecordBatch(throughPort(batch.pack()))].map((record) => record.id)).toEqual(['r2:1', 'r3:1', 'r4:1']);
    batch.add(testUsageRecord({ id: 'r5:1' }));
    expect([...batch].map((record) => record.id)).toEqual(['r2:1', 'r3:1', 'r4:1', 'r5:1']);
    batch.dropOldest(10);
    expect(batch.length).toBe(0);
  });

  it('grows past its starting capacity without losing records', () => {
    const records = randomUsageRecords(2_500, Date.UTC(2025, 5, 1), 86_400_000);
    const batch = new UsageRecordBatch({ capacity: 1 });
    for (const record of records) batch.add(record);
    expect([...batch]).toEqual(records);
  });

  it('refuses additions to a batch received from another thread', () => {
    const received = new UsageRecordBatch(throughPort(UsageRecordBatch.of([noOptionals]).pack()));
    expect(() => received.add(noOptionals)).toThrow(/read-only/);
  });
});
