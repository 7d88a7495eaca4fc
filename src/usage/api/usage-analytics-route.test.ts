import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startUsageApiHarness, type UsageApiHarness } from '../test-support/usage-api-harness.ts';
import { ACME_CREDENTIAL, CLAUDE_CREDENTIAL, KEY_A, KEY_A_ID, KEY_B, KEY_B_ID, USAGE_API_CONFIG } from '../test-support/usage-api-config.ts';
import { usageRecordFixture } from '../test-support/usage-record-fixture.ts';
import { UsageRecordBatch } from '../usage-record-batch.ts';

const HOUR = 3_600_000;
let harness: UsageApiHarness;
let now: number;

beforeEach(async () => {
  harness = await startUsageApiHarness(USAGE_API_CONFIG);
  now = Date.now();
  const claude = { provider: 'claude', credentialId: CLAUDE_CREDENTIAL, modelRequested: 'sonnet', modelServed: 'claude-sonnet-4-5-20250929' };
  await harness.store.insert(UsageRecordBatch.of([
    usageRecordFixture({ ...claude, requestId: 'r1', clientKeyId: KEY_A_ID, inputTokens: 1000, outputTokens: 500, costUsd: 0.0105, timestamp: now - HOUR }),
    usageRecordFixture({
      requestId: 'r2',
      provider: 'acme',
      credentialId: ACME_CREDENTIAL,
      modelRequested: 'acme-large',
      modelServed: 'acme-large',
      clientKeyId: KEY_B_ID,
      clientKeyLabel: 'sk-b…bbbb',
      inputTokens: 2000,
      cachedInputTokens: 500,
      outputTokens: 1000,
      reasoningTokens: 200,
      costUsd: 0.005,
      timestamp: now - 3 * HOUR,
    }),
    usageRecordFixture({ ...claude, requestId: 'r3', clientKeyId: KEY_A_ID, status: 529, failed: true, errorCode: 'overloaded', inputTokens: 0, outputTokens: 0, costUsd: 0, timestamp: now - 48 * HOUR }),
    usageRecordFixture({ ...claude, requestId: 'r4', clientKeyId: KEY_A_ID, inputTokens: 10, outputTokens: 10, costUsd: 1, timestamp: now - 40 * 24 * HOUR }),
  ]));
});

afterEach(async () => {
  await harness.close();
});

