import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockUpstream, type MockUpstream, type RecordedRequest } from '../mock-upstream/index.ts';
import type { GatewayProcess } from '../support/start-gateway.ts';
import { CLIENT_DIALECTS, clientUsage, sendClientCall, type ClientCall, type ClientDialect, type InclusiveTokens } from './support/client-dialects.ts';
import { expectedCost, expectedTokens, pricingYaml, type TestPrice, type UpstreamDialect } from './support/expected-usage.ts';
import { GatewayFleet } from './support/gateway-fleet.ts';
import { ManagementClient, waitFor, type HttpAnswer } from './support/management-client.ts';

const MANAGEMENT_KEY = 'mgmt-acct-secret-0c5f7a9e';
const ALPHA = 'sk-acct-alpha-5f1e9c2b7d';
const BETA = 'sk-acct-beta-8a3d6e0f4c';
const UPSTREAM_KEYS = {
  openai: 'test-acct-openai-71c2e9',
  claude: 'test-acct-claude-4b8d02',
  gemini: 'test-acct-gemini-9e6a13',
  codex: 'test-acct-codex-2f7c58',
  failing: 'test-acct-claude-failing-6d1b',
  spare: 'test-acct-claude-spare-3e9a',
};
const SECRETS = [MANAGEMENT_KEY, ALPHA, BETA, ...Object.values(UPSTREAM_KEYS)];

/** Each upstream dialect behind its own alias, each model with its own prices, so a cost shows which price it used. */
const UPSTREAMS: Array<{ dialect: UpstreamDialect; alias: string; model: string; provider: string; credentialId: string; price: TestPrice }> = [
  { dialect: 'openai-chat', alias: 'via-openai', model: 'acct-openai-model', provider: 'mockai', credentialId: 'openai-compatibility[0].api-key-entries[0]', price: { input: 1000, output: 2000, 'cached-input': 100, 'cache-write': 1500, reasoning: 3000 } },
  { dialect: 'anthropic-messages', alias: 'via-claude', model: 'acct-claude-model', provider: 'claude', credentialId: 'claude-api-key[0]', price: { input: 3000, output: 15000, 'cached-input': 300, 'cache-write': 3750, reasoning: 20000 } },
  { dialect: 'gemini', alias: 'via-gemini', model: 'acct-gemini-model', provider: 'gemini', credentialId: 'gemini-api-key[0]', price: { input: 1250, output: 10000, 'cached-input': 125, 'cache-write': 2500, reasoning: 12000 } },
  { dialect: 'openai-responses', alias: 'via-codex', model: 'acct-codex-model', provider: 'codex', credentialId: 'codex-api-key[0]', price: { input: 1500, output: 6000, 'cached-input': 150, 'cache-write': 1800, reasoning: 9000 } },
];
const FAILOVER_PRICE: TestPrice = { input: 2000, output: 4000, 'cached-input': 200, 'cache-write': 2500, reasoning: 5000 };

let mock: MockUpstream;
const fleet = new GatewayFleet();
let gateway: GatewayProcess;
let management: ManagementClient;
let dataDir: string;

