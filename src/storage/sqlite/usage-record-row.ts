import type { SQLInputValue } from 'node:sqlite';
import type { UsageRecord } from '../../usage/usage-record.ts';

/** Column order of `usage_records`, matching `usageRecordValues`. */
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

/** A record as its `usage_records` row, in `USAGE_RECORD_COLUMNS` order: what the writer inserts. */
export type UsageRecordValues = SQLInputValue[];

/** Where a column's value sits in `UsageRecordValues`. */
export function usageRecordColumnIndex(column: UsageRecordColumn): number {
  return USAGE_RECORD_COLUMNS.indexOf(column);
}

export function usageRecordValues(record: UsageRecord): UsageRecordValues {
  return [
    record.id,
    record.requestId,
    record.attempt,
    Math.trunc(record.timestamp),
    record.clientKeyId,
    record.clientKeyLabel,
    record.provider,
    record.credentialId,
    record.authIndex,
    record.authType,
    record.modelRequested,
    record.modelServed,
    record.endpoint,
    record.clientDialect,
    record.upstreamDialect,
    record.stream ? 1 : 0,
    record.status,
    record.failed ? 1 : 0,
    record.errorCode ?? null,
    record.inputTokens,
    record.outputTokens,
    record.cachedInputTokens,
    record.cacheWriteTokens,
    record.reasoningTokens,
    record.estimated ? 1 : 0,
    record.latencyMs,
    record.ttftMs ?? null,
    record.costUsd,
    record.subscription ? 1 : 0,
  ];
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