describe('GET /api/usage/analytics', () => {
  it('sums a window and breaks it down by model, provider, key and credential', async () => {
    const { status, json, text } = await harness.call('GET', '/api/usage/analytics?range=7d');
    expect(status).toBe(200);
    expect(json.range).toBe('7d');
    expect(Date.parse(json.from)).toBeGreaterThanOrEqual(now - 7 * 24 * HOUR - 5_000);
    expect(json.to).toBeNull();
    expect(json.interval).toBe('day');
    expect(json.summary).toEqual({
      totalRequests: 3,
      successfulRequests: 2,
      failedRequests: 1,
      successRatePct: 66.67,
      promptTokens: 3000,
      completionTokens: 1500,
      cachedTokens: 500,
      cacheWriteTokens: 0,
      reasoningTokens: 200,
      totalTokens: 4500,
      totalCost: 0.0155,
      uniqueModels: 2,
      uniqueProviders: 2,
      uniqueApiKeys: 2,
      uniqueAccounts: 2,
    });
    expect(json.byModel.map((row: any) => [row.model, row.requests, row.cost])).toEqual([
      ['claude-sonnet-4-5-20250929', 2, 0.0105],
      ['acme-large', 1, 0.005],
    ]);
    expect(json.byProvider.map((row: any) => [row.provider, row.requests])).toEqual([
      ['claude', 2],
      ['acme', 1],
    ]);
    expect(json.byApiKey.map((row: any) => [row.apiKeyId, row.apiKeyName, row.requests])).toEqual([
      [KEY_A_ID, 'sk-a…aaaa', 2],
      [KEY_B_ID, 'sk-b…bbbb', 1],
    ]);
    const claude = harness.runtime.snapshot.config.credentials.find((credential) => credential.id === CLAUDE_CREDENTIAL)!;
    expect(json.byAccount[0]).toEqual({
      account: CLAUDE_CREDENTIAL,
      connectionId: CLAUDE_CREDENTIAL,
      authIndex: claude.authIndex,
      provider: 'claude',
      requests: 2,
      successfulRequests: 1,
      failedRequests: 1,
      successRatePct: 50,
      promptTokens: 1000,
      completionTokens: 500,
      cachedTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
      totalTokens: 1500,
      cost: 0.0105,
    });
    const days = json.timeSeries.map((row: any) => row.date);
    expect(days).toEqual([...days].sort());
    expect(json.timeSeries.reduce((sum: number, row: any) => sum + row.requests, 0)).toBe(3);
    for (const secret of [KEY_A, KEY_B]) expect(text).not.toContain(secret);
  });

  it('defaults to the last day, bucketed by hour, as the spec defaults period to day', async () => {
    const { json } = await harness.call('GET', '/api/usage/analytics');
    expect(json.range).toBe('1d');
    expect(json.interval).toBe('hour');
    expect(json.summary.totalRequests).toBe(2);
    expect(json.timeSeries.every((row: any) => /^\d{4}-\d{2}-\d{2}T\d{2}$/.test(row.date))).toBe(true);
  });

  it('accepts the spec period, explicit bounds and an explicit interval', async () => {
    expect((await harness.call('GET', '/api/usage/analytics?period=week')).json.summary.totalRequests).toBe(3);
    expect((await harness.call('GET', '/api/usage/analytics?period=month&interval=hour')).json.interval).toBe('hour');
    const from = new Date(now - 50 * 24 * HOUR).toISOString();
    const to = String(now - 2 * HOUR);
    const custom = (await harness.call('GET', `/api/usage/analytics?from=${from}&to=${to}`)).json;
    expect(custom.range).toBe('custom');
    expect(custom.summary.totalRequests).toBe(3); // r2, r3, r4
    expect((await harness.call('GET', '/api/usage/analytics?range=all')).json.summary.totalRequests).toBe(4);
  });

  it('filters by provider, model, key, credential and outcome', async () => {
    const count = async (query: string) => (await harness.call('GET', `/api/usage/analytics?range=all&${query}`)).json.summary.totalRequests;
    expect(await count('provider=acme')).toBe(1);
    expect(await count('model=claude-sonnet-4-5-20250929')).toBe(3);
    expect(await count(`apiKeyId=${KEY_A_ID}`)).toBe(3);
    expect(await count(`connectionId=${encodeURIComponent(ACME_CREDENTIAL)}`)).toBe(1);
    const claude = harness.runtime.snapshot.config.credentials.find((credential) => credential.id === CLAUDE_CREDENTIAL)!;
    expect(await count(`account=${claude.authIndex}`)).toBe(3);
    expect(await count('status=error')).toBe(1);
    expect(await count('status=ok')).toBe(3);
  });

  it('answers 400 for a window or filter it does not know', async () => {
    expect(await harness.call('GET', '/api/usage/analytics?range=5y')).toMatchObject({ status: 400, json: { error: 'invalid range: 5y (1h, 24h, 1d, 7d, 30d, 90d, today, ytd or all)' } });
    expect((await harness.call('GET', '/api/usage/analytics?period=year')).status).toBe(400);
    expect((await harness.call('GET', '/api/usage/analytics?from=yesterday')).json.error).toBe('invalid from: yesterday is neither an ISO date nor epoch milliseconds');
    expect((await harness.call('GET', `/api/usage/analytics?from=${now}&to=${now - 1}`)).json.error).toBe('invalid range: from must be before to');
    expect((await harness.call('GET', '/api/usage/analytics?interval=minute')).status).toBe(400);
    expect((await harness.call('GET', '/api/usage/analytics?status=maybe')).status).toBe(400);
  });

  it('answers 503 while accounting is not running', async () => {
    delete (harness.runtime as Partial<typeof harness.runtime>).usageStore;
    expect(await harness.call('GET', '/api/usage/analytics')).toMatchObject({ status: 503, json: { error: 'usage accounting is not running' } });
  });
});

