import { describe, expect, it } from 'vitest';
import { testUsageRecord } from '../storage/sqlite/__fixtures__/usage-records.ts';
import { CredentialUsage } from './credential-usage.ts';

const MINUTE = 60_000;
const T = Date.UTC(2025, 7, 1, 12, 0);

describe('CredentialUsage', () => {
  it('counts attempts per credential since start and in the last twenty 10-minute buckets', () => {
    const usage = new CredentialUsage();
    usage.add(testUsageRecord({ id: 'a:1', credentialId: 'c1', timestamp: T + MINUTE }));
    usage.add(testUsageRecord({ id: 'a:2', credentialId: 'c1', timestamp: T + 2 * MINUTE, failed: true }));
    usage.add(testUsageRecord({ id: 'b:1', credentialId: 'c1', timestamp: T + 35 * MINUTE }));
    usage.add(testUsageRecord({ id: 'c:1', credentialId: 'c2', timestamp: T + 35 * MINUTE }));

    const now = T + 38 * MINUTE;
    const c1 = usage.describe('c1', now);
    expect(c1).toMatchObject({ success: 2, failed: 1 });
    expect(c1.recent_requests).toHaveLength(20);
    expect(c1.recent_requests[19]).toMatchObject({ success: 1, failed: 0 });
    expect(c1.recent_requests[16]).toMatchObject({ success: 1, failed: 1 });
    expect(c1.recent_requests.reduce((sum, bucket) => sum + bucket.success + bucket.failed, 0)).toBe(3);
    const labels = c1.recent_requests.map((bucket) => bucket.time);
    expect(labels[19]).toMatch(/^\d\d:30-\d\d:40$/);
    expect(new Set(labels).size).toBe(20);
    expect(usage.describe('unused', now)).toMatchObject({ success: 0, failed: 0 });
  });

  it('forgets buckets older than the window but keeps the totals', () => {
    const usage = new CredentialUsage();
    usage.add(testUsageRecord({ id: 'a:1', credentialId: 'c1', timestamp: T }));
    usage.add(testUsageRecord({ id: 'b:1', credentialId: 'c1', timestamp: T + 200 * MINUTE }));
    const described = usage.describe('c1', T + 200 * MINUTE);
    expect(described).toMatchObject({ success: 2, failed: 0 });
    expect(described.recent_requests.reduce((sum, bucket) => sum + bucket.success, 0)).toBe(1);
  });
});
