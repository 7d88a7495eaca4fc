import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type MockUpstream, startMockUpstream } from './server.ts';
import { parseMockSseJson, sendRaw, parseMockSse } from './test-helpers.ts';

let mock: MockUpstream;
let client: OpenAI;
const auth = { authorization: 'Bearer test-key' };
const shellTool: OpenAI.Responses.FunctionTool = {
  type: 'function',
  name: 'shell',
  strict: false,
  parameters: { type: 'object', properties: { command: { type: 'array', items: { type: 'string' } } }, required: ['command'] },
};

beforeAll(async () => {
  mock = await startMockUpstream();
  client = new OpenAI({ apiKey: 'test-key', baseURL: `${mock.url}/v1`, maxRetries: 0 });
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

describe('OpenAI Responses, raw HTTP', () => {
  it('streams named events with increasing sequence numbers in the real order', async () => {
    const res = await sendRaw(`${mock.url}/v1/responses`, { body: { model: 'gpt-5', stream: true, input: 'hello' }, headers: auth });
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    const events = parseMockSse(res.text);
    const payloads = events.map((e) => JSON.parse(e.data));
    expect(events.every((e, i) => e.event === payloads[i].type && payloads[i].sequence_number === i)).toBe(true);
    expect(events.map((e) => e.event)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(payloads[0].response).toMatchObject({ object: 'response', status: 'in_progress', output: [], usage: null });
    const completed = payloads.at(-1).response;
    expect(completed.status).toBe('completed');
    expect(completed.output[0]).toMatchObject({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'echo: hello' }] });
    expect(completed.usage).toMatchObject({ output_tokens: 3, input_tokens_details: { cached_tokens: 0 } });
    expect(res.text).not.toContain('[DONE]');
  });

  it('streams reasoning summaries, encrypted reasoning and function calls', async () => {
    const body = {
      model: 'gpt-5',
      stream: true,
      reasoning: { effort: 'high', summary: 'auto' },
      include: ['reasoning.encrypted_content'],
      tools: [shellTool],
      input: [{ role: 'user', content: [{ type: 'input_text', text: '[[mock:think 4]] [[mock:tool cmd="git status"]]' }] }],
    };
    const payloads = parseMockSseJson((await sendRaw(`${mock.url}/v1/responses`, { body, headers: auth })).text);
    const types = payloads.map((p) => p.type);
    expect(types).toContain('response.reasoning_summary_text.delta');
    expect(types.indexOf('response.reasoning_summary_part.added')).toBeLessThan(types.indexOf('response.function_call_arguments.delta'));
    const args = payloads.filter((p) => p.type === 'response.function_call_arguments.delta').map((p) => p.delta).join('');
    expect(JSON.parse(args)).toEqual({ command: ['bash', '-lc', 'git status'] });
    const output = payloads.at(-1).response.output;
    expect(output[0]).toMatchObject({ type: 'reasoning', summary: [{ type: 'summary_text', text: 'the fox ran far ' }] });
    expect(output[0].encrypted_content).toEqual(expect.any(String));
    expect(output[1]).toMatchObject({ type: 'function_call', name: 'shell', status: 'completed' });
    expect(output[1].call_id).toMatch(/^call_/);
    expect(payloads.at(-1).response.usage.output_tokens_details.reasoning_tokens).toBe(4);

    const again = {
      model: 'gpt-5',
      input: [{ type: 'reasoning', id: output[0].id, summary: [], encrypted_content: output[0].encrypted_content }, { role: 'user', content: 'next' }],
    };
    expect((await sendRaw(`${mock.url}/v1/responses`, { body: again, headers: auth })).status).toBe(200);
    again.input[0].encrypted_content = 'gAAAAABforeign';
    const foreign = await sendRaw(`${mock.url}/v1/responses`, { body: again, headers: auth });
    expect(foreign.status).toBe(400);
    expect(JSON.parse(foreign.text).error.code).toBe('invalid_encrypted_content');
  });

  it('reports a max_output_tokens cut as an incomplete response', async () => {
    const body = { model: 'gpt-5', max_output_tokens: 5, input: '[[mock:long 50]]' };
    const json = JSON.parse((await sendRaw(`${mock.url}/v1/responses`, { body, headers: auth })).text);
    expect(json).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } });
    expect(json.output[0].content[0].text).toHaveLength(20);
  });

  it('answers a function_call_output with the tool result', async () => {
    const input = [
      { role: 'user', content: 'run it' },
      { type: 'function_call', name: 'shell', arguments: '{}', call_id: 'call_1' },
      { type: 'function_call_output', call_id: 'call_1', output: 'hi\n' },
    ];
    const json = JSON.parse((await sendRaw(`${mock.url}/v1/responses`, { body: { model: 'gpt-5', input }, headers: auth })).text);
    expect(json.output[0].content[0].text).toBe('tool result: hi\n');
  });
});

