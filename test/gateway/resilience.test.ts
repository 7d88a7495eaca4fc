import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startMockUpstream, type MockUpstream } from '../mock-upstream/index.ts';
import { startGatewayProcess, type GatewayProcess } from '../support/start-gateway.ts';

let mock: MockUpstream;
const gateways: GatewayProcess[] = [];

beforeAll(async () => {
  mock = await startMockUpstream();
});
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((gateway) => gateway.stop()));
  mock.reset();
});
afterAll(async () => {
  await mock.close();
});

/** A gateway in front of the mock; `extra` is appended to the config (top-level keys). */
async function gatewayWith(extra = '', keys = ['test-a', 'test-b']): Promise<GatewayProcess> {
  const gateway = await startGatewayProcess(`port: 0
host: 127.0.0.1
api-keys: [sk-client]
${extra}
openai-compatibility:
  - name: pool
    base-url: ${mock.url}/v1
    api-key-entries: [${keys.map((key) => `{api-key: ${key}}`).join(', ')}]
    models: [{name: gpt-4o-mini, alias: pooled}]
  - name: backup
    base-url: ${mock.url}/v1
    api-key-entries: [{api-key: test-backup}]
    models: [{name: gpt-4.1, alias: backup-model}]
`);
  gateways.push(gateway);
  return gateway;
}

