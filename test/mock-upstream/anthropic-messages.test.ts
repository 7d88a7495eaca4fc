import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type MockUpstream, startMockUpstream } from './server.ts';
import { sendRaw, parseMockSse } from './test-helpers.ts';

let mock: MockUpstream;
let client: Anthropic;
const headers = { 'x-api-key': 'test-key', 'anthropic-version': '2023-06-01' };
const bash = {
  name: 'Bash',
  description: 'Run a command',
  input_schema: { type: 'object' as const, properties: { command: { type: 'string' } }, required: ['command'] },
};

beforeAll(async () => {
  mock = await startMockUpstream();
  client = new Anthropic({ apiKey: 'test-key', baseURL: mock.url, maxRetries: 0 });
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

describe('Anthropic Messages, raw HTTP', () => {
  it('streams message_start, block events with a ping after the first block start, message_delta and message_stop', async () => {
    const body = { model: 'claude-sonnet-4-5', max_tokens: 100, stream: true, messages: [{ role: 'user', content: 'hi' }] };
    const res = await sendRaw(`${mock.url}/v1/messages`, { body, headers });
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(res.headers['request-id']).toMatch(/^req_/);
    const events = parseMockSse(res.text);
    expect(events.map((e) => e.event)).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(events[2].data).toBe('{"type": "ping"}');
    expect(JSON.parse(events[1].data)).toEqual({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
    expect(JSON.parse(events[6].data)).toMatchObject({ delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 2 } });
  });

  it('requires the anthropic-version header and max_tokens, like the real API', async () => {
    const body = { model: 'claude', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] };
    const noVersion = await sendRaw(`${mock.url}/v1/messages`, { body, headers: { 'x-api-key': 'test-key' } });
    expect(noVersion.status).toBe(400);
    expect(JSON.parse(noVersion.text)).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'anthropic-version: header is required' },
      request_id: expect.stringMatching(/^req_/),
    });
    const noMax = await sendRaw(`${mock.url}/v1/messages`, { body: { ...body, max_tokens: undefined }, headers });
    expect(noMax.status).toBe(400);
    expect(JSON.parse(noMax.text).error.message).toBe('max_tokens: Field required');
  });

  it('authenticates with x-api-key or a bearer token', async () => {
    const body = { model: 'claude', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] };
    const mockBearerToken = await sendRaw(`${mock.url}/v1/messages`, { body, headers: { authorization: 'Bearer test-oauth', 'anthropic-version': '2023-06-01' } });
    expect(mockBearerToken.status).toBe(200);
    const missing = await sendRaw(`${mock.url}/v1/messages`, { body, headers: { 'anthropic-version': '2023-06-01' } });
    expect(missing.status).toBe(401);
    expect(JSON.parse(missing.text).error).toEqual({ type: 'authentication_error', message: 'x-api-key header is required' });
    const wrong = await sendRaw(`${mock.url}/v1/messages`, { body, headers: { ...headers, 'x-api-key': 'sk-ant-wrong' } });
    expect(JSON.parse(wrong.text).error).toEqual({ type: 'authentication_error', message: 'invalid x-api-key' });
  });

  it('keeps cache reads and writes out of input_tokens', async () => {
    const body = { model: 'claude', max_tokens: 100, messages: [{ role: 'user', content: `${'x'.repeat(400)} [[mock:cache read=60 write=20]]` }] };
    const json = JSON.parse((await sendRaw(`${mock.url}/v1/messages`, { body, headers })).text);
    const total = Math.ceil(JSON.stringify(body).length / 4);
    expect(json.usage).toMatchObject({ input_tokens: total - 80, cache_read_input_tokens: 60, cache_creation_input_tokens: 20 });
  });

  it('rejects a thinking block whose signature it did not issue', async () => {
    const body = {
      model: 'claude',
      max_tokens: 100,
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: [{ type: 'thinking', thinking: 'hm', signature: 'Zm9yZWlnbg==' }, { type: 'text', text: 'yo' }] },
        { role: 'user', content: 'again' },
      ],
    };
    const res = await sendRaw(`${mock.url}/v1/messages`, { body, headers });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text).error.message).toBe('messages.1.content.0: Invalid `signature` in `thinking` block');
  });

  it('returns an empty thinking text but a signature when thinking.display is omitted', async () => {
    const body = {
      model: 'claude',
      max_tokens: 100,
      stream: true,
      thinking: { type: 'adaptive', display: 'omitted' },
      messages: [{ role: 'user', content: 'hi [[mock:think]]' }],
    };
    const events = parseMockSse((await sendRaw(`${mock.url}/v1/messages`, { body, headers })).text).map((e) => JSON.parse(e.data));
    const deltas = events.filter((e) => e.type === 'content_block_delta' && e.index === 0).map((e) => e.delta.type);
    expect(deltas).toEqual(['signature_delta']);
    const json = JSON.parse((await sendRaw(`${mock.url}/v1/messages`, { body: { ...body, stream: false }, headers })).text);
    expect(json.content[0]).toEqual({ type: 'thinking', thinking: '', signature: expect.any(String) });
    expect(json.usage.output_tokens_details).toEqual({ thinking_tokens: 16 });
  });

  it('lists models for Anthropic clients on the path OpenAI shares', async () => {
    const json = JSON.parse((await sendRaw(`${mock.url}/v1/models`, { headers })).text);
    expect(json).toMatchObject({ has_more: false, data: expect.arrayContaining([expect.objectContaining({ type: 'model' })]) });
  });
});

