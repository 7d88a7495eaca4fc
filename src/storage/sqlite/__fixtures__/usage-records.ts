import type { UsageRecord } from '../../../usage/usage-record.ts';
import type { UsageQuery, UsageTotals } from '../../usage-store.ts';

/** A complete record for tests; overrides pick the fields a test is about. */
export function testUsageRecord(overrides: Partial<UsageRecord> & { id: string }): UsageRecord {
  const [requestId = overrides.id, attempt = '1'] = overrides.id.split(':');
  return {
    requestId,
    attempt: Number(attempt),
    timestamp: Date.UTC(2025, 0, 1, 12, 0, 0),
    clientKeyId: 'key-a',
    clientKeyLabel: 'sk-a…aaaa',
    provider: 'claude',
    credentialId: 'claude-api-key[0]',
    authIndex: '0123456789abcdef',
    authType: 'api-key',
    modelRequested: 'sonnet',
    modelServed: 'claude-sonnet-4-5',
    endpoint: '/v1/messages',
    clientDialect: 'anthropic-messages',
    upstreamDialect: 'anthropic-messages',
    stream: false,
    status: 200,
    failed: false,
    inputTokens: 100,
    outputTokens: 20,
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    estimated: false,
    latencyMs: 500,
    costUsd: 0.001,
    subscription: false,
    ...overrides,
  };
}

/** Records spread over a few days with every dimension varying, from a fixed seed. */
export function randomUsageRecords(count: number, start: number, spanMs: number, seed = 7): UsageRecord[] {
  let state = seed;
  const random = () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state / 4_294_967_296;
  };
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  return Array.from({ length: count }, (_, index) => {
    const failed = random() < 0.1;
    return testUsageRecord({
      id: `r${index.toString().padStart(6, '0')}:1`,
      timestamp: start + Math.floor(random() * spanMs),
      clientKeyId: pick(['key-a', 'key-b', 'key-c']),
      provider: pick(['claude', 'gemini']),
      credentialId: pick(['cred-1', 'cred-2', 'cred-3']),
      modelServed: pick(['m-1', 'm-2', 'm-3', 'm-4']),
      failed,
      status: failed ? 429 : 200,
      inputTokens: failed ? 0 : Math.floor(random() * 5_000),
      outputTokens: failed ? 0 : Math.floor(random() * 800),
      cachedInputTokens: Math.floor(random() * 50),
      cacheWriteTokens: Math.floor(random() * 30),
      reasoningTokens: Math.floor(random() * 100),
      costUsd: random() / 100,
    });
  });
}

/** The answer computed the slow, obvious way, to check the store's rollup arithmetic against. */
export function naiveTotals(records: readonly UsageRecord[], query: UsageQuery): UsageTotals {
  const totals: UsageTotals = { requests: 0, failures: 0, inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, costUsd: 0 };
  for (const record of records.filter((candidate) => matches(candidate, query))) {
    totals.requests++;
    if (record.failed) totals.failures++;
    totals.inputTokens += record.inputTokens;
    totals.outputTokens += record.outputTokens;
    totals.cachedInputTokens += record.cachedInputTokens;
    totals.cacheWriteTokens += record.cacheWriteTokens;
    totals.reasoningTokens += record.reasoningTokens;
    totals.costUsd += record.costUsd;
  }
  return totals;
}

export function matches(record: UsageRecord, query: UsageQuery): boolean {
  return (
    (query.from === undefined || record.timestamp >= query.from) &&
    (query.to === undefined || record.timestamp < query.to) &&
    (query.provider === undefined || record.provider === query.provider) &&
    (query.model === undefined || record.modelServed === query.model) &&
    (query.clientKeyId === undefined || record.clientKeyId === query.clientKeyId) &&
    (query.credentialId === undefined || record.credentialId === query.credentialId) &&
    (query.failed === undefined || record.failed === query.failed)
  );
}
