import { describe, expect, it } from 'vitest';
import { testUsageRecord } from '../storage/sqlite/__fixtures__/usage-records.ts';
import type { UsageDetailFields } from './cliproxy-usage-snapshot.ts';
import { RecentUsageDetails } from './recent-usage-details.ts';

const detail = (index: number, timestamp = 1_000 * index): UsageDetailFields => {
  const { latencyMs, credentialId, authIndex, inputTokens, outputTokens, reasoningTokens, cachedInputTokens, failed, requestId } = testUsageRecord({
    id: `req-${index}:1`,
    timestamp,
    latencyMs: 100 + index,
    inputTokens: 10 * index,
    outputTokens: index,
    reasoningTokens: index % 3,
    cachedInputTokens: index % 5,
    failed: index % 4 === 0,
    credentialId: `cred-${index % 2}`,
    authIndex: `auth-${index % 2}`,
  });
  return { timestamp, latencyMs, credentialId, authIndex, inputTokens, outputTokens, reasoningTokens, cachedInputTokens, failed, requestId };
};
const ids = (details: RecentUsageDetails) => Array.from(details.details(), (entry) => entry.requestId);

describe('RecentUsageDetails', () => {
  it('gives back every field, oldest first', () => {
    const details = new RecentUsageDetails(10);
    const added = [1, 2, 3].map((index) => detail(index));
    for (const entry of added) details.add(entry);
    expect([...details.details()]).toEqual(added);
  });

  it('keeps only the most recent ones once full, across many turns of the ring', () => {
    const details = new RecentUsageDetails(50);
    for (let index = 0; index < 1_234; index++) details.add(detail(index));
    expect(details.length).toBe(50);
    expect(ids(details)).toEqual(Array.from({ length: 50 }, (_, offset) => `req-${1_184 + offset}`));
    expect([...details.details()].at(-1)).toEqual(detail(1_233));
  });

  it('puts late arrivals in time order, drops the oldest to make room, and ignores ones older than everything kept', () => {
    const details = new RecentUsageDetails(4);
    for (const index of [1, 3, 5]) details.add(detail(index));
    details.add(detail(2));
    expect(ids(details)).toEqual(['req-1', 'req-2', 'req-3', 'req-5']);
    details.add(detail(4));
    expect(ids(details)).toEqual(['req-2', 'req-3', 'req-4', 'req-5']);
    details.add(detail(0));
    expect(ids(details)).toEqual(['req-2', 'req-3', 'req-4', 'req-5']);
    // Equal timestamps keep their arrival order.
    details.add(detail(6, 3_000));
    expect(ids(details)).toEqual(['req-3', 'req-6', 'req-4', 'req-5']);
  });

  it('inserts out of order correctly after the ring has wrapped', () => {
    const details = new RecentUsageDetails(5);
    for (let index = 0; index < 8; index++) details.add(detail(index * 2, index * 2_000));
    expect(ids(details)).toEqual(['req-6', 'req-8', 'req-10', 'req-12', 'req-14']);
    details.add(detail(11, 11_000));
    expect(ids(details)).toEqual(['req-8', 'req-10', 'req-11', 'req-12', 'req-14']);
    expect(Array.from(details.details(), (entry) => entry.timestamp)).toEqual([8_000, 10_000, 11_000, 12_000, 14_000]);
  });

  it('keeps nothing with a capacity of zero', () => {
    const details = new RecentUsageDetails(0);
    details.add(detail(1));
    expect(details.length).toBe(0);
    expect(ids(details)).toEqual([]);
  });
});
