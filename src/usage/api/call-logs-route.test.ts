import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startUsageApiHarness, type UsageApiHarness } from '../test-support/usage-api-harness.ts';
import { ACME_CREDENTIAL, CLAUDE_CREDENTIAL, KEY_A, KEY_A_ID, KEY_B_ID, USAGE_API_CONFIG } from '../test-support/usage-api-config.ts';
import { usageRecordFixture } from '../test-support/usage-record-fixture.ts';
import { UsageRecordBatch } from '../usage-record-batch.ts';

const BASE = Date.UTC(2026, 10, 27, 9, 0, 0);
let harness: UsageApiHarness;

beforeEach(async () => {
  harness = await startUsageApiHarness(USAGE_API_CONFIG);
  // Request "retry" failed on Claude (attempt 1) and was served by acme (attempt 2); four single-attempt requests around it.
  await harness.store.insert(UsageRecordBatch.of([
    usageRecordFixture({ requestId: 'one', timestamp: BASE, clientKeyId: KEY_A_ID }),
    usageRecordFixture({ requestId: 'two', timestamp: BASE + 1_000, clientKeyId: KEY_B_ID, clientKeyLabel: 'sk-b…bbbb' }),
    usageRecordFixture({
      requestId: 'retry',
      attempt: 1,
      timestamp: BASE + 2_000,
      clientKeyId: KEY_A_ID,
      provider: 'claude',
      credentialId: CLAUDE_CREDENTIAL,
      modelRequested: 'sonnet',
      modelServed: 'claude-sonnet-4-5-20250929',
      status: 529,
      failed: true,
      errorCode: 'overloaded',
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
      ttftMs: undefined,
    }),
    usageRecordFixture({
      requestId: 'retry',
      attempt: 2,
      timestamp: BASE + 2_000,
      clientKeyId: KEY_A_ID,
      provider: 'acme',
      credentialId: ACME_CREDENTIAL,
      modelRequested: 'sonnet',
      modelServed: 'acme-large',
      stream: true,
      inputTokens: 1200,
      cachedInputTokens: 200,
      outputTokens: 300,
      reasoningTokens: 100,
      estimated: true,
      costUsd: 0.0021,
    }),
    usageRecordFixture({ requestId: 'four', timestamp: BASE + 3_000, clientKeyId: '', clientKeyLabel: '' }),
    usageRecordFixture({ requestId: 'five', timestamp: BASE + 4_000, clientKeyId: KEY_A_ID }),
  ]));
});

afterEach(async () => {
  await harness.close();
});

const ids = (rows: any[]) => rows.map((row) => row.id);

describe('GET /api/usage/call-logs', () => {
  it('lists attempts newest first as a plain array of call-log rows', async () => {
    const { status, json, headers } = await harness.call('GET', '/api/usage/call-logs');
    expect(status).toBe(200);
    expect(ids(json)).toEqual(['five:1', 'four:1', 'retry:2', 'retry:1', 'two:1', 'one:1']);
    expect(headers.get('x-next-cursor')).toBeNull();
    expect(json[2]).toEqual({
      id: 'retry:2',
      requestId: 'retry',
      attempt: 2,
      timestamp: new Date(BASE + 2_000).toISOString(),
      path: '/v1/chat/completions',
      status: 200,
      failed: false,
      error: null,
      model: 'acme-large',
      requestedModel: 'sonnet',
      provider: 'acme',
      connectionId: ACME_CREDENTIAL,
      authIndex: '0123456789abcdef',
      authType: 'api-key',
      subscription: false,
      apiKeyId: KEY_A_ID,
      apiKeyName: 'sk-a…aaaa',
      sourceFormat: 'openai-chat',
      targetFormat: 'openai-chat',
      stream: true,
      duration: 850,
      ttftMs: 300,
      tokens: { in: 1200, out: 300, cacheRead: 200, cacheWrite: 0, reasoning: 100, total: 1500 },
      estimated: true,
      cost: 0.0021,
    });
    expect(json[3]).toMatchObject({ id: 'retry:1', failed: true, status: 529, error: 'overloaded', ttftMs: null });
    expect(json[1]).toMatchObject({ apiKeyId: null, apiKeyName: null });
  });

  it('pages with a cursor taken from X-Next-Cursor', async () => {
    const first = await harness.call('GET', '/api/usage/call-logs?limit=4');
    expect(ids(first.json)).toEqual(['five:1', 'four:1', 'retry:2', 'retry:1']);
    const cursor = first.headers.get('x-next-cursor');
    expect(cursor).toBe(`${BASE + 2_000}:retry:1`);
    const second = await harness.call('GET', `/api/usage/call-logs?limit=4&cursor=${encodeURIComponent(cursor!)}`);
    expect(ids(second.json)).toEqual(['two:1', 'one:1']);
    expect(second.headers.get('x-next-cursor')).toBeNull();
  });

  it('pages with an offset', async () => {
    const { json, headers } = await harness.call('GET', '/api/usage/call-logs?limit=2&offset=2');
    expect(ids(json)).toEqual(['retry:2', 'retry:1']);
    expect(headers.get('x-next-cursor')).toBe(`${BASE + 2_000}:retry:1`);
  });

  it('filters by outcome, key, credential, model and time', async () => {
    const list = async (query: string) => ids((await harness.call('GET', `/api/usage/call-logs?${query}`)).json);
    expect(await list('status=error')).toEqual(['retry:1']);
    expect(await list(`apiKeyId=${KEY_B_ID}`)).toEqual(['two:1']);
    expect(await list(`connectionId=${encodeURIComponent(CLAUDE_CREDENTIAL)}`)).toEqual(['retry:1']);
    expect(await list('model=acme-large&provider=acme')).toEqual(['retry:2']);
    expect(await list(`from=${BASE + 1_000}&to=${BASE + 3_000}`)).toEqual(['retry:2', 'retry:1', 'two:1']);
  });

  it('refuses paging it cannot serve', async () => {
    expect((await harness.call('GET', '/api/usage/call-logs?limit=0')).json.error).toBe('invalid limit: 0 (an integer from 1 to 500)');
    expect((await harness.call('GET', '/api/usage/call-logs?limit=501')).status).toBe(400);
    expect((await harness.call('GET', '/api/usage/call-logs?limit=50&offset=9990')).status).toBe(400);
    expect((await harness.call('GET', '/api/usage/call-logs?cursor=nonsense')).json.error).toBe('invalid cursor: nonsense');
    expect((await harness.call('GET', '/api/usage/call-logs?cursor=123:')).status).toBe(400);
  });

  it('never shows a client key, only its masked label', async () => {
    const { text } = await harness.call('GET', '/api/usage/call-logs');
    expect(text).not.toContain(KEY_A);
  });
});

describe('GET /api/usage/call-logs/:id', () => {
  it('shows one attempt with every attempt of its request', async () => {
    const { status, json } = await harness.call('GET', '/api/usage/call-logs/retry:1');
    expect(status).toBe(200);
    expect(json).toMatchObject({ id: 'retry:1', failed: true });
    expect(ids(json.attempts)).toEqual(['retry:1', 'retry:2']);
  });

  it('finds a request by its X-Request-Id and shows its last attempt', async () => {
    const { json } = await harness.call('GET', '/api/usage/call-logs/retry');
    expect(json).toMatchObject({ id: 'retry:2', model: 'acme-large' });
    expect(ids(json.attempts)).toEqual(['retry:1', 'retry:2']);
  });

  it('404s an unknown id', async () => {
    expect(await harness.call('GET', '/api/usage/call-logs/missing')).toMatchObject({ status: 404, json: { error: 'call log missing not found' } });
  });
});
