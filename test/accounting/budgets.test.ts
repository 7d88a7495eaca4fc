import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockUpstream, type MockUpstream } from '../mock-upstream/index.ts';
import type { GatewayProcess } from '../support/start-gateway.ts';
import { CLIENT_DIALECTS, sendClientCall, type ClientDialect } from './support/client-dialects.ts';
import { pricingYaml } from './support/expected-usage.ts';
import { GatewayFleet } from './support/gateway-fleet.ts';
import { ManagementClient, waitFor, type HttpAnswer } from './support/management-client.ts';

const MANAGEMENT_KEY = 'mgmt-budget-secret-5e8c13f0';
const CAPPED = 'sk-budget-capped-9a4e7c21d6';
const FREE = 'sk-budget-free-2c7b8e05f3';
const UPSTREAM_KEY = 'test-budget-claude-6f03b9';
const SECRETS = [MANAGEMENT_KEY, CAPPED, FREE, UPSTREAM_KEY];
const DAILY_LIMIT = 0.01;
/** $1 per thousand tokens: one small request costs several cents, well past the limit. */
const PRICE = { input: 1000, output: 1000, 'cached-input': 1000, 'cache-write': 1000, reasoning: 1000 };

let mock: MockUpstream;
const fleet = new GatewayFleet();
let gateway: GatewayProcess;
let management: ManagementClient;
let dataDir: string;

function gatewayConfig(): string {
  return `port: 0
host: 127.0.0.1
api-keys: [${CAPPED}, ${FREE}]
remote-management: {secret-key: ${MANAGEMENT_KEY}}
usage-statistics-enabled: true
logging-to-file: true
budgets:
  ${CAPPED}: {daily-usd: ${DAILY_LIMIT}}
claude-api-key:
  - api-key: ${UPSTREAM_KEY}
    base-url: ${mock.url}
    models: [{name: budget-model, alias: budgeted}]
${pricingYaml({ 'budget-model': PRICE })}`;
}

beforeAll(async () => {
  mock = await startMockUpstream();
  dataDir = await fleet.newDir();
  gateway = await fleet.start(gatewayConfig(), dataDir);
  management = new ManagementClient(gateway.url, MANAGEMENT_KEY);
});
afterAll(async () => {
  await fleet.cleanup();
  await mock.close();
});

const masked = (key: string) => `${key.slice(0, 4)}…${key.slice(-4)}`;
const REFUSAL = `daily budget of $${DAILY_LIMIT.toFixed(2)} for key ${masked(CAPPED)} reached; resets at 00:00 UTC`;

function send(dialect: ClientDialect, key: string, prompt: string, stream = false): Promise<HttpAnswer> {
  return sendClientCall(gateway.url, { dialect, model: 'budgeted', prompt, stream, key });
}

function secondsToUtcMidnight(): number {
  const now = new Date();
  return (Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1) - now.getTime()) / 1000;
}

/** The refusal in the error shape of each client dialect, as its SDK parses it. */
function expectRefusal(dialect: ClientDialect, answer: HttpAnswer): void {
  expect(answer.status, answer.text).toBe(429);
  const retryAfter = Number(answer.headers['retry-after']);
  expect(Math.abs(retryAfter - secondsToUtcMidnight())).toBeLessThan(30);
  const body = JSON.parse(answer.text);
  switch (dialect) {
    case 'openai-chat':
    case 'openai-responses':
      expect(body).toEqual({ error: { message: REFUSAL, type: 'rate_limit_error', param: null, code: 'rate_limit_exceeded' } });
      break;
    case 'anthropic-messages':
      expect(body).toEqual({ type: 'error', error: { type: 'rate_limit_error', message: REFUSAL } });
      break;
    case 'gemini':
      expect(body.error).toMatchObject({ code: 429, message: REFUSAL, status: 'RESOURCE_EXHAUSTED' });
      break;
  }
}

async function budgetStatus(apiKeyId: string): Promise<Record<string, any>> {
  return management.json(`/api/usage/budget?apiKeyId=${encodeURIComponent(apiKeyId)}`);
}

describe('per-key budgets through the CLI', () => {
  let cappedKeyId: string;
  let spent: number;

  it('the request that crosses the daily budget completes; the key is refused afterwards, in every dialect, without reaching the upstream', async () => {
    const first = await send('openai-chat', CAPPED, 'spend it all');
    expect(first.status, first.text).toBe(200);
    spent = Number(first.headers['x-switchyard-cost']);
    expect(spent).toBeGreaterThan(DAILY_LIMIT);

    const upstreamCalls = mock.requests.length;
    for (const dialect of CLIENT_DIALECTS) {
      expectRefusal(dialect, await send(dialect, CAPPED, `still here? (${dialect})`));
      expectRefusal(dialect, await send(dialect, CAPPED, `still streaming? (${dialect})`, true));
    }
    expect(mock.requests.length).toBe(upstreamCalls);

    const log = await waitFor('the spending record', () => management.call('GET', `/api/usage/call-logs/${first.headers['x-request-id']}`), (answer) => answer.status === 200);
    cappedKeyId = JSON.parse(log.text).apiKeyId;
    const status = await budgetStatus(cappedKeyId);
    expect(status).toMatchObject({
      apiKeyLabel: masked(CAPPED),
      budgetSource: 'key',
      dailyLimitUsd: DAILY_LIMIT,
      monthlyLimitUsd: null,
      budgetCheck: { allowed: false, window: 'daily', reason: REFUSAL },
    });
    expect(status.totalCostToday).toBeCloseTo(spent, 6);
  });

  it('another key is unaffected, in every dialect', async () => {
    for (const dialect of CLIENT_DIALECTS) {
      const answer = await send(dialect, FREE, `my own budget (${dialect})`);
      expect(answer.status, answer.text).toBe(200);
    }
  });

  it('a restart keeps the spend: the key stays refused, the other stays served', async () => {
    await fleet.stop(gateway);
    gateway = await fleet.start(gatewayConfig(), dataDir);
    management = new ManagementClient(gateway.url, MANAGEMENT_KEY);
    expectRefusal('anthropic-messages', await send('anthropic-messages', CAPPED, 'after the restart'));
    expect((await send('gemini', FREE, 'after the restart')).status).toBe(200);
    expect((await budgetStatus(cappedKeyId)).totalCostToday).toBeCloseTo(spent, 6);
  });

  it('no client, upstream or management key appears in any file under the data dir or in what the gateways printed', async () => {
    await fleet.stop(gateway);
    expect(await fleet.findSecrets(SECRETS)).toEqual([]);
  });
});
