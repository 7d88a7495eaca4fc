import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startUsageApiHarness, type UsageApiHarness } from '../test-support/usage-api-harness.ts';
import { KEY_A, KEY_A_ID, KEY_B, KEY_B_ID, USAGE_API_CONFIG } from '../test-support/usage-api-config.ts';
import { usageRecordFixture } from '../test-support/usage-record-fixture.ts';

let harness: UsageApiHarness;

beforeEach(async () => {
  harness = await startUsageApiHarness(USAGE_API_CONFIG);
});

afterEach(async () => {
  await harness.close();
});

function spend(clientKeyId: string, costUsd: number) {
  harness.runtime.budgets.observe(usageRecordFixture({ clientKeyId, costUsd, timestamp: Date.now() }));
}

describe('GET /api/usage/budget', () => {
  it('lists the default limits and every configured key', async () => {
    spend(KEY_B_ID, 6);
    const { status, json, text } = await harness.call('GET', '/api/usage/budget');
    expect(status).toBe(200);
    expect(json.default).toEqual({ dailyLimitUsd: 5, monthlyLimitUsd: null });
    expect(json.budgets.map((row: any) => [row.apiKeyId, row.apiKeyLabel, row.budgetSource, row.totalCostToday, row.budgetCheck.allowed])).toEqual([
      [KEY_A_ID, 'sk-a…aaaa', 'default', 0, true],
      [KEY_B_ID, 'sk-b…bbbb', 'default', 6, false],
    ]);
    expect(text).not.toContain(KEY_A);
  });

  it("shows one key's status, with OmniRoute's field names", async () => {
    spend(KEY_A_ID, 5.5);
    const { json } = await harness.call('GET', `/api/usage/budget?apiKeyId=${KEY_A_ID}`);
    expect(json).toMatchObject({
      apiKeyId: KEY_A_ID,
      dailyLimitUsd: 5,
      monthlyLimitUsd: null,
      totalCostToday: 5.5,
      totalCostMonth: 5.5,
      budgetCheck: { allowed: false, window: 'daily', reason: 'daily budget of $5.00 for key sk-a…aaaa reached; resets at 00:00 UTC' },
    });
  });
});

describe('POST /api/usage/budget', () => {
  it("sets a key's limits by key, writes them to config.yaml and enforces them at once", async () => {
    const response = await harness.call('POST', '/api/usage/budget', { key: KEY_A, dailyLimitUsd: 1, monthlyLimitUsd: 10 });
    expect(response).toMatchObject({
      status: 200,
      json: { success: true, apiKeyId: KEY_A_ID, apiKeyName: 'sk-a…aaaa', budget: { dailyLimitUsd: 1, monthlyLimitUsd: 10 } },
    });
    expect(response.text).not.toContain(KEY_A);
    const config = await harness.configText();
    expect(config).toContain('# usage API test config');
    expect(config).toContain(`  ${KEY_A}: {daily-usd: 1, monthly-usd: 10}\n`);
    expect(config).toContain('default: {daily-usd: 5}');
    spend(KEY_A_ID, 1.2);
    expect(harness.runtime.budgets.check(KEY_A_ID)?.message).toBe('daily budget of $1.00 for key sk-a…aaaa reached; resets at 00:00 UTC');
    expect(harness.runtime.budgets.check(KEY_B_ID)).toBeUndefined();
  });

  it('sets limits by key id and merges them with the ones already set', async () => {
    await harness.call('POST', '/api/usage/budget', { apiKeyId: KEY_B_ID, monthlyLimitUsd: 20 });
    const { json } = await harness.call('POST', '/api/usage/budget', { apiKeyId: KEY_B_ID, dailyLimitUsd: 2 });
    expect(json.budget).toEqual({ dailyLimitUsd: 2, monthlyLimitUsd: 20 });
    expect((await harness.call('GET', `/api/usage/budget?apiKeyId=${KEY_B_ID}`)).json).toMatchObject({ budgetSource: 'key', dailyLimitUsd: 2, monthlyLimitUsd: 20 });
  });

  it('removes a limit given 0 or null, and an entry left with none', async () => {
    const { json } = await harness.call('POST', '/api/usage/budget', { apiKeyId: 'default', dailyLimitUsd: 0 });
    expect(json).toEqual({ success: true, apiKeyId: 'default', apiKeyName: 'default', budget: { dailyLimitUsd: null, monthlyLimitUsd: null } });
    expect(await harness.configText()).not.toContain('budgets:');
    expect((await harness.call('GET', '/api/usage/budget')).json.default).toBeNull();
    spend(KEY_A_ID, 100);
    expect(harness.runtime.budgets.check(KEY_A_ID)).toBeUndefined();
  });

  it('refuses unknown keys and bodies it cannot apply, leaving the config as it was', async () => {
    const before = await harness.configText();
    expect(await harness.call('POST', '/api/usage/budget', { apiKeyId: 'no-such-id', dailyLimitUsd: 1 })).toMatchObject({ status: 404, json: { error: 'no client key with id no-such-id' } });
    expect(await harness.call('POST', '/api/usage/budget', { key: 'sk-not-configured', dailyLimitUsd: 1 })).toMatchObject({ status: 404, json: { error: 'client key not found in api-keys' } });
    expect((await harness.call('POST', '/api/usage/budget', { apiKeyId: KEY_A_ID, key: KEY_A, dailyLimitUsd: 1 })).status).toBe(400);
    expect((await harness.call('POST', '/api/usage/budget', { apiKeyId: KEY_A_ID })).json.error).toContain('nothing to change');
    expect((await harness.call('POST', '/api/usage/budget', { apiKeyId: KEY_A_ID, dailyLimitUsd: -1 })).status).toBe(400);
    expect((await harness.call('POST', '/api/usage/budget', { apiKeyId: KEY_A_ID, weeklyLimitUsd: 3 })).status).toBe(400);
    expect(await harness.configText()).toBe(before);
  });
});

describe('DELETE /api/usage/budget', () => {
  it("removes a key's entry, which falls back to the default", async () => {
    await harness.call('POST', '/api/usage/budget', { key: KEY_A, dailyLimitUsd: 50 });
    expect(await harness.call('DELETE', `/api/usage/budget?apiKeyId=${KEY_A_ID}`)).toMatchObject({ status: 200, json: { success: true, apiKeyId: KEY_A_ID } });
    expect(await harness.configText()).not.toContain(KEY_A + ':');
    expect((await harness.call('GET', `/api/usage/budget?apiKeyId=${KEY_A_ID}`)).json).toMatchObject({ budgetSource: 'default', dailyLimitUsd: 5 });
    expect(await harness.call('DELETE', `/api/usage/budget?key=${KEY_A}`)).toMatchObject({ status: 404, json: { error: 'this key has no budget' } });
  });

  it('removes the default entry and needs one way to name the entry', async () => {
    expect((await harness.call('DELETE', '/api/usage/budget?apiKeyId=default')).status).toBe(200);
    expect(await harness.configText()).not.toContain('budgets:');
    expect((await harness.call('DELETE', '/api/usage/budget')).status).toBe(400);
    expect((await harness.call('DELETE', `/api/usage/budget?apiKeyId=${KEY_B_ID}&key=${KEY_B}`)).status).toBe(400);
  });
});