describe('Anthropic Messages through the official SDK', () => {
  it('parses a message', async () => {
    const msg = await client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'ping' }] });
    expect(msg.content).toEqual([{ type: 'text', text: 'echo: ping' }]);
    expect(msg.stop_reason).toBe('end_turn');
  });

  it('accumulates a streamed thinking block with its signature and a tool_use input', async () => {
    const stream = client.messages.stream({
      model: 'claude-sonnet-4-5',
      max_tokens: 1000,
      thinking: { type: 'enabled', budget_tokens: 500 },
      tools: [bash],
      messages: [{ role: 'user', content: '[[mock:think]] [[mock:tool cmd="ls -la"]]' }],
    });
    const msg = await stream.finalMessage();
    expect(msg.content.map((b) => b.type)).toEqual(['thinking', 'tool_use']);
    const [thinking, tool] = msg.content;
    expect(thinking.type === 'thinking' && thinking.signature).toMatch(/^[A-Za-z0-9+/=]+$/);
    expect(tool.type === 'tool_use' && tool.input).toEqual({ command: 'ls -la' });
    expect(msg.stop_reason).toBe('tool_use');
    expect(msg.usage.output_tokens).toBe(16 + Math.ceil('{"command":"ls -la"}'.length / 4));

    const next = await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 1000,
      tools: [bash],
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: msg.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: tool.type === 'tool_use' ? tool.id : '', content: 'total 0' }] },
      ],
    });
    expect(next.content).toEqual([{ type: 'text', text: 'tool result: total 0' }]);
  });

  it('counts tokens', async () => {
    const count = await client.messages.countTokens({ model: 'claude', messages: [{ role: 'user', content: 'hello' }] });
    expect(count.input_tokens).toBeGreaterThan(0);
  });

  it('surfaces rate limits and overload with their types', async () => {
    const limited = await client.messages
      .create({ model: 'c', max_tokens: 10, messages: [{ role: 'user', content: '[[mock:error 429 retry-after=3]]' }] })
      .catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(Anthropic.RateLimitError);
    expect((limited as InstanceType<typeof Anthropic.RateLimitError>).headers?.get('retry-after')).toBe('3');
    const overloaded = await client.messages
      .create({ model: 'c', max_tokens: 10, messages: [{ role: 'user', content: '[[mock:error 529]]' }] })
      .catch((e: unknown) => e);
    expect((overloaded as InstanceType<typeof Anthropic.APIError>).status).toBe(529);
    expect((overloaded as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ error: { type: 'overloaded_error' } });
  });

  it('raises the in-stream error event', async () => {
    const stream = client.messages.stream({ model: 'c', max_tokens: 100, messages: [{ role: 'user', content: 'abcdefghijkl [[mock:error 529 after=3]]' }] });
    const err = await stream.finalMessage().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect(String(err)).toContain('overloaded_error');
  });
});
