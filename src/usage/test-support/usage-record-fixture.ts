import { testUsageRecord } from '../../storage/sqlite/__fixtures__/usage-records.ts';
import type { UsageRecord } from '../usage-record.ts';

let sequence = 0;

/** A served attempt with every field filled (OpenAI chat, 1,000 in, 200 out); tests override what they look at. */
export function usageRecordFixture(fields: Partial<UsageRecord> = {}): UsageRecord {
  sequence += 1;
  const requestId = fields.requestId ?? `req-${String(sequence).padStart(6, '0')}`;
  const attempt = fields.attempt ?? 1;
  return testUsageRecord({
    id: `${requestId}:${attempt}`,
    requestId,
    attempt,
    timestamp: Date.UTC(2026, 10, 27, 12, 0, 0),
    clientKeyId: 'key-a-id',
    provider: 'openai',
    credentialId: 'openai-compatibility[0]',
    modelRequested: 'gpt-4o',
    modelServed: 'gpt-4o',
    endpoint: '/v1/chat/completions',
    clientDialect: 'openai-chat',
    upstreamDialect: 'openai-chat',
    inputTokens: 1000,
    outputTokens: 200,
    latencyMs: 850,
    ttftMs: 300,
    costUsd: 0.0045,
    ...fields,
  });
}