describe('GET /api/usage/history', () => {
  it('gives the totals and series of the last 30 days by default', async () => {
    const { status, json } = await harness.call('GET', '/api/usage/history');
    expect(status).toBe(200);
    expect(json).toMatchObject({ range: '30d', interval: 'day', totals: { requests: 3, failedRequests: 1, cost: 0.0155 } });
    expect(json.history.reduce((sum: number, row: any) => sum + row.requests, 0)).toBe(3);
    expect(Object.keys(json.history[0])).toEqual([
      'date',
      'requests',
      'successfulRequests',
      'failedRequests',
      'successRatePct',
      'promptTokens',
      'completionTokens',
      'cachedTokens',
      'cacheWriteTokens',
      'reasoningTokens',
      'totalTokens',
      'cost',
    ]);
  });

  it('narrows to a key', async () => {
    const { json } = await harness.call('GET', `/api/usage/history?range=all&apiKeyId=${KEY_B_ID}`);
    expect(json.totals.requests).toBe(1);
  });
});

describe('GET /api/usage/:connectionId', () => {
  it('reports one credential by id or auth index', async () => {
    const claude = harness.runtime.snapshot.config.credentials.find((credential) => credential.id === CLAUDE_CREDENTIAL)!;
    const byId = await harness.call('GET', `/api/usage/${encodeURIComponent(CLAUDE_CREDENTIAL)}`);
    expect(byId.status).toBe(200);
    expect(byId.json).toMatchObject({
      connectionId: CLAUDE_CREDENTIAL,
      authIndex: claude.authIndex,
      provider: 'claude',
      type: 'claude',
      range: '30d',
      summary: { totalRequests: 2, failedRequests: 1, totalCost: 0.0105 },
      byModel: [{ model: 'claude-sonnet-4-5-20250929', requests: 2 }],
    });
    const byIndex = await harness.call('GET', `/api/usage/${claude.authIndex}?range=all`);
    expect(byIndex.json.summary.totalRequests).toBe(3);
  });

  it('still reports a credential that left the config but has history, and 404s one that never existed', async () => {
    await harness.store.insert(UsageRecordBatch.of([usageRecordFixture({ credentialId: 'gemini-api-key[3]', provider: 'gemini', timestamp: now - HOUR })]));
    const gone = await harness.call('GET', `/api/usage/${encodeURIComponent('gemini-api-key[3]')}`);
    expect(gone.json).toMatchObject({ connectionId: 'gemini-api-key[3]', authIndex: null, provider: null, type: null, summary: { totalRequests: 1 } });
    expect(await harness.call('GET', '/api/usage/nope')).toMatchObject({ status: 404, json: { error: 'Connection not found' } });
  });
});

describe('POST /api/settings/purge-request-history', () => {
  it('deletes records older than a number of days, or all of them', async () => {
    expect(await harness.call('POST', '/api/settings/purge-request-history', { olderThanDays: 30 })).toMatchObject({
      status: 200,
      json: { deleted: 1, deletedArtifacts: 0, deletedDetailedLogs: 0, errors: 0 },
    });
    expect(harness.store.records.map((record) => record.requestId).sort()).toEqual(['r1', 'r2', 'r3']);
    expect((await harness.call('POST', '/api/settings/purge-request-history')).json.deleted).toBe(3);
    expect(harness.store.records).toHaveLength(0);
    expect(harness.logs()).toContain('request history purged');
  });

  it('refuses a body it does not understand', async () => {
    expect((await harness.call('POST', '/api/settings/purge-request-history', { olderThanDays: -1 })).status).toBe(400);
    expect((await harness.call('POST', '/api/settings/purge-request-history', { everything: true })).status).toBe(400);
    expect(harness.store.records).toHaveLength(4);
  });
});
