import type { UsageRecordColumn } from './usage-record-row.ts';

export const ROLLUP_HOUR_MS = 3_600_000;
export const ROLLUP_DAY_MS = 86_400_000;

/** A rollup key column and the usage_records column it comes from. */
export type RollupKey = readonly [column: string, source: UsageRecordColumn];

export interface RollupTable {
  name: 'usage_hourly' | 'usage_daily' | 'usage_hourly_all';
  bucketMs: number;
  keys: readonly RollupKey[];
}

const DIMENSION_KEYS: readonly RollupKey[] = [
  ['provider', 'provider'],
  ['model', 'model_served'],
  ['client_key_id', 'client_key_id'],
  ['credential_id', 'credential_id'],
  ['failed', 'failed'],
];

/** Totals per UTC hour and dimension tuple. */
export const HOURLY_ROLLUP: RollupTable = { name: 'usage_hourly', bucketMs: ROLLUP_HOUR_MS, keys: DIMENSION_KEYS };
/** Totals per UTC day and dimension tuple: whole days of long ranges read these. */
export const DAILY_ROLLUP: RollupTable = { name: 'usage_daily', bucketMs: ROLLUP_DAY_MS, keys: DIMENSION_KEYS };
/** Totals per UTC hour across every dimension: the unfiltered hourly series reads a few rows per hour, not hundreds. */
export const HOURLY_ALL_ROLLUP: RollupTable = { name: 'usage_hourly_all', bucketMs: ROLLUP_HOUR_MS, keys: [['failed', 'failed']] };

export const ROLLUPS: readonly RollupTable[] = [HOURLY_ROLLUP, DAILY_ROLLUP, HOURLY_ALL_ROLLUP];

/** Summed columns, named alike in the raw table and the rollups. */
export const ROLLUP_SUM_COLUMNS = [
  'input_tokens',
  'output_tokens',
  'cached_input_tokens',
  'cache_write_tokens',
  'reasoning_tokens',
  'cost_usd',
] as const;