function gatewayConfig(): string {
  return `port: 0
host: 127.0.0.1
api-keys: [${ALPHA}, ${BETA}]
remote-management: {secret-key: ${MANAGEMENT_KEY}}
usage-statistics-enabled: true
request-log: true
logging-to-file: true
# The failover tests fail the same credential twice; a cooldown would skip it the second time.
disable-cooling: true
openai-compatibility:
  - name: mockai
    base-url: ${mock.url}/v1
    api-key-entries: [{api-key: ${UPSTREAM_KEYS.openai}}]
    models: [{name: acct-openai-model, alias: via-openai}]
claude-api-key:
  - api-key: ${UPSTREAM_KEYS.claude}
    base-url: ${mock.url}
    models: [{name: acct-claude-model, alias: via-claude}]
  - api-key: ${UPSTREAM_KEYS.failing}
    base-url: ${mock.url}
    priority: 2
    models: [{name: acct-failover-model, alias: via-failover}]
  - api-key: ${UPSTREAM_KEYS.spare}
    base-url: ${mock.url}
    priority: 1
    models: [{name: acct-failover-model, alias: via-failover}]
gemini-api-key:
  - api-key: ${UPSTREAM_KEYS.gemini}
    base-url: ${mock.url}
    models: [{name: acct-gemini-model, alias: via-gemini}]
codex-api-key:
  - api-key: ${UPSTREAM_KEYS.codex}
    base-url: ${mock.url}/backend-api/codex
    models: [{name: acct-codex-model, alias: via-codex}]
${pricingYaml({ ...Object.fromEntries(UPSTREAMS.map((upstream) => [upstream.model, upstream.price])), 'acct-failover-model': FAILOVER_PRICE })}`;
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

/** `/api/usage/call-logs/:id`'s answer: the row of a request's last attempt plus all its attempts. */
interface CallLog {
  id: string;
  requestId: string;
  attempt: number;
  status: number;
  failed: boolean;
  error: string | null;
  model: string;
  requestedModel: string;
  provider: string;
  connectionId: string;
  apiKeyId: string | null;
  apiKeyName: string | null;
  sourceFormat: string;
  targetFormat: string;
  stream: boolean;
  tokens: InclusiveTokens & { total: number };
  estimated: boolean;
  cost: number;
  attempts: CallLog[];
}

function requestIdOf(answer: HttpAnswer): string {
  const id = answer.headers['x-request-id'];
  if (typeof id !== 'string' || id === '') throw new Error(`no x-request-id on the answer: ${JSON.stringify(answer.headers)}`);
  return id;
}

/** Waits for the batched writer to store the request's attempts, then answers its call log. */
async function storedCallLog(requestId: string, attempts = 1): Promise<CallLog> {
  return waitFor(
    `the call log of ${requestId}`,
    async () => {
      const answer = await management.call('GET', `/api/usage/call-logs/${encodeURIComponent(requestId)}`);
      return answer.status === 200 ? (JSON.parse(answer.text) as CallLog) : undefined;
    },
    (log) => log !== undefined && log.attempts.length >= attempts,
  ) as Promise<CallLog>;
}

function masked(key: string): string {
  return `${key.slice(0, 4)}…${key.slice(-4)}`;
}

const tokensOf = (log: CallLog): InclusiveTokens => ({ in: log.tokens.in, out: log.tokens.out, cacheRead: log.tokens.cacheRead, cacheWrite: log.tokens.cacheWrite, reasoning: log.tokens.reasoning });

/** Every request of the file, so later tests can total them up. */
const served: string[] = [];

async function call(
  dialect: ClientDialect,
  alias: string,
  prompt: string,
  stream: boolean,
  { key = ALPHA, includeUsage = true }: { key?: string; includeUsage?: boolean } = {},
): Promise<{ answer: HttpAnswer; upstream: RecordedRequest }> {
  const before = mock.requests.length;
  const clientCall: ClientCall = { dialect, model: alias, prompt, stream, key, includeUsage };
  const answer = await sendClientCall(gateway.url, clientCall);
  expect(answer.status, answer.text).toBe(200);
  served.push(requestIdOf(answer));
  const upstream = mock.requests.slice(before).at(-1);
  if (!upstream?.usage) throw new Error(`the mock answered no generation for ${dialect} → ${alias}`);
  return { answer, upstream };
}

describe('usage recorded per attempt through the CLI', () => {
  for (const client of CLIENT_DIALECTS) {
    for (const upstream of UPSTREAMS) {
      it(`${client} client → ${upstream.dialect} upstream: stored tokens and cost are the upstream's, stream and not`, async () => {
        for (const stream of [false, true]) {
          const prompt = `[[mock:cache read=6 write=3]] [[mock:think 12]] ${client} to ${upstream.alias}, stream=${stream}`;
          const { answer, upstream: seen } = await call(client, upstream.alias, prompt, stream);
          const expected = expectedTokens(seen.usage!, upstream.dialect);
          // The directives did what the comparison relies on.
          expect(seen.usage).toMatchObject({ cacheRead: 6, cacheWrite: 3, reasoning: 12 });

          const log = await storedCallLog(requestIdOf(answer));
          expect(log).toMatchObject({
            requestId: requestIdOf(answer),
            attempt: 1,
            status: 200,
            failed: false,
            error: null,
            model: upstream.model,
            requestedModel: upstream.alias,
            provider: upstream.provider,
            connectionId: upstream.credentialId,
            apiKeyName: masked(ALPHA),
            sourceFormat: client,
            targetFormat: upstream.dialect,
            stream,
            estimated: false,
          });
          expect(log.attempts).toHaveLength(1);
          expect(tokensOf(log)).toEqual(expected);
          expect(log.tokens.total).toBe(expected.in + expected.out);
          const cost = expectedCost(expected, upstream.price);
          expect(cost).toBeGreaterThan(0);
          expect(log.cost).toBeCloseTo(cost, 10);

          // What the client was told, read by its own dialect's rules, is the same usage.
          const told = clientUsage(client, answer.text, stream);
          expect(told).toEqual(Object.fromEntries(Object.keys(told).map((field) => [field, expected[field as keyof InclusiveTokens]])));

          if (stream) {
            expect(answer.headers['x-switchyard-tokens-in']).toBeUndefined();
            expect(answer.headers['x-switchyard-cost']).toBeUndefined();
            // No comment lines added to the client's stream.
            expect(answer.text.split(/\r?\n/).filter((line) => line.startsWith(':'))).toEqual([]);
          } else {
            expect(answer.headers['x-switchyard-tokens-in']).toBe(String(expected.in));
            expect(answer.headers['x-switchyard-tokens-out']).toBe(String(expected.out));
            expect(answer.headers['x-switchyard-cost']).toBe(cost.toFixed(6));
          }
        }
      });
    }
  }

  it('x-request-id finds the record and the request log file', async () => {
    const { answer } = await call('anthropic-messages', 'via-gemini', 'find me by id', false);
    const requestId = requestIdOf(answer);
    const log = await storedCallLog(requestId);
    expect(log.id).toBe(`${requestId}:1`);
    // The attempt id finds the same row.
    expect(await management.json(`/api/usage/call-logs/${encodeURIComponent(`${requestId}:1`)}`)).toEqual(log);
    expect((await management.call('GET', '/api/usage/call-logs/no-such-request')).status).toBe(404);

    const file = await waitFor(
      'the request log file',
      () => management.call('GET', `/v0/management/request-log-by-id/${encodeURIComponent(requestId)}`),
      (found) => found.status === 200,
    );
    expect(file.headers['content-disposition']).toMatch(new RegExp(`filename="v1-messages-\\d{4}-\\d{2}-\\d{2}T\\d{6}-${requestId}\\.log"`));
    expect(file.text.startsWith('=== REQUEST INFO ===\n')).toBe(true);
    expect(file.text).toContain('find me by id');
    expect(file.text).toMatch(/=== RESPONSE ===\nStatus: 200\n/);
    // The response section holds the very answer the client got.
    expect(file.text.endsWith(`\n${answer.text}\n`)).toBe(true);
    expect(file.text).toContain(`X-Api-Key: ${masked(ALPHA)}`);
  });

  it('a request that fails over records both attempts: the failure with its status and error code, then the one that served', async () => {
    // The failing credential has the higher priority, so it is tried first.
    mock.setNextResponses([{ error: { status: 429, message: 'slow down' } }]);
    const before = mock.requests.length;
    const { answer, upstream } = await call('openai-chat', 'via-failover', '[[mock:cache read=4]] fail over, plain', false);
    expect(answer.headers['x-switchyard-attempts']).toBe('2');
    expect(mock.requests.slice(before).map((request) => request.headers['x-api-key'])).toEqual([UPSTREAM_KEYS.failing, UPSTREAM_KEYS.spare]);

    const requestId = requestIdOf(answer);
    const log = await storedCallLog(requestId, 2);
    expect(log.attempts.map((attempt) => attempt.id)).toEqual([`${requestId}:1`, `${requestId}:2`]);
    const [failed, servedAttempt] = log.attempts;
    expect(failed).toMatchObject({ attempt: 1, status: 429, failed: true, error: 'rate_limited', connectionId: 'claude-api-key[1]', cost: 0 });
    expect(tokensOf(failed!)).toEqual({ in: 0, out: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 });
    const expected = expectedTokens(upstream.usage!, 'anthropic-messages');
    expect(servedAttempt).toMatchObject({ attempt: 2, status: 200, failed: false, error: null, connectionId: 'claude-api-key[2]' });
    expect(tokensOf(servedAttempt!)).toEqual(expected);
    expect(servedAttempt!.cost).toBeCloseTo(expectedCost(expected, FAILOVER_PRICE), 10);
    // The request's row is its last attempt.
    expect(log.id).toBe(`${requestId}:2`);
    expect(answer.headers['x-switchyard-tokens-in']).toBe(String(expected.in));
  });

  it('a stream whose first credential drops the connection records the dropped attempt and the served one', async () => {
    mock.setNextResponses([{ drop: true }]);
    const { answer, upstream } = await call('gemini', 'via-failover', '[[mock:think 8]] fail over, streamed', true);
    const log = await storedCallLog(requestIdOf(answer), 2);
    const [failed, servedAttempt] = log.attempts;
    expect(failed).toMatchObject({ attempt: 1, failed: true, connectionId: 'claude-api-key[1]', stream: true, cost: 0 });
    expect(failed!.status).toBeGreaterThanOrEqual(500);
    expect(failed!.error).toEqual(expect.any(String));
    expect(servedAttempt).toMatchObject({ attempt: 2, status: 200, failed: false, connectionId: 'claude-api-key[2]', stream: true });
    expect(tokensOf(servedAttempt!)).toEqual(expectedTokens(upstream.usage!, 'anthropic-messages'));
  });

  it("an OpenAI Chat stream that did not ask for usage is still accounted, and gets no usage chunk it did not ask for", async () => {
    // A thinking suffix makes the gateway re-encode the request even between two OpenAI Chat ends.
    for (const [upstream, model] of [[UPSTREAMS[0]!, 'via-openai'], [UPSTREAMS[0]!, 'via-openai(high)'], [UPSTREAMS[1]!, 'via-claude']] as const) {
      const { answer, upstream: seen } = await call('openai-chat', model, `[[mock:cache read=5]] [[mock:think 4]] no usage asked of ${model}`, true, { includeUsage: false });
      const log = await storedCallLog(requestIdOf(answer));
      expect(tokensOf(log)).toEqual(expectedTokens(seen.usage!, upstream.dialect));
      expect(log.cost).toBeGreaterThan(0);
      const chunks = answer.text.split('\n\n').filter((frame) => frame.startsWith('data: {'));
      expect(chunks.length).toBeGreaterThan(1);
      for (const chunk of chunks) {
        const parsed = JSON.parse(chunk.slice(6));
        expect(parsed).not.toHaveProperty('usage');
        expect(parsed.choices).toHaveLength(1);
      }
      expect(answer.text.trimEnd().endsWith('data: [DONE]')).toBe(true);
    }
  });

  it('a second client key is accounted separately', async () => {
    const { answer, upstream } = await call('openai-responses', 'via-openai', 'from beta', false, { key: BETA });
    const log = await storedCallLog(requestIdOf(answer));
    expect(log.apiKeyName).toBe(masked(BETA));
    expect(tokensOf(log)).toEqual(expectedTokens(upstream.usage!, 'openai-chat'));
    const alphaLog = await storedCallLog(served[0]!);
    expect(alphaLog.apiKeyId).not.toBe(log.apiKeyId);
  });
});

interface Totals {
  requests: number;
  failures: number;
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  cost: number;
}

/** Sums of every stored attempt, from the call logs. */
async function callLogTotals(client: ManagementClient): Promise<Totals & { ids: string[] }> {
  const rows = await client.json<CallLog[]>('/api/usage/call-logs?limit=500');
  const totals = { requests: 0, failures: 0, inputTokens: 0, outputTokens: 0, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, cost: 0, ids: [] as string[] };
  for (const row of rows) {
    totals.requests++;
    if (row.failed) totals.failures++;
    totals.inputTokens += row.tokens.in;
    totals.outputTokens += row.tokens.out;
    totals.cachedTokens += row.tokens.cacheRead;
    totals.cacheWriteTokens += row.tokens.cacheWrite;
    totals.reasoningTokens += row.tokens.reasoning;
    totals.cost += row.cost;
    totals.ids.push(row.id);
  }
  totals.ids.sort();
  return totals;
}

/** The same totals as `/api/usage/analytics` (storage rollups) reports them. */
async function analyticsTotals(client: ManagementClient): Promise<Totals> {
  const { summary } = await client.json('/api/usage/analytics?range=all');
  return {
    requests: summary.totalRequests,
    failures: summary.failedRequests,
    inputTokens: summary.promptTokens,
    outputTokens: summary.completionTokens,
    cachedTokens: summary.cachedTokens,
    cacheWriteTokens: summary.cacheWriteTokens,
    reasoningTokens: summary.reasoningTokens,
    cost: summary.totalCost,
  };
}

/** CLIProxyAPI's view, `GET /v0/management/usage`. */
async function cliproxyTotals(client: ManagementClient): Promise<{ total_requests: number; success_count: number; failure_count: number; total_tokens: number }> {
  const { usage, failed_requests } = await client.json('/v0/management/usage');
  expect(failed_requests).toBe(usage.failure_count);
  return { total_requests: usage.total_requests, success_count: usage.success_count, failure_count: usage.failure_count, total_tokens: usage.total_tokens };
}

function expectSameTotals(actual: Totals, expected: Totals): void {
  const counts = (totals: Totals) => ({ ...totals, cost: undefined, ids: undefined });
  expect(counts(actual)).toEqual(counts(expected));
  expect(actual.cost).toBeCloseTo(expected.cost, 8);
}

describe('the usage views agree', () => {
  it('call logs, analytics, CLIProxyAPI usage and the export hold the same attempts', async () => {
    const attempts = served.length + 2; // two requests failed over once
    const logs = await waitFor('every attempt stored', () => callLogTotals(management), (totals) => totals.requests >= attempts);
    expect(logs.requests).toBe(attempts);
    expect(logs.failures).toBe(2);
    expectSameTotals(await analyticsTotals(management), logs);
    expect(await cliproxyTotals(management)).toEqual({
      total_requests: attempts,
      success_count: attempts - 2,
      failure_count: 2,
      total_tokens: logs.inputTokens + logs.outputTokens,
    });

    const exported = await management.json('/v0/management/usage/export');
    expect(exported).toMatchObject({ version: 1, exported_at: expect.any(String) });
    const details = Object.values(exported.usage.apis as Record<string, { models: Record<string, { details: Array<Record<string, any>> }> }>).flatMap((api) =>
      Object.values(api.models).flatMap((model) => model.details),
    );
    expect(details).toHaveLength(attempts);
    const rows = await management.json<CallLog[]>('/api/usage/call-logs?limit=500');
    for (const row of rows) {
      const detail = details.find((candidate) => candidate.switchyard?.id === row.id);
      expect(detail, `export detail of ${row.id}`).toBeDefined();
      expect(detail!.tokens).toEqual({
        input_tokens: row.tokens.in,
        output_tokens: row.tokens.out,
        reasoning_tokens: row.tokens.reasoning,
        cached_tokens: row.tokens.cacheRead,
        total_tokens: row.tokens.total,
      });
      expect(detail!.failed).toBe(row.failed);
      expect(detail!.request_id).toBe(row.requestId);
    }
    expect(Object.keys(exported.usage.apis).sort()).toEqual([masked(ALPHA), masked(BETA)].sort());
  });
});

describe('history survives', () => {
  it('export, import into a fresh gateway: same totals; importing again adds nothing', async () => {
    const exportText = (await management.call('GET', '/v0/management/usage/export')).text;
    const source = { logs: await callLogTotals(management), cliproxy: await cliproxyTotals(management), analytics: await analyticsTotals(management) };

    const fresh = await fleet.start(`port: 0\nhost: 127.0.0.1\nremote-management: {secret-key: ${MANAGEMENT_KEY}}\nusage-statistics-enabled: true\n`);
    const target = new ManagementClient(fresh.url, MANAGEMENT_KEY);
    expect(await cliproxyTotals(target)).toMatchObject({ total_requests: 0 });

    const first = await target.call('POST', '/v0/management/usage/import', exportText);
    expect(first.status, first.text).toBe(200);
    expect(JSON.parse(first.text)).toEqual({ added: source.logs.requests, skipped: 0, total_requests: source.logs.requests, failed_requests: source.logs.failures });
    expect(await cliproxyTotals(target)).toEqual(source.cliproxy);
    expectSameTotals(await analyticsTotals(target), source.analytics);
    const imported = await callLogTotals(target);
    expect(imported.ids).toEqual(source.logs.ids);
    expectSameTotals(imported, source.logs);

    const second = await target.call('POST', '/v0/management/usage/import', exportText);
    expect(JSON.parse(second.text)).toEqual({ added: 0, skipped: source.logs.requests, total_requests: source.logs.requests, failed_requests: source.logs.failures });
    expect(await cliproxyTotals(target)).toEqual(source.cliproxy);
    expectSameTotals(await analyticsTotals(target), source.analytics);
    expect((await callLogTotals(target)).ids).toEqual(source.logs.ids);
    await fleet.stop(fresh);
  });

  it('a restart on the same data keeps every total, records still pending at SIGTERM included, and counts new requests once', async () => {
    const stored = { cliproxy: await cliproxyTotals(management), analytics: await analyticsTotals(management) };
    // Stopped right after the answer, before the batched writer's next turn: the shutdown must write it.
    const pending = await call('anthropic-messages', 'via-openai', 'answered just before the shutdown', false);
    const pendingTokens = expectedTokens(pending.upstream.usage!, 'openai-chat');
    const before = {
      cliproxy: {
        total_requests: stored.cliproxy.total_requests + 1,
        success_count: stored.cliproxy.success_count + 1,
        failure_count: stored.cliproxy.failure_count,
        total_tokens: stored.cliproxy.total_tokens + pendingTokens.in + pendingTokens.out,
      },
      analytics: {
        ...stored.analytics,
        requests: stored.analytics.requests + 1,
        inputTokens: stored.analytics.inputTokens + pendingTokens.in,
        outputTokens: stored.analytics.outputTokens + pendingTokens.out,
        cost: stored.analytics.cost + expectedCost(pendingTokens, UPSTREAMS[0]!.price),
      },
    };
    await fleet.stop(gateway);
    gateway = await fleet.start(gatewayConfig(), dataDir);
    management = new ManagementClient(gateway.url, MANAGEMENT_KEY);

    expectSameTotals(await analyticsTotals(management), before.analytics);
    const logs = await callLogTotals(management);
    expect(logs.ids).toContain(`${requestIdOf(pending.answer)}:1`);
    expectSameTotals(logs, before.analytics);
    // The in-memory CLIProxyAPI statistics are refilled from storage in the background after start.
    const cliproxy = await waitFor('usage history loaded', () => cliproxyTotals(management), (totals) => totals.total_requests >= before.cliproxy.total_requests);
    expect(cliproxy).toEqual(before.cliproxy);

    const { answer, upstream } = await call('openai-chat', 'via-claude', 'after the restart', false);
    const added = expectedTokens(upstream.usage!, 'anthropic-messages');
    await storedCallLog(requestIdOf(answer));
    expect(await cliproxyTotals(management)).toEqual({
      total_requests: before.cliproxy.total_requests + 1,
      success_count: before.cliproxy.success_count + 1,
      failure_count: before.cliproxy.failure_count,
      total_tokens: before.cliproxy.total_tokens + added.in + added.out,
    });
    expect((await analyticsTotals(management)).requests).toBe(before.analytics.requests + 1);
  });
});

describe('secrets', () => {
  it('no client, upstream or management key appears in any file under the data dirs or in what the gateways printed', async () => {
    await fleet.stop(gateway);
    const files = await fleet.scannedFiles();
    // The scan must have something to look at: the database, main.log and the request logs.
    expect(files.some((file) => file.endsWith('switchyard.db'))).toBe(true);
    expect(files.some((file) => file.endsWith('main.log'))).toBe(true);
    expect(files.filter((file) => /v1-messages-.*\.log$/.test(file)).length).toBeGreaterThan(0);
    expect(await fleet.findSecrets(SECRETS)).toEqual([]);
  });
});
