import type { RequestFinishedEvent } from '../../request-events.ts';
import { testUsageRecord } from '../../../storage/sqlite/__fixtures__/usage-records.ts';
import type { UsageRecord } from '../../../usage/usage-record.ts';

export function usageRecord(overrides: Partial<UsageRecord> = {}): UsageRecord {
  return testUsageRecord({
    id: 'req-1:1',
    timestamp: 1_000_000,
    clientKeyId: 'key-1',
    clientKeyLabel: 'sk-a…wxyz',
    provider: 'openai',
    credentialId: 'cred-1',
    authIndex: '0',
    modelRequested: 'gpt-4o',
    modelServed: 'gpt-4o',
    endpoint: '/v1/chat/completions',
    clientDialect: 'openai-chat',
    upstreamDialect: 'openai-chat',
    inputTokens: 0,
    outputTokens: 0,
    latencyMs: 0,
    costUsd: 0,
    ...overrides,
  });
}

export function finishedEvent(status: number, records: UsageRecord[], receivedAt = 1_000_000): RequestFinishedEvent {
  return {
    requestId: records[0]?.requestId ?? 'req-0',
    receivedAt,
    method: 'POST',
    url: records[0]?.endpoint ?? '/v1/chat/completions',
    headers: {},
    requestBody: Buffer.alloc(0),
    status,
    attempts: records.map((record) => ({ record, upstreamUrl: 'http://upstream.invalid/v1/chat/completions', upstreamRequestBody: '{}' })),
  };
}
