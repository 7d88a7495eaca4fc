import type { UsageRecord } from './usage-record.ts';

/** CLIProxyAPI's recent-requests window: 20 buckets of 10 minutes. */
const BUCKET_MS = 10 * 60_000;
const BUCKETS = 20;

export interface RecentRequestBucket {
  /** `HH:MM-HH:MM`, server local time, as CLIProxyAPI labels it. */
  time: string;
  success: number;
  failed: number;
}

interface CredentialCounters {
  success: number;
  failed: number;
  /** Ring indexed by bucket id modulo BUCKETS. */
  bucketIds: number[];
  successes: number[];
  failures: number[];
}

const clock = (date: Date) => `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;

/**
 * Attempts per upstream credential since start, and the last 200 minutes in 10-minute buckets:
 * what `GET /v0/management/api-key-usage` reports. Bounded by the number of credentials.
 */
export class CredentialUsage {
  private readonly counters = new Map<string, CredentialCounters>();

  add(record: UsageRecord): void {
    let counters = this.counters.get(record.credentialId);
    if (!counters) {
      counters = { success: 0, failed: 0, bucketIds: new Array(BUCKETS).fill(-1), successes: new Array(BUCKETS).fill(0), failures: new Array(BUCKETS).fill(0) };
      this.counters.set(record.credentialId, counters);
    }
    if (record.failed) counters.failed++;
    else counters.success++;
    const bucketId = Math.floor(record.timestamp / BUCKET_MS);
    const slot = bucketId % BUCKETS;
    if (counters.bucketIds[slot] !== bucketId) {
      if (counters.bucketIds[slot]! > bucketId) return;
      counters.bucketIds[slot] = bucketId;
      counters.successes[slot] = 0;
      counters.failures[slot] = 0;
    }
    if (record.failed) counters.failures[slot]++;
    else counters.successes[slot]++;
  }

  /** Totals and the 20 buckets ending with the current one, oldest first (all zero for an unused credential). */
  describe(credentialId: string, now: number): { success: number; failed: number; recent_requests: RecentRequestBucket[] } {
    const counters = this.counters.get(credentialId);
    const current = Math.floor(now / BUCKET_MS);
    const recent: RecentRequestBucket[] = [];
    for (let bucketId = current - BUCKETS + 1; bucketId <= current; bucketId++) {
      const slot = bucketId % BUCKETS;
      const live = counters !== undefined && counters.bucketIds[slot] === bucketId;
      recent.push({
        time: `${clock(new Date(bucketId * BUCKET_MS))}-${clock(new Date((bucketId + 1) * BUCKET_MS))}`,
        success: live ? counters.successes[slot]! : 0,
        failed: live ? counters.failures[slot]! : 0,
      });
    }
    return { success: counters?.success ?? 0, failed: counters?.failed ?? 0, recent_requests: recent };
  }
}