describe('ChatGPT Codex backend', () => {
  const codex = () => `${mock.url}/backend-api/codex/responses`;
  const base = { model: 'gpt-5-codex', instructions: 'be brief', store: false, stream: true, input: [{ role: 'user', content: 'hi' }] };

  it('streams without a Content-Type header, like the real backend', async () => {
    const res = await sendRaw(codex(), { body: base, headers: auth });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBeUndefined();
    expect(res.headers['x-codex-primary-used-percent']).toBeDefined();
    expect(parseMockSse(res.text).at(-1)?.event).toBe('response.completed');
  });

  it('rejects what the backend rejects, in its detail shape', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...base, stream: false }, 'Stream must be set to true'],
      [{ ...base, store: undefined }, 'Store must be set to false'],
      [{ ...base, input: [{ role: 'system', content: 'rules' }, ...base.input] }, 'System messages are not allowed'],
    ];
    for (const [body, detail] of cases) {
      const res = await sendRaw(codex(), { body, headers: auth });
      expect(res.status).toBe(400);
      expect(JSON.parse(res.text)).toEqual({ detail });
    }
    const unauthorized = await sendRaw(codex(), { body: base, headers: { authorization: 'Bearer expired' } });
    expect(unauthorized.status).toBe(401);
    expect(JSON.parse(unauthorized.text).detail).toMatch(/authentication token/);
  });

  it('renders 429 as usage_limit_reached with the reset time', async () => {
    const body = { ...base, input: [{ role: 'user', content: '[[mock:error 429 retry-after=120]]' }] };
    const res = await sendRaw(codex(), { body, headers: auth });
    expect(res.status).toBe(429);
    expect(JSON.parse(res.text).error).toMatchObject({ type: 'usage_limit_reached', resets_in_seconds: 120 });
  });
});

describe('OpenAI Responses through the official SDK', () => {
  it('parses a JSON response', async () => {
    const res = await client.responses.create({ model: 'gpt-5', input: 'ping', instructions: 'sys' });
    expect(res.output_text).toBe('echo: ping');
    expect(res.instructions).toBe('sys');
    expect(res.usage?.total_tokens).toBe((res.usage?.input_tokens ?? 0) + (res.usage?.output_tokens ?? 0));
  });

  it('accumulates a streamed function call', async () => {
    const stream = client.responses.stream({ model: 'gpt-5', tools: [shellTool], input: '[[mock:tool cmd=pwd]]' });
    const done = await stream.finalResponse();
    const call = done.output.find((o) => o.type === 'function_call');
    expect(call).toMatchObject({ name: 'shell', arguments: '{"command":["bash","-lc","pwd"]}' });
  });

  it('yields response.failed when the stream fails midway', async () => {
    const stream = await client.responses.create({ model: 'gpt-5', stream: true, input: 'abcdefghijkl [[mock:error 500 after=3]]' });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types).toEqual(['response.created', 'response.in_progress', 'response.output_item.added', 'response.failed']);
  });
});
