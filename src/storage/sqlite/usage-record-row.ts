import type { SQLInputValue } from 'node:sqlite';
import type { UsageRecordBatch } from '../../usage/usage-record-batch.ts';
import type { UsageRecord } from '../../usage/usage-record.ts';

/** Column order of `usage_records`, matching `usageRecordRows`. */
export const USAGE_RECORD_COLUMNS = [
  'id',
  'request_id',
  'attempt',
  'timestamp',
  'client_key_id',
  'client_key_label',
  'provider',
  'credential_id',
  'auth_index',
  'auth_type',
  'model_requested',
  'model_served',
  'endpoint',
  'client_dialect',
  'upstream_dialect',
  'stream',
  'status',
  'failed',
  'error_code',
  'input_tokens',
  'output_tokens',
  'cached_input_tokens',
  'cache_write_tokens',
  'reasoning_tokens',
  'estimated',
  'latency_ms',
  'ttft_ms',
  'cost_usd',
  'subscription',
] as const;

export type UsageRecordColumn = (typeof USAGE_RECORD_COLUMNS)[number];

/**
 * The columns a record shares with many others (the run from the client key to the upstream
 * dialect), stored once per distinct tuple in `usage_dimensions` (schema version 4); the
 * `usage_records` view joins them back.
 */
export const DIMENSION_TUPLE_COLUMNS: readonly UsageRecordColumn[] = USAGE_RECORD_COLUMNS.slice(
  USAGE_RECORD_COLUMNS.indexOf('client_key_id'),
  USAGE_RECORD_COLUMNS.indexOf('upstream_dialect') + 1,
);

/** A record as its `usage_records` row, in `USAGE_RECORD_COLUMNS` order: what the writer inserts. */
export type UsageRecordValues = SQLInputValue[];

const COLUMN = Object.fromEntries(USAGE_RECORD_COLUMNS.map((column, index) => [column, index])) as Record<UsageRecordColumn, number>;

/** Where a column's value sits in `UsageRecordValues`. */
export function usageRecordColumnIndex(column: UsageRecordColumn): number {
  return COLUMN[column];
}

/**
 * The batch's records as `usage_records` rows, read straight from its columns. One array is
 * refilled for every row, so no object per record is made on the writer thread: read each row
 * before asking for the next.
 */
export function* usageRecordRows(batch: UsageRecordBatch): Generator<UsageRecordValues> {
  const row: UsageRecordValues = new Array<SQLInputValue>(USAGE_RECORD_COLUMNS.length);
  for (let index = 0; index < batch.length; index++) {
    const ttftMs = batch.number(index, 'ttftMs');
    row[COLUMN.id] = batch.string(index, 'id')!;
    row[COLUMN.request_id] = batch.string(index, 'requestId')!;
    row[COLUMN.attempt] = batch.number(index, 'attempt');
    row[COLUMN.timestamp] = Math.trunc(batch.number(index, 'timestamp'));
    row[COLUMN.client_key_id] = batch.string(index, 'clientKeyId')!;
    row[COLUMN.client_key_label] = batch.string(index, 'clientKeyLabel')!;
    row[COLUMN.provider] = batch.string(index, 'provider')!;
    row[COLUMN.credential_id] = batch.string(index, 'credentialId')!;
    row[COLUMN.auth_index] = batch.string(index, 'authIndex')!;
    row[COLUMN.auth_type] = batch.string(index, 'authType')!;
    row[COLUMN.model_requested] = batch.string(index, 'modelRequested')!;
    row[COLUMN.model_served] = batch.string(index, 'modelServed')!;
    row[COLUMN.endpoint] = batch.string(index, 'endpoint')!;
    row[COLUMN.client_dialect] = batch.string(index, 'clientDialect')!;
    row[COLUMN.upstream_dialect] = batch.string(index, 'upstreamDialect')!;
    row[COLUMN.stream] = batch.flag(index, 'stream') ? 1 : 0;
    row[COLUMN.status] = batch.number(index, 'status');
    row[COLUMN.failed] = batch.flag(index, 'failed') ? 1 : 0;
    row[COLUMN.error_code] = batch.string(index, 'errorCode') ?? null;
    row[COLUMN.input_tokens] = batch.number(index, 'inputTokens');
    row[COLUMN.output_tokens] = batch.number(index, 'outputTokens');
    row[COLUMN.cached_input_tokens] = batch.number(index, 'cachedInputTokens');
    row[COLUMN.cache_write_tokens] = batch.number(index, 'cacheWriteTokens');
    row[COLUMN.reasoning_tokens] = batch.number(index, 'reasoningTokens');
    row[COLUMN.estimated] = batch.flag(index, 'estimated') ? 1 : 0;
    row[COLUMN.latency_ms] = batch.number(index, 'latencyMs');
    row[COLUMN.ttft_ms] = Number.isNaN(ttftMs) ? null : ttftMs;
    row[COLUMN.cost_usd] = batch.number(index, 'costUsd');
    row[COLUMN.subscription] = batch.flag(index, 'subscription') ? 1 : 0;
    yield row;
  }
}

export interface UsageRecordRow {
  id: string;
  request_id: string;
  attempt: number;
  timestamp: number;
  client_key_id: string;
  client_key_label: string;
  provider: string;
  credential_id: string;
  auth_index: string;
  auth_type: string;
  model_requested: string;
  model_served: string;
  endpoint: string;
  client_dialect: string;
  upstream_dialect: string;
  stream: number;
  status: number;
  failed: number;
  error_code: string | null;
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
  cache_write_tokens: number;
  reasoning_tokens: number;
  estimated: number;
  latency_ms: number;
  ttft_ms: number | null;
  cost_usd: number;
  subscription: number;
}

export function usageRecordFromRow(row: UsageRecordRow): UsageRecord {
  return {
    id: row.id,
    requestId: row.request_id,
    attempt: row.attempt,
    timestamp: row.timestamp,
    clientKeyId: row.client_key_id,
    clientKeyLabel: row.client_key_label,
    provider: row.provider,
    credentialId: row.credential_id,
    authIndex: row.auth_index,
    authType: row.auth_type === 'oauth' ? 'oauth' : 'api-key',
    modelRequested: row.model_requested,
    modelServed: row.model_served,
    endpoint: row.endpoint,
    clientDialect: row.client_dialect,
    upstreamDialect: row.upstream_dialect,
    stream: row.stream === 1,
    status: row.status,
    failed: row.failed === 1,
    ...(row.error_code !== null ? { errorCode: row.error_code } : {}),
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    cachedInputTokens: row.cached_input_tokens,
    cacheWriteTokens: row.cache_write_tokens,
    reasoningTokens: row.reasoning_tokens,
    estimated: row.estimated === 1,
    latencyMs: row.latency_ms,
    ...(row.ttft_ms !== null ? { ttftMs: row.ttft_ms } : {}),
    costUsd: row.cost_usd,
    subscription: row.subscription === 1,
  };
}