async function chat(gateway: GatewayProcess, content: string, options: { model?: string; headers?: Record<string, string>; path?: string } = {}) {
  const anthropic = options.path === '/v1/messages';
  const response = await request(`${gateway.url}${options.path ?? '/v1/chat/completions'}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-client', ...options.headers },
    body: JSON.stringify({ model: options.model ?? 'pooled', ...(anthropic ? { max_tokens: 64 } : {}), messages: [{ role: 'user', content }] }),
  });
  return { status: response.statusCode, headers: response.headers, body: (await response.body.json()) as Record<string, any> };
}

const keysSeen = () => mock.requests.map((recorded) => recorded.headers.authorization);

describe('cooldowns', () => {
  it("rests a rate-limited credential for the upstream's Retry-After, then serves from the other", async () => {
    const gateway = await gatewayWith();
    const first = await chat(gateway, '[[mock:error 429 retry-after=30 key=test-a]] hello');
    expect(first.status).toBe(200);
    mock.reset();
    for (let i = 0; i < 4; i++) expect((await chat(gateway, 'again')).status).toBe(200);
    expect(new Set(keysSeen())).toEqual(new Set(['Bearer test-b']));
  });

  it("answers CLIProxyAPI's model_cooldown 429 in the client's dialect when every credential is cooling", async () => {
    const gateway = await gatewayWith();
    const limited = await chat(gateway, '[[mock:error 429 retry-after=40]] both');
    expect(limited.status).toBe(429);
    mock.reset();
    const openai = await chat(gateway, 'anyone?');
    expect(openai.status).toBe(429);
    expect(Number(openai.headers['retry-after'])).toBeGreaterThan(30);
    expect(openai.body.error).toMatchObject({ code: 'model_cooldown', model: 'pooled', provider: 'pool', reset_time: expect.stringMatching(/^\d+s$/) });
    expect(openai.body.error.reset_seconds).toBeGreaterThan(30);
    expect(openai.body.error.message).toBe('All credentials for model pooled are cooling down via provider pool');
    const anthropic = await chat(gateway, 'anyone?', { path: '/v1/messages' });
    expect(anthropic.status).toBe(429);
    expect(anthropic.body).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    expect(mock.requests).toHaveLength(0);
  });

  it('backs off a 429 without a reset time from one second, doubling', async () => {
    const gateway = await gatewayWith('', ['test-a']);
    const first = await chat(gateway, '[[mock:error 429]] no hint');
    expect(first.status).toBe(429);
    expect(first.headers['retry-after']).toBeUndefined();
    const cooling = await chat(gateway, 'still?');
    expect(cooling.body.error).toMatchObject({ code: 'model_cooldown', reset_seconds: 1, reset_time: '1s' });
    await new Promise((resolve) => setTimeout(resolve, 1050));
    expect((await chat(gateway, '[[mock:error 429]] again')).status).toBe(429);
    expect((await chat(gateway, 'and now?')).body.error).toMatchObject({ code: 'model_cooldown', reset_seconds: 2 });
  });

  it('never cools anything for a request the upstream calls invalid (400)', async () => {
    const gateway = await gatewayWith('', ['test-a']);
    mock.setNextResponses([{ error: { status: 400, message: 'bad request' } }]);
    expect((await chat(gateway, 'invalid')).status).toBe(400);
    expect((await chat(gateway, 'valid')).status).toBe(200);
    expect(mock.requests).toHaveLength(2);
  });

  it('lets a cooldown expire', async () => {
    const gateway = await gatewayWith('', ['test-a']);
    expect((await chat(gateway, '[[mock:error 429 retry-after=1 times=1]] x')).status).toBe(429);
    expect((await chat(gateway, 'y')).body.error.code).toBe('model_cooldown');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await chat(gateway, 'z')).status).toBe(200);
  });

  it('waits out a short Retry-After within max-retry-interval and request-retry', async () => {
    const gateway = await gatewayWith('request-retry: 1\nmax-retry-interval: 5', ['test-a']);
    const started = Date.now();
    const result = await chat(gateway, '[[mock:error 429 retry-after=1 times=1]] patience');
    expect(result.status).toBe(200);
    expect(result.body.choices[0].message.content).toBe('echo: patience');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(result.headers['x-switchyard-attempts']).toBe('2');
  });
});

describe('timeouts', () => {
  it('gives up on an upstream that sends no headers within first-byte-seconds and fails over', async () => {
    const gateway = await gatewayWith('routing: {strategy: fill-first}\nupstream-timeouts: {first-byte-seconds: 0.5}');
    mock.setNextResponses([{ delayMs: 3000 }]);
    const started = Date.now();
    const result = await chat(gateway, 'are you there');
    expect(result.status).toBe(200);
    expect(result.headers['x-switchyard-attempts']).toBe('2');
    expect(Date.now() - started).toBeLessThan(2500);
    expect(keysSeen()).toEqual(['Bearer test-a', 'Bearer test-b']);
    const cooled = await chat(gateway, 'again');
    expect(cooled.status).toBe(200);
    expect(keysSeen().at(-1)).toBe('Bearer test-b');
  });
});

describe('circuit breaker', () => {
  it('opens after consecutive provider failures, skips the provider with zero round trips, and recovers through one probe', async () => {
    const gateway = await gatewayWith('disable-cooling: true\ncircuit-breaker: {failure-threshold: 2, open-seconds: 1}', ['test-a']);
    expect((await chat(gateway, '[[mock:error 500]] one')).status).toBe(500);
    expect((await chat(gateway, '[[mock:error 500]] two')).status).toBe(500);
    mock.reset();
    const refused = await chat(gateway, 'three');
    expect(refused.status).toBe(503);
    expect(refused.body.error.message).toMatch(/circuit open/);
    expect(mock.requests).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await chat(gateway, 'probe')).status).toBe(200);
    expect((await chat(gateway, 'closed again')).status).toBe(200);
    expect(mock.requests).toHaveLength(2);
  });
});

describe('fallback chains', () => {
  it('continues with the next model of the chain when every credential of the model fails', async () => {
    const gateway = await gatewayWith('disable-cooling: true\nfallback-chains: {pooled: [backup-model]}');
    mock.setNextResponses([{ error: { status: 503 } }, { error: { status: 503 } }]);
    const result = await chat(gateway, 'rescue me');
    expect(result.status).toBe(200);
    expect(result.headers['x-switchyard-model']).toBe('gpt-4.1');
    expect(result.headers['x-switchyard-attempts']).toBe('3');
    expect(keysSeen().at(-1)).toBe('Bearer test-backup');
  });
});

describe('session affinity', () => {
  it('keeps a session on the credential that served it', async () => {
    const gateway = await gatewayWith('routing: {strategy: round-robin, session-affinity: true}');
    for (let i = 0; i < 4; i++) await chat(gateway, `turn ${i}`, { headers: { 'x-claude-code-session-id': 'session-1' } });
    expect(new Set(keysSeen()).size).toBe(1);
    mock.reset();
    for (let i = 0; i < 4; i++) await chat(gateway, `no session ${i}`);
    expect(new Set(keysSeen()).size).toBe(2);
  });
});

describe('limits', () => {
  it('sends a request to another credential while one is at its max-concurrent limit', async () => {
    const gateway = await startGatewayProcess(`port: 0
host: 127.0.0.1
api-keys: [sk-client]
routing: {strategy: fill-first}
claude-api-key:
  - api-key: test-a
    base-url: ${mock.url}
    max-concurrent: 1
    models: [{name: claude-sonnet-4-5, alias: limited}]
  - api-key: test-b
    base-url: ${mock.url}
    models: [{name: claude-sonnet-4-5, alias: limited}]
`);
    gateways.push(gateway);
    const slow = chat(gateway, '[[mock:delay 400]] slow', { model: 'limited' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const fast = await chat(gateway, 'fast', { model: 'limited' });
    expect(fast.status).toBe(200);
    expect((await slow).status).toBe(200);
    const keys = mock.requests.map((recorded) => recorded.headers['x-api-key']);
    expect(keys).toEqual(['test-a', 'test-b']);
  });

  it("answers 429 with Retry-After once a client key exceeds its requests per minute", async () => {
    const gateway = await gatewayWith("client-rate-limits: {keys: {sk-client: {requests-per-minute: 2}}}");
    expect((await chat(gateway, 'one')).status).toBe(200);
    expect((await chat(gateway, 'two')).status).toBe(200);
    const third = await chat(gateway, 'three');
    expect(third.status).toBe(429);
    expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
    expect(third.body.error.message).toMatch(/request limit of 2 per minute/);
    expect(mock.requests).toHaveLength(2);
  });
});
