import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type MockUpstream, startMockUpstream } from './server.ts';
import { parseMockSseJson, sendRaw, parseMockSse } from './test-helpers.ts';

let mock: MockUpstream;
let client: OpenAI;
const auth = { authorization: 'Bearer test-key' };
const bashTool = {
  type: 'function',
  function: { name: 'Bash', parameters: { type: 'object', properties: { command: { type: 'string' } }, required: ['command'] } },
} as const;

beforeAll(async () => {
  mock = await startMockUpstream();
  client = new OpenAI({ apiKey: 'test-key', baseURL: `${mock.url}/v1`, maxRetries: 0 });
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

describe('OpenAI Chat Completions, raw HTTP', () => {
  it('answers JSON with an echo and usage that counts the request', async () => {
    const body = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello world' }] };
    const res = await sendRaw(`${mock.url}/v1/chat/completions`, { body, headers: auth });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    const json = JSON.parse(res.text);
    expect(json).toMatchObject({
      object: 'chat.completion',
      model: 'gpt-4o-mini',
      choices: [{ index: 0, message: { role: 'assistant', content: 'echo: hello world' }, finish_reason: 'stop' }],
    });
    expect(json.id).toMatch(/^chatcmpl-/);
    expect(json.usage.prompt_tokens).toBe(Math.ceil(JSON.stringify(body).length / 4));
    expect(json.usage.completion_tokens).toBe(Math.ceil('echo: hello world'.length / 4));
    expect(json.usage.total_tokens).toBe(json.usage.prompt_tokens + json.usage.completion_tokens);
  });

  it('streams chat.completion.chunk frames ending in [DONE], with a usage chunk only when asked', async () => {
    const body = { model: 'm', stream: true, messages: [{ role: 'user', content: 'abcdefgh' }] };
    const plain = await sendRaw(`${mock.url}/v1/chat/completions`, { body, headers: auth });
    expect(plain.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    const events = parseMockSse(plain.text);
    expect(events.at(-1)?.data).toBe('[DONE]');
    const chunks = parseMockSseJson(plain.text);
    expect(chunks.every((c) => c.object === 'chat.completion.chunk' && !('usage' in c))).toBe(true);
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '', refusal: null });
    expect(chunks.map((c) => c.choices[0].delta.content ?? '').join('')).toBe('echo: abcdefgh');
    expect(chunks.at(-1).choices[0]).toEqual({ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' });

    const withUsage = await sendRaw(`${mock.url}/v1/chat/completions`, {
      body: { ...body, stream_options: { include_usage: true } },
      headers: auth,
    });
    const usageChunks = parseMockSseJson(withUsage.text);
    expect(usageChunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    expect(usageChunks.at(-1)).toMatchObject({ choices: [], usage: { completion_tokens: 4 } });
  });

  it('streams a tool call as an id/name delta followed by argument pieces', async () => {
    const body = { model: 'm', stream: true, tools: [bashTool], messages: [{ role: 'user', content: 'run [[mock:tool cmd="ls -la /tmp"]]' }] };
    const chunks = parseMockSseJson((await sendRaw(`${mock.url}/v1/chat/completions`, { body, headers: auth })).text);
    const calls = chunks.flatMap((c) => c.choices[0].delta.tool_calls ?? []);
    expect(calls[0]).toMatchObject({ index: 0, type: 'function', function: { name: 'Bash', arguments: '' } });
    expect(calls[0].id).toMatch(/^call_/);
    expect(chunks[0].choices[0].delta).toMatchObject({ role: 'assistant', content: null });
    expect(JSON.parse(calls.map((c: any) => c.function.arguments).join(''))).toEqual({ command: 'ls -la /tmp' });
    expect(chunks.at(-1).choices[0].finish_reason).toBe('tool_calls');
  });

  it('rejects requests the real API rejects', async () => {
    const missing = await sendRaw(`${mock.url}/v1/chat/completions`, { body: { model: 'm' }, headers: auth });
    expect(missing.status).toBe(400);
    expect(JSON.parse(missing.text).error).toEqual({
      message: "Missing required parameter: 'messages'.",
      type: 'invalid_request_error',
      param: 'messages',
      code: 'missing_required_parameter',
    });
    const noKey = await sendRaw(`${mock.url}/v1/chat/completions`, { body: { model: 'm', messages: [] } });
    expect(noKey.status).toBe(401);
    expect(JSON.parse(noKey.text).error.message).toMatch(/^You didn't provide an API key/);
    const badKey = await sendRaw(`${mock.url}/v1/chat/completions`, { body: { model: 'm', messages: [] }, headers: { authorization: 'Bearer sk-wrong-key-123456' } });
    expect(badKey.status).toBe(401);
    expect(JSON.parse(badKey.text).error).toMatchObject({ code: 'invalid_api_key', type: 'invalid_request_error' });
    expect(badKey.text).not.toContain('sk-wrong-key-123456');
  });

  it('lists models', async () => {
    const res = await sendRaw(`${mock.url}/v1/models`, { headers: auth });
    expect(JSON.parse(res.text)).toMatchObject({ object: 'list', data: expect.arrayContaining([expect.objectContaining({ object: 'model' })]) });
  });
});

describe('OpenAI Chat Completions through the official SDK', () => {
  it('parses a plain completion', async () => {
    const res = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'ping' }] });
    expect(res.choices[0].message.content).toBe('echo: ping');
    expect(res.usage?.total_tokens).toBeGreaterThan(0);
  });

  it('accumulates a streamed tool call and usage', async () => {
    const stream = client.chat.completions.stream({
      model: 'gpt-4o-mini',
      stream_options: { include_usage: true },
      tools: [bashTool],
      messages: [{ role: 'user', content: '[[mock:tool cmd="echo hi"]]' }],
    });
    const done = await stream.finalChatCompletion();
    const call = done.choices[0].message.tool_calls?.[0];
    expect(call?.type === 'function' && call.function).toMatchObject({ name: 'Bash', arguments: '{"command":"echo hi"}' });
    expect(done.choices[0].finish_reason).toBe('tool_calls');
    expect(done.usage?.completion_tokens).toBe(Math.ceil('{"command":"echo hi"}'.length / 4));
  });

  it('surfaces errors with their status, type, code and Retry-After', async () => {
    const err = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: '[[mock:error 429 retry-after=7]]' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    const rate = err as InstanceType<typeof OpenAI.RateLimitError>;
    expect(rate.code).toBe('rate_limit_exceeded');
    expect(rate.headers.get('retry-after')).toBe('7');
    const server = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: '[[mock:error 500]]' }] }).catch((e: unknown) => e);
    expect(server).toBeInstanceOf(OpenAI.InternalServerError);
  });

  it('fails the SDK stream on an in-stream error after some chunks', async () => {
    const stream = await client.chat.completions.create({
      model: 'm',
      stream: true,
      messages: [{ role: 'user', content: 'abcdefghijklmnop [[mock:error 500 after=2]]' }],
    });
    const seen: string[] = [];
    const failure = await (async () => {
      for await (const chunk of stream) seen.push(chunk.choices[0]?.delta.content ?? '');
    })().catch((e: unknown) => e);
    expect(seen.length).toBe(2);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
  });
});
