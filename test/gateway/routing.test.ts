import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { wrapReasoning } from '../../src/dialects/shared/reasoning-envelope.ts';
import { startMockUpstream, type MockUpstream } from '../mock-upstream/index.ts';
import { startGatewayProcess, type GatewayProcess } from '../support/start-gateway.ts';

let mock: MockUpstream;
let gateway: GatewayProcess;

beforeAll(async () => {
  mock = await startMockUpstream();
  // Cooldowns would carry failures from one test into the next; test/gateway/resilience.test.ts covers them.
  gateway = await startGatewayProcess(`port: 0
host: 127.0.0.1
api-keys: [sk-client]
disable-cooling: true
openai-compatibility:
  - name: pool
    base-url: ${mock.url}/v1
    api-key-entries: [{api-key: test-a}, {api-key: test-b}]
    models: [{name: gpt-4o-mini, alias: pooled}]
claude-api-key:
  - api-key: test-claude
    base-url: ${mock.url}
    models: [{name: claude-sonnet-4-5, alias: sonnet}]
`);
});
afterAll(async () => {
  await gateway.stop();
  await mock.close();
});
beforeEach(() => mock.reset());

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await request(`${gateway.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-client', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.statusCode, headers: response.headers, text: await response.body.text() };
}

const chatBody = (content: string, stream = false) => ({ model: 'pooled', stream, messages: [{ role: 'user', content }] });

describe('credential rotation and failover', () => {
  it('uses pooled credentials in turn', async () => {
    await post('/v1/chat/completions', chatBody('one'));
    await post('/v1/chat/completions', chatBody('two'));
    const keys = mock.requests.map((r) => r.headers.authorization);
    expect(new Set(keys)).toEqual(new Set(['Bearer test-a', 'Bearer test-b']));
  });

  it('switches to the next credential on a 500 before the first byte, and says how many attempts it took', async () => {
    const result = await post('/v1/chat/completions', chatBody('[[mock:error 500 times=1]] retry me'));
    expect(result.status).toBe(200);
    expect(JSON.parse(result.text).choices[0].message.content).toBe('echo: retry me');
    expect(result.headers['x-switchyard-attempts']).toBe('2');
    expect(result.headers['x-switchyard-provider']).toBe('pool');
    expect(result.headers['x-switchyard-model']).toBe('gpt-4o-mini');
    const usage = JSON.parse(result.text).usage;
    expect(result.headers['x-switchyard-tokens-in']).toBe(String(usage.prompt_tokens));
    expect(result.headers['x-switchyard-tokens-out']).toBe(String(usage.completion_tokens));
    expect(result.headers['x-switchyard-cost']).toMatch(/^\d+\.\d{6}$/);
    expect(result.headers['x-switchyard-tokens-estimated']).toBeUndefined();
    expect(String(result.headers['server-timing'])).toMatch(/^gateway;dur=\d+\.\d+, upstream;dur=\d+\.\d+$/);
    expect(mock.requests).toHaveLength(2);
  });

  it('estimates usage, and says so, when the upstream reports none', async () => {
    mock.setNextResponses([
      {
        status: 200,
        body: { id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, message: { role: 'assistant', content: 'a reply of several words' }, finish_reason: 'stop' }] },
      },
    ]);
    const result = await post('/v1/chat/completions', chatBody('how many tokens is this prompt'));
    expect(result.status).toBe(200);
    expect(result.headers['x-switchyard-tokens-estimated']).toBe('true');
    expect(Number(result.headers['x-switchyard-tokens-in'])).toBeGreaterThan(5);
    expect(Number(result.headers['x-switchyard-tokens-out'])).toBe(5);
    expect(JSON.parse(result.text).usage).toBeUndefined();
  });

  it('does not try another credential when the request itself is invalid (400)', async () => {
    mock.setNextResponses([{ error: { status: 400, message: 'bad schema' } }, { error: { status: 400, message: 'bad schema' } }]);
    const result = await post('/v1/chat/completions', chatBody('invalid'));
    expect(result.status).toBe(400);
    expect(JSON.parse(result.text).error.message).toBe('bad schema');
    expect(mock.requests).toHaveLength(1);
  });

  it('returns the last error with Retry-After when every credential is rate limited', async () => {
    const result = await post('/v1/messages', { model: 'pooled', max_tokens: 50, messages: [{ role: 'user', content: '[[mock:error 429 retry-after=7]] x' }] });
    expect(result.status).toBe(429);
    expect(result.headers['retry-after']).toBe('7');
    expect(JSON.parse(result.text)).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    expect(mock.requests).toHaveLength(2);
  });

  it("answers an unknown model with CLIProxyAPI's error in the client's dialect", async () => {
    const result = await post('/v1/messages', { model: 'no-such-model', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] });
    expect(result.status).toBe(502);
    expect(JSON.parse(result.text)).toMatchObject({ type: 'error', error: { message: 'unknown provider for model no-such-model' } });
  });
});

describe('passthrough', () => {
  it("re-encodes instead of passing through a history that carries another provider's reasoning", async () => {
    const foreign = wrapReasoning({ origin: 'gemini', signature: 'c2lnbmVkLWJ5LWdlbWluaQ' });
    const result = await post('/v1/messages', {
      model: 'sonnet',
      max_tokens: 64,
      messages: [
        { role: 'user', content: 'first' },
        { role: 'assistant', content: [{ type: 'thinking', thinking: 'earlier thoughts', signature: foreign }, { type: 'text', text: 'earlier answer' }] },
        { role: 'user', content: 'second' },
      ],
    });
    expect(result.status).toBe(200);
    const sent = JSON.stringify(mock.requests.at(-1)!.body);
    expect(sent).not.toContain('switchyard.reasoning.v1');
    expect(sent).toContain('earlier answer');
  });
});

describe('failures after the first byte', () => {
  it('ends an OpenAI stream cut by the upstream with an in-stream error, not a silent truncation', async () => {
    const result = await post('/v1/chat/completions', chatBody('[[mock:long 200]] [[mock:cut after=5]]', true));
    expect(result.status).toBe(200);
    const events = result.text.trim().split('\n\n');
    expect(events.at(-1)).toMatch(/^data: \{"error":\{/);
    expect(result.text).not.toContain('[DONE]');
    expect(mock.requests).toHaveLength(1);
  });

  it('ends a passthrough stream that the upstream closed before its terminal event with an error event', async () => {
    const partial = { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta: { content: 'partial' }, finish_reason: null }] };
    mock.setNextResponses([{ status: 200, headers: { 'content-type': 'text/event-stream' }, body: `data: ${JSON.stringify(partial)}\n\n` }]);
    // A client that asks for usage gets the upstream's bytes untouched (without, the stream is re-encoded to drop the usage chunk).
    const result = await post('/v1/chat/completions', { ...chatBody('truncated', true), stream_options: { include_usage: true } });
    const events = result.text.trim().split('\n\n');
    expect(events[0]).toBe(`data: ${JSON.stringify(partial)}`);
    expect(events.at(-1)).toMatch(/^data: \{"error":\{"message":"upstream stream ended before completion"/);
  });

  it('ends an Anthropic stream from a cut OpenAI upstream with an error event', async () => {
    const result = await post('/v1/messages', { model: 'pooled', max_tokens: 500, stream: true, messages: [{ role: 'user', content: '[[mock:long 200]] [[mock:cut after=5]]' }] });
    expect(result.status).toBe(200);
    expect(result.text).toContain('event: message_start');
    expect(result.text.trim().split('\n\n').at(-1)).toMatch(/^event: error\ndata: \{"type":"error","error":\{"type":"api_error"/);
    expect(result.text).not.toContain('message_stop');
  });
});

describe('service routes', () => {
  it('lists models for OpenAI clients and as an Anthropic page for Claude Code', async () => {
    const openai = await request(`${gateway.url}/v1/models`, { headers: { authorization: 'Bearer sk-client' } });
    const list = (await openai.body.json()) as { object: string; data: Array<{ id: string; object: string; owned_by: string }> };
    expect(list.object).toBe('list');
    expect(list.data.map((m) => m.id).sort()).toEqual(['pooled', 'sonnet']);
    const claude = await request(`${gateway.url}/v1/models`, { headers: { 'x-api-key': 'sk-client', 'user-agent': 'claude-cli/2.1.0 (external, cli)' } });
    const page = (await claude.body.json()) as Record<string, unknown>;
    expect(page).toMatchObject({ has_more: false, first_id: expect.any(String), last_id: expect.any(String) });
    expect((page.data as Array<{ type: string }>)[0]!.type).toBe('model');
  });

  it('lists models for Gemini clients', async () => {
    const response = await request(`${gateway.url}/v1beta/models?key=sk-client`);
    const list = (await response.body.json()) as { models: Array<{ name: string }> };
    expect(list.models.map((m) => m.name).sort()).toEqual(['models/pooled', 'models/sonnet']);
  });

  it('counts tokens with the upstream that can count, else estimates and says so', async () => {
    const counted = await post('/v1/messages/count_tokens', { model: 'sonnet', messages: [{ role: 'user', content: 'count me please' }] });
    expect(counted.status).toBe(200);
    expect(JSON.parse(counted.text).input_tokens).toBeGreaterThan(0);
    expect(counted.headers['x-switchyard-estimated']).toBeUndefined();
    expect(mock.requests.at(-1)!.path).toBe('/v1/messages/count_tokens');
    const estimated = await post('/v1/messages/count_tokens', { model: 'pooled', messages: [{ role: 'user', content: 'count me please' }] });
    expect(estimated.status).toBe(200);
    expect(JSON.parse(estimated.text).input_tokens).toBeGreaterThan(3);
    expect(estimated.headers['x-switchyard-estimated']).toBe('true');
  });

  it('refuses requests without a valid client key in the route dialect', async () => {
    const missing = await request(`${gateway.url}/v1/messages`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(missing.statusCode).toBe(401);
    expect(await missing.body.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error', message: 'Missing API key' } });
    const invalid = await request(`${gateway.url}/v1beta/models/pooled:generateContent`, { method: 'POST', body: '{}', headers: { 'x-goog-api-key': 'wrong' } });
    expect(invalid.statusCode).toBe(401);
    expect(await invalid.body.json()).toMatchObject({ error: { code: 401, status: 'UNAUTHENTICATED', message: 'Invalid API key' } });
  });
});
