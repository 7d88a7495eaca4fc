import type { UsageRecord } from '../usage/usage-record.ts';
import type { UsageRecordBatch } from '../usage/usage-record-batch.ts';

export interface UsageQuery {
  /** Epoch ms, inclusive. */
  from?: number;
  /** Epoch ms, exclusive. */
  to?: number;
  provider?: string;
  model?: string;
  clientKeyId?: string;
  credentialId?: string;
  failed?: boolean;
  limit?: number;
  /** Records before this id in (timestamp, id) descending order: keyset pagination. */
  before?: { timestamp: number; id: string };
}

export interface UsageTotals {
  requests: number;
  failures: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  costUsd: number;
}

export type UsageGroupBy = 'model' | 'provider' | 'clientKeyId' | 'credentialId' | 'day' | 'hour';

/**
 * Where usage records live. Embedded SQLite is the default; a PostgreSQL implementation can
 * replace it for multi-instance deployments without changing callers. Writes arrive in batches
 * from the recorder (never from the request path).
 */
export interface UsageStore {
  /** Inserts records; a record whose id is already stored is skipped. Returns how many were added. */
  insert(records: UsageRecordBatch): Promise<number>;
  list(query: UsageQuery): Promise<UsageRecord[]>;
  get(id: string): Promise<UsageRecord | undefined>;
  totals(query: UsageQuery): Promise<UsageTotals>;
  /** Totals grouped by one dimension, most requests first (time groups in time order). */
  grouped(query: UsageQuery, by: UsageGroupBy): Promise<Array<{ key: string } & UsageTotals>>;
  /** Deletes records older than the timestamp (or all); returns how many were deleted. */
  purge(before?: number): Promise<number>;
  close(): Promise<void>;
}
