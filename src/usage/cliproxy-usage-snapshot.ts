import type { UsageRecord } from './usage-record.ts';

/** CLIProxyAPI's per-request token figures (`tokens` of a detail). */
export interface CliproxyTokenStats {
  input_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
  cached_tokens: number;
  total_tokens: number;
}

/**
 * One request detail of CLIProxyAPI's usage statistics. `request_id` (as newer CLIProxyAPI
 * versions write it) finds the request's log. In exports, `switchyard` carries the whole record
 * (no secrets in it), so that a Switchyard export imports without loss and is recognised as the
 * records it came from; CLIProxyAPI ignores both.
 */
export interface CliproxyUsageDetail {
  /** RFC 3339, UTC. */
  timestamp: string;
  latency_ms: number;
  source: string;
  auth_index: string;
  tokens: CliproxyTokenStats;
  failed: boolean;
  request_id?: string;
  switchyard?: UsageRecord;
}

export interface CliproxyModelUsage {
  total_requests: number;
  total_tokens: number;
  details: CliproxyUsageDetail[];
}

export interface CliproxyApiUsage {
  total_requests: number;
  total_tokens: number;
  models: Record<string, CliproxyModelUsage>;
}

/** `GET /v0/management/usage`'s `usage` object (CLIProxyAPI's StatisticsSnapshot). */
export interface CliproxyUsageSnapshot {
  total_requests: number;
  success_count: number;
  failure_count: number;
  total_tokens: number;
  apis: Record<string, CliproxyApiUsage>;
  requests_by_day: Record<string, number>;
  /** Keyed `00`…`23`, summed over all days. */
  requests_by_hour: Record<string, number>;
  tokens_by_day: Record<string, number>;
  tokens_by_hour: Record<string, number>;
}

/** An item of `GET /v0/management/usage-queue`: a detail plus where it went. */
export interface CliproxyUsageQueueItem extends CliproxyUsageDetail {
  provider: string;
  model: string;
  /** `POST /v1/messages`. */
  endpoint: string;
  auth_type: 'apikey' | 'oauth';
  /** The client key, masked: unlike CLIProxyAPI, keys never leave the process. */
  api_key: string;
  request_id: string;
}

/**
 * The `apis` entry a record belongs to. CLIProxyAPI keys it by the raw client key; here the masked
 * key stands in (keys never leave the process), and requests that needed no key share one entry.
 */
export const KEYLESS_API_NAME = 'anonymous';

export function apiNameOf(record: UsageRecord): string {
  return record.clientKeyLabel || KEYLESS_API_NAME;
}

/** Totals are inclusive (input counts cached input, output counts reasoning), so the total is their sum. */
export function totalTokensOf(record: Pick<UsageRecord, 'inputTokens' | 'outputTokens'>): number {
  return record.inputTokens + record.outputTokens;
}

/** What a CLIProxyAPI detail shows of a record. */
export type UsageDetailFields = Pick<
  UsageRecord,
  'timestamp' | 'latencyMs' | 'credentialId' | 'authIndex' | 'inputTokens' | 'outputTokens' | 'reasoningTokens' | 'cachedInputTokens' | 'failed' | 'requestId'
>;

export function usageDetailOf(record: UsageDetailFields): CliproxyUsageDetail {
  return {
    timestamp: new Date(record.timestamp).toISOString(),
    latency_ms: record.latencyMs,
    // CLIProxyAPI shows the account's email or the upstream key here; the credential id says the
    // same without exposing a key.
    source: record.credentialId,
    auth_index: record.authIndex,
    tokens: {
      input_tokens: record.inputTokens,
      output_tokens: record.outputTokens,
      reasoning_tokens: record.reasoningTokens,
      cached_tokens: record.cachedInputTokens,
      total_tokens: totalTokensOf(record),
    },
    failed: record.failed,
    request_id: record.requestId,
  };
}

export function usageQueueItemOf(record: UsageRecord, method: string): CliproxyUsageQueueItem {
  return {
    ...usageDetailOf(record),
    provider: record.provider,
    model: record.modelServed,
    endpoint: `${method} ${record.endpoint}`,
    auth_type: record.authType === 'oauth' ? 'oauth' : 'apikey',
    api_key: record.clientKeyLabel,
    request_id: record.requestId,
  };
}

const HOUR_MS = 3_600_000;
/** The labels of the hour last asked for: live records arrive in time order, thousands per hour. */
let lastHour = { bucket: Number.NaN, labels: { day: '', hour: '' } };

/** `YYYY-MM-DD` and `HH` of a timestamp, in UTC like every other time bucket of the gateway. */
export function dayAndHourOf(timestamp: number): { day: string; hour: string } {
  const bucket = Math.floor(timestamp / HOUR_MS);
  if (bucket !== lastHour.bucket) {
    const iso = new Date(bucket * HOUR_MS).toISOString();
    lastHour = { bucket, labels: { day: iso.slice(0, 10), hour: iso.slice(11, 13) } };
  }
  return lastHour.labels;
}
