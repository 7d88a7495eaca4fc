import type { CredentialConfig } from '../../config/types.ts';
import { clientKeyIdOf } from '../../gateway/attempt-record.ts';
import { maskSecret } from '../../observability/mask-secret.ts';
import type { UsageTotals } from '../../storage/usage-store.ts';
import type { UsageRecord } from '../usage-record.ts';

function roundUsd(amount: number): number {
  return Math.round(amount * 1e10) / 1e10;
}

function percent(part: number, whole: number): number {
  return whole > 0 ? Math.round((part / whole) * 10_000) / 100 : 0;
}

/**
 * Totals under OmniRoute's names (prompt/completion tokens, cost). Prompt tokens include cached and
 * cache-write tokens, completion tokens include reasoning tokens, as the upstreams count them.
 */
export function describeUsageTotals(totals: UsageTotals) {
  return {
    requests: totals.requests,
    successfulRequests: totals.requests - totals.failures,
    failedRequests: totals.failures,
    successRatePct: percent(totals.requests - totals.failures, totals.requests),
    promptTokens: totals.inputTokens,
    completionTokens: totals.outputTokens,
    cachedTokens: totals.cachedInputTokens,
    cacheWriteTokens: totals.cacheWriteTokens,
    reasoningTokens: totals.reasoningTokens,
    totalTokens: totals.inputTokens + totals.outputTokens,
    cost: roundUsd(totals.costUsd),
  };
}

/** Totals of a whole window, under the names of OmniRoute's analytics summary. */
export function describeUsageSummary(totals: UsageTotals) {
  const { requests, cost, ...rest } = describeUsageTotals(totals);
  return { totalRequests: requests, ...rest, totalCost: cost };
}

/** Display names of client key ids: the configured keys, masked. */
export function clientKeyLabels(apiKeys: readonly string[]): Map<string, string> {
  return new Map(apiKeys.map((key) => [clientKeyIdOf(key), maskSecret(key)]));
}

export function describeCredential(credentialId: string, credentials: readonly CredentialConfig[]) {
  const credential = credentials.find((candidate) => candidate.id === credentialId);
  return { connectionId: credentialId, authIndex: credential?.authIndex ?? null, provider: credential?.provider ?? null };
}

/** One attempt as a call-log row (OmniRoute's field names where it has them). Keys appear only masked. */
export function describeCallLog(record: UsageRecord) {
  return {
    id: record.id,
    requestId: record.requestId,
    attempt: record.attempt,
    timestamp: new Date(record.timestamp).toISOString(),
    path: record.endpoint,
    status: record.status,
    failed: record.failed,
    error: record.errorCode ?? null,
    model: record.modelServed,
    requestedModel: record.modelRequested,
    provider: record.provider,
    connectionId: record.credentialId,
    authIndex: record.authIndex,
    authType: record.authType,
    subscription: record.subscription,
    apiKeyId: record.clientKeyId || null,
    apiKeyName: record.clientKeyLabel || null,
    sourceFormat: record.clientDialect,
    targetFormat: record.upstreamDialect,
    stream: record.stream,
    duration: record.latencyMs,
    ttftMs: record.ttftMs ?? null,
    tokens: {
      in: record.inputTokens,
      out: record.outputTokens,
      cacheRead: record.cachedInputTokens,
      cacheWrite: record.cacheWriteTokens,
      reasoning: record.reasoningTokens,
      total: record.inputTokens + record.outputTokens,
    },
    estimated: record.estimated,
    cost: record.costUsd,
  };
}
