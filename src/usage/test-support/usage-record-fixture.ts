import type { UsageRecord } from '../usage-record.ts';

let sequence = 0;

/** A served attempt with every field filled; tests override what they look at. */
export function usageRecordFixture(fields: Partial<UsageRecord> = {}): UsageRecord {
  sequence += 1;
  const requestId = fields.requestId ?? `req-${String(sequence).padStart(6, '0')}`;
  const attempt = fields.attempt ?? 1;
  return {
    id: `${requestId}:${attempt}`,
    requestId,
    attempt,
    timestamp: Date.UTC(2026, 10, 27, 12, 0, 0),
    clientKeyId: 'key-a-id',
    clientKeyLabel: 'sk-a…aaaa',
    provider: 'openai',
    credentialId: 'openai-compatibility[0]',
    authIndex: '0123456789abcdef',
    authType: 'api-key',
    modelRequested: 'gpt-4o',
    modelServed: 'gpt-4o',
    endpoint: '/v1/chat/completions',
    clientDialect: 'openai-chat',
    upstreamDialect: 'openai-chat',
    stream: false,
    status: 200,
    failed: false,
    inputTokens: 1000,
    outputTokens: 200,
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    estimated: false,
    latencyMs: 850,
    ttftMs: 300,
    costUsd: 0.0045,
    subscription: false,
    ...fields,
  };
}
