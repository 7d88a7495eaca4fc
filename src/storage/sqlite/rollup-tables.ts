import type { UsageRecord } from '../../usage/usage-record.ts';

export const ROLLUP_HOUR_MS = 3_600_000;
export const ROLLUP_DAY_MS = 86_400_000;

/** A rollup key column, the usage_records column it comes from, and its value in a record. */
export type RollupKey = readonly [column: string, source: string, value: (record: UsageRecord) => string | number];

export interface RollupTable {
  name: 'usage_hourly' | 'usage_daily' | 'usage_hourly_all';
  bucketMs: number;
  keys: readonly RollupKey[];
}

const DIMENSION_KEYS: readonly RollupKey[] = [
  ['provider', 'provider', (record) => record.provider],
  ['model', 'model_served', (record) => record.modelServed],
  ['client_key_id', 'client_key_id', (record) => record.clientKeyId],
  ['credential_id', 'credential_id', (record) => record.credentialId],
  ['failed', 'failed', (record) => (record.failed ? 1 : 0)],
];

/** Totals per UTC hour and dimension tuple. */
export const HOURLY_ROLLUP: RollupTable = { name: 'usage_hourly', bucketMs: ROLLUP_HOUR_MS, keys: DIMENSION_KEYS };
/** Totals per UTC day and dimension tuple: whole days of long ranges read these. */
export const DAILY_ROLLUP: RollupTable = { name: 'usage_daily', bucketMs: ROLLUP_DAY_MS, keys: DIMENSION_KEYS };
/** Totals per UTC hour across every dimension: the unfiltered hourly series reads a few rows per hour, not hundreds. */
export const HOURLY_ALL_ROLLUP: RollupTable = { name: 'usage_hourly_all', bucketMs: ROLLUP_HOUR_MS, keys: [['failed', 'failed', (record) => (record.failed ? 1 : 0)]] };

export const ROLLUPS: readonly RollupTable[] = [HOURLY_ROLLUP, DAILY_ROLLUP, HOURLY_ALL_ROLLUP];

/** Summed columns, named alike in the raw table and the rollups, in the order `rollupSums` gives them. */
export const ROLLUP_SUM_COLUMNS = [
  'input_tokens',
  'output_tokens',
  'cached_input_tokens',
  'cache_write_tokens',
  'reasoning_tokens',
  'cost_usd',
] as const;

export function rollupSums(record: UsageRecord): number[] {
  return [record.inputTokens, record.outputTokens, record.cachedInputTokens, record.cacheWriteTokens, record.reasoningTokens, record.costUsd];
}
