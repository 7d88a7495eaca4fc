import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockUpstream, type MockUpstream } from '../mock-upstream/index.ts';
import { sendClientCall } from './support/client-dialects.ts';
import { GatewayFleet } from './support/gateway-fleet.ts';
import { ManagementClient, waitFor } from './support/management-client.ts';
import { writeVersion1Database } from '../../src/storage/sqlite/__fixtures__/version-1-database.ts';

const MANAGEMENT_KEY = 'mgmt-migrate-secret-1f9d6b3a';
const CLIENT_KEY = 'sk-migrate-client-8e2a5c7f10';
const UPSTREAM_KEY = 'test-migrate-gemini-4a7e2d';
const SECRETS = [MANAGEMENT_KEY, CLIENT_KEY, UPSTREAM_KEY];

let mock: MockUpstream;
const fleet = new GatewayFleet();
let dataDir: string;

/** Rows of the version 1 database this test upgrades. */
const VERSION_1_ROWS = `
      ('v1-old-1:1', 'v1-old-1', 1, 1735732800000, 'key-one', 'sk-o…0001', 'claude', 'claude-api-key[0]', 'abcdef0123456789', 'api-key',
       'sonnet', 'claude-sonnet-4-5', '/v1/messages', 'anthropic-messages', 'anthropic-messages', 1, 200, 0, NULL,
       1000, 200, 300, 40, 50, 0, 1500, 300, 0.0066, 0),
      ('v1-old-2:1', 'v1-old-2', 1, 1735736460000, 'key-two', 'sk-t…0002', 'gemini', 'gemini-api-key[0]', '0123456789abcdef', 'api-key',
       'flash', 'gemini-2.5-flash', '/v1/chat/completions', 'openai-chat', 'gemini', 0, 429, 1, 'rate_limited',
       0, 0, 0, 0, 0, 0, 80, NULL, 0, 0),
      ('v1-old-2:2', 'v1-old-2', 2, 1735736460080, 'key-two', 'sk-t…0002', 'gemini', 'gemini-api-key[1]', '1123456789abcdef', 'api-key',
       'flash', 'gemini-2.5-flash', '/v1/chat/completions', 'openai-chat', 'gemini', 0, 200, 0, NULL,
       400, 120, 0, 0, 20, 0, 900, 200, 0.0004, 0)`;

const config = () => `port: 0
host: 127.0.0.1
api-keys: [${CLIENT_KEY}]
remote-management: {secret-key: ${MANAGEMENT_KEY}}
usage-statistics-enabled: true
logging-to-file: true
gemini-api-key:
  - api-key: ${UPSTREAM_KEY}
    base-url: ${mock.url}
    models: [{name: gemini-2.5-flash, alias: flash}]
`;

beforeAll(async () => {
  mock = await startMockUpstream();
  dataDir = await fleet.newDir();
  writeVersion1Database(join(dataDir, 'switchyard.db'), VERSION_1_ROWS);
});
afterAll(async () => {
  await fleet.cleanup();
  await mock.close();
});

describe('a data dir from an older schema', () => {
  it('starts, migrates with a backup, and serves the old records through the API', async () => {
    const gateway = await fleet.start(config(), dataDir);
    const management = new ManagementClient(gateway.url, MANAGEMENT_KEY);
    expect(gateway.output()).toMatch(/"from":1,"to":4[^\n]*"msg":"usage database migrated"/);
    expect((await readdir(dataDir)).filter((name) => /^switchyard\.db\.bak-v1-\d{8}T\d{6}Z$/.test(name))).toHaveLength(1);

    expect(await management.json('/api/usage/call-logs/v1-old-1')).toMatchObject({
      id: 'v1-old-1:1',
      status: 200,
      model: 'claude-sonnet-4-5',
      requestedModel: 'sonnet',
      provider: 'claude',
      stream: true,
      tokens: { in: 1000, out: 200, cacheRead: 300, cacheWrite: 40, reasoning: 50, total: 1200 },
      cost: 0.0066,
    });
    const failedOver = await management.json('/api/usage/call-logs/v1-old-2');
    expect(failedOver.attempts.map((attempt: { id: string; status: number; error: string | null }) => [attempt.id, attempt.status, attempt.error])).toEqual([
      ['v1-old-2:1', 429, 'rate_limited'],
      ['v1-old-2:2', 200, null],
    ]);

    // Totals come from the rollups the migration filled from the old rows.
    const { summary, byProvider } = await management.json('/api/usage/analytics?range=all');
    expect(summary).toMatchObject({ totalRequests: 3, failedRequests: 1, promptTokens: 1400, completionTokens: 320, cachedTokens: 300, cacheWriteTokens: 40, reasoningTokens: 70, totalTokens: 1720 });
    expect(summary.totalCost).toBeCloseTo(0.007, 10);
    expect(Object.fromEntries(byProvider.map((group: { provider: string; requests: number }) => [group.provider, group.requests]))).toEqual({ claude: 1, gemini: 2 });
    const cliproxy = await waitFor('usage history loaded', () => management.json('/v0/management/usage'), (answer) => answer.usage.total_requests >= 3);
    expect(cliproxy.usage).toMatchObject({ total_requests: 3, success_count: 2, failure_count: 1, total_tokens: 1720 });
    expect(cliproxy.usage.requests_by_day).toEqual({ '2025-01-01': 3 });

    // New traffic lands beside the old records.
    const answer = await sendClientCall(gateway.url, { dialect: 'openai-chat', model: 'flash', prompt: 'new here', stream: false, key: CLIENT_KEY });
    expect(answer.status).toBe(200);
    await waitFor('the new record', () => management.call('GET', `/api/usage/call-logs/${answer.headers['x-request-id']}`), (log) => log.status === 200);
    expect((await management.json('/api/usage/analytics?range=all')).summary.totalRequests).toBe(4);
    await fleet.stop(gateway);
  });

  it('a second start finds the schema current: no new backup, nothing lost', async () => {
    const gateway = await fleet.start(config(), dataDir);
    const management = new ManagementClient(gateway.url, MANAGEMENT_KEY);
    expect(gateway.output()).not.toContain('usage database migrated');
    expect((await readdir(dataDir)).filter((name) => name.startsWith('switchyard.db.bak-'))).toHaveLength(1);
    expect((await management.json('/api/usage/analytics?range=all')).summary.totalRequests).toBe(4);
    expect((await management.json('/api/usage/call-logs/v1-old-1:1')).tokens.in).toBe(1000);
    await fleet.stop(gateway);
  });

  it('no client, upstream or management key appears in any file under the data dir or in what the gateways printed', async () => {
    expect(await fleet.findSecrets(SECRETS)).toEqual([]);
  });
});
