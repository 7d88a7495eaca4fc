import { describe, expect, it } from 'vitest';
import type { StreamEncoderOptions } from '../../ir/codec.ts';
import { GatewayError } from '../../ir/gateway-error.ts';
import type { StreamPart } from '../../ir/stream-part.ts';
import { parseSseText } from '../../transport/sse-parser.ts';
import { plainRequest, readJsonFixture } from './__fixtures__/fixtures.ts';
import { decodeCompactionContent } from './compaction-summary.ts';
import { decodeResponsesRequest } from './decode-request.ts';
import { unwrapReasoning } from '../shared/reasoning-envelope.ts';
import { ResponsesStreamEncoder, encodeResponsesStreamError } from './stream-encoder.ts';

const usage = { inputTokens: 5, cachedInputTokens: 1, cacheWriteTokens: 0, outputTokens: 7, reasoningTokens: 2 };

function encodeAll(parts: StreamPart[], options: StreamEncoderOptions): string {
  const encoder = new ResponsesStreamEncoder(options);
  return parts.map((part) => encoder.encode(part)).join('') + encoder.end();
}

function events(text: string): Array<{ event?: string; data: Record<string, unknown> }> {
  return parseSseText(text).map((event) => ({ event: event.event, data: JSON.parse(event.data) as Record<string, unknown> }));
}

const ENVELOPE_TAIL =
  '"parallel_tool_calls":true,"previous_response_id":null,"prompt_cache_key":null,"reasoning":{"effort":null,"summary":null},' +
  '"safety_identifier":null,"service_tier":null,"store":false,"temperature":null,"text":{"format":{"type":"text"}},' +
  '"tool_choice":"auto","tools":[],"top_logprobs":0,"top_p":null,"truncation":"disabled"';
const ENVELOPE_HEAD =
  '"id":"resp_abc","object":"response","created_at":1700000000,"status":"in_progress","background":false,"error":null,' +
  '"incomplete_details":null,"instructions":null,"max_output_tokens":null,"max_tool_calls":null,"model":"gpt-5"';

describe('ResponsesStreamEncoder', () => {
  it('writes the exact event sequence of a text answer', () => {
    const text = encodeAll(
      [
        { type: 'response-start', id: 'resp_abc', model: 'upstream-model', created: 1700000000 },
        { type: 'text-start', index: 0, extensions: { 'openai-responses': { id: 'msg_1' } } },
        { type: 'text-delta', index: 0, delta: 'Hel' },
        { type: 'text-delta', index: 0, delta: 'lo' },
        { type: 'text-end', index: 0 },
        { type: 'usage', usage: { inputTokens: 5 } },
        { type: 'finish', finishReason: { unified: 'stop' }, usage },
      ],
      { model: 'gpt-5', request: plainRequest() },
    );
    const snapshot = `{${ENVELOPE_HEAD},"output":[],${ENVELOPE_TAIL},"usage":null,"user":null,"metadata":{}}`;
    const message = '{"id":"msg_1","type":"message","status":"completed","content":[{"type":"output_text","annotations":[],"logprobs":[],"text":"Hello"}],"role":"assistant"}';
    const completed =
      `{${ENVELOPE_HEAD.replace('in_progress', 'completed')},"output":[${message}],${ENVELOPE_TAIL},` +
      '"usage":{"input_tokens":5,"input_tokens_details":{"cached_tokens":1},"output_tokens":7,"output_tokens_details":{"reasoning_tokens":2},"total_tokens":12},"user":null,"metadata":{}}';
    expect(text).toBe(
      `event: response.created\ndata: {"type":"response.created","sequence_number":0,"response":${snapshot}}\n\n` +
        `event: response.in_progress\ndata: {"type":"response.in_progress","sequence_number":1,"response":${snapshot}}\n\n` +
        'event: response.output_item.added\ndata: {"type":"response.output_item.added","sequence_number":2,"output_index":0,"item":{"id":"msg_1","type":"message","status":"in_progress","content":[],"role":"assistant"}}\n\n' +
        'event: response.content_part.added\ndata: {"type":"response.content_part.added","sequence_number":3,"item_id":"msg_1","output_index":0,"content_index":0,"part":{"type":"output_text","annotations":[],"logprobs":[],"text":""}}\n\n' +
        'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","sequence_number":4,"item_id":"msg_1","output_index":0,"content_index":0,"delta":"Hel","logprobs":[]}\n\n' +
        'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","sequence_number":5,"item_id":"msg_1","output_index":0,"content_index":0,"delta":"lo","logprobs":[]}\n\n' +
        'event: response.output_text.done\ndata: {"type":"response.output_text.done","sequence_number":6,"item_id":"msg_1","output_index":0,"content_index":0,"text":"Hello","logprobs":[]}\n\n' +
        'event: response.content_part.done\ndata: {"type":"response.content_part.done","sequence_number":7,"item_id":"msg_1","output_index":0,"content_index":0,"part":{"type":"output_text","annotations":[],"logprobs":[],"text":"Hello"}}\n\n' +
        `event: response.output_item.done\ndata: {"type":"response.output_item.done","sequence_number":8,"output_index":0,"item":${message}}\n\n` +
        `event: response.completed\ndata: {"type":"response.completed","sequence_number":9,"response":${completed}}\n\n`,
    );
  });

  it('writes a tool call with streamed arguments', () => {
    const list = events(
      encodeAll(
        [
          { type: 'response-start', id: 'chatcmpl-123', model: 'm', created: 1 },
          { type: 'tool-call-start', index: 0, id: 'toolu_01', name: 'get_weather' },
          { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city":' },
          { type: 'tool-call-delta', index: 0, argumentsDelta: '"Paris"}' },
          { type: 'tool-call-end', index: 0 },
          { type: 'finish', finishReason: { unified: 'tool-calls' }, usage },
        ],
        { model: 'gpt-5', request: plainRequest() },
      ),
    );
    expect(list.map((event) => event.event)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(list.map((event) => event.data.sequence_number)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const responseId = (list[0].data.response as Record<string, unknown>).id as string;
    expect(responseId).toMatch(/^resp_[0-9a-f]{32}$/);
    const added = list[2].data.item as Record<string, unknown>;
    expect(added).toMatchObject({ type: 'function_call', status: 'in_progress', arguments: '', call_id: 'toolu_01', name: 'get_weather' });
    expect(added.id).toMatch(/^fc_/);
    expect(list[3].data).toEqual({ type: 'response.function_call_arguments.delta', sequence_number: 3, item_id: added.id, output_index: 0, delta: '{"city":' });
    expect(list[5].data).toEqual({ type: 'response.function_call_arguments.done', sequence_number: 5, item_id: added.id, output_index: 0, arguments: '{"city":"Paris"}' });
    expect(list[6].data.item).toEqual({ id: added.id, type: 'function_call', status: 'completed', arguments: '{"city":"Paris"}', call_id: 'toolu_01', name: 'get_weather' });
    expect((list[7].data.response as Record<string, unknown>).output).toEqual([list[6].data.item]);
  });

  it('writes reasoning as a summary and keeps an OpenAI reasoning item\'s id and encrypted content', () => {
    const list = events(
      encodeAll(
        [
          { type: 'response-start', id: 'resp_1', model: 'm', created: 1 },
          { type: 'reasoning-start', index: 0, extensions: { 'openai-responses': { id: 'rs_real' } } },
          { type: 'reasoning-delta', index: 0, delta: 'Thinking' },
          { type: 'reasoning-redacted', index: 0, data: 'gAAAAB-enc', origin: 'openai-responses' },
          { type: 'reasoning-end', index: 0, extensions: { 'openai-responses': { id: 'rs_real' } } },
          { type: 'finish', finishReason: { unified: 'stop' }, usage },
        ],
        { model: 'gpt-5', request: plainRequest() },
      ),
    );
    expect(list.slice(2, -1).map((event) => event.data)).toEqual([
      { type: 'response.output_item.added', sequence_number: 2, output_index: 0, item: { id: 'rs_real', type: 'reasoning', summary: [] } },
      {
        type: 'response.reasoning_summary_part.added',
        sequence_number: 3,
        item_id: 'rs_real',
        output_index: 0,
        summary_index: 0,
        part: { type: 'summary_text', text: '' },
      },
      { type: 'response.reasoning_summary_text.delta', sequence_number: 4, item_id: 'rs_real', output_index: 0, summary_index: 0, delta: 'Thinking' },
      { type: 'response.reasoning_summary_text.done', sequence_number: 5, item_id: 'rs_real', output_index: 0, summary_index: 0, text: 'Thinking' },
      {
        type: 'response.reasoning_summary_part.done',
        sequence_number: 6,
        item_id: 'rs_real',
        output_index: 0,
        summary_index: 0,
        part: { type: 'summary_text', text: 'Thinking' },
      },
      {
        type: 'response.output_item.done',
        sequence_number: 7,
        output_index: 0,
        item: { id: 'rs_real', type: 'reasoning', summary: [{ type: 'summary_text', text: 'Thinking' }], encrypted_content: 'gAAAAB-enc' },
      },
    ]);
  });

  it('wraps another provider\'s thinking signature so the client brings it back', () => {
    const list = events(
      encodeAll(
        [
          { type: 'response-start', id: 'msg_01', model: 'claude', created: 1 },
          { type: 'reasoning-start', index: 0 },
          { type: 'reasoning-delta', index: 0, delta: 'Let me think' },
          { type: 'reasoning-signature', index: 0, signature: 'EqQBCkYIBxgCKkA', origin: 'anthropic-messages' },
          { type: 'reasoning-end', index: 0 },
          { type: 'finish', finishReason: { unified: 'stop' }, usage },
        ],
        { model: 'claude', request: plainRequest() },
      ),
    );
    const item = list.find((event) => event.event === 'response.output_item.done')?.data.item as Record<string, unknown>;
    expect(item.id).toMatch(/^rs_/);
    expect(unwrapReasoning(item.encrypted_content as string)).toEqual({ origin: 'anthropic-messages', signature: 'EqQBCkYIBxgCKkA' });
  });

  it('renders calls of custom tools as custom_tool_call items with the raw input', () => {
    const request = decodeResponsesRequest(readJsonFixture('codex-request.json'), {});
    const patch = '*** Begin Patch\n*** Add File: b.txt\n+x\n*** End Patch';
    const list = events(
      encodeAll(
        [
          { type: 'response-start', id: 'msg_01', model: 'claude', created: 1 },
          { type: 'tool-call-start', index: 0, id: 'toolu_9', name: 'apply_patch' },
          { type: 'tool-call-delta', index: 0, argumentsDelta: JSON.stringify({ input: patch }).slice(0, 10) },
          { type: 'tool-call-delta', index: 0, argumentsDelta: JSON.stringify({ input: patch }).slice(10) },
          { type: 'tool-call-end', index: 0 },
          { type: 'finish', finishReason: { unified: 'tool-calls' }, usage },
        ],
        { model: 'gpt-5-codex', request },
      ),
    );
    expect(list.map((event) => event.event)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.custom_tool_call_input.delta',
      'response.custom_tool_call_input.done',
      'response.output_item.done',
      'response.completed',
    ]);
    const item = list[5].data.item as Record<string, unknown>;
    expect(item).toMatchObject({ type: 'custom_tool_call', status: 'completed', call_id: 'toolu_9', name: 'apply_patch', input: patch });
    expect(item.id).toMatch(/^ctc_/);
    expect(list[3].data).toMatchObject({ delta: patch, item_id: item.id, output_index: 0 });
  });

  it('ends with response.incomplete when the output limit was hit', () => {
    const list = events(
      encodeAll(
        [
          { type: 'response-start', id: 'resp_1', model: 'm', created: 1 },
          { type: 'text-start', index: 0 },
          { type: 'text-delta', index: 0, delta: 'Once' },
          { type: 'text-end', index: 0 },
          { type: 'finish', finishReason: { unified: 'length' }, usage },
        ],
        { model: 'gpt-5', request: plainRequest({ maxOutputTokens: 16 }) },
      ),
    );
    const last = list.at(-1);
    expect(last?.event).toBe('response.incomplete');
    expect(last?.data.response).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, max_output_tokens: 16 });
  });

  it('fails with an error event and response.failed carrying a code Codex acts on', () => {
    const encoder = new ResponsesStreamEncoder({ model: 'gpt-5', request: plainRequest() });
    encoder.encode({ type: 'response-start', id: 'resp_1', model: 'm', created: 1 });
    encoder.encode({ type: 'text-start', index: 0 });
    const text = encoder.encode({
      type: 'error',
      error: new GatewayError({ status: 429, code: 'rate_limited', message: 'Slow down.', retryAfter: 12 }),
    });
    const list = events(text);
    expect(list.map((event) => event.event)).toEqual(['error', 'response.failed']);
    expect(list[0].data).toEqual({ type: 'error', sequence_number: 4, code: 'rate_limit_exceeded', message: 'Slow down. Please try again in 12s.', param: null });
    expect(list[1].data.response).toMatchObject({
      id: 'resp_1',
      status: 'failed',
      error: { code: 'rate_limit_exceeded', message: 'Slow down. Please try again in 12s.' },
    });
    expect(encoder.encode({ type: 'text-delta', index: 0, delta: 'late' })).toBe('');
  });

  it('answers a compaction turn with one compaction item holding the summary', () => {
    const request = decodeResponsesRequest({ model: 'gpt-5', input: [{ role: 'user', content: 'Build it' }, { type: 'compaction_trigger' }] }, {});
    const list = events(
      encodeAll(
        [
          { type: 'response-start', id: 'msg_01', model: 'claude', created: 1 },
          { type: 'reasoning-start', index: 0 },
          { type: 'reasoning-delta', index: 0, delta: 'hmm' },
          { type: 'reasoning-end', index: 0 },
          { type: 'text-start', index: 1 },
          { type: 'text-delta', index: 1, delta: 'Goal: build it. ' },
          { type: 'text-delta', index: 1, delta: 'Next: tests.' },
          { type: 'text-end', index: 1 },
          { type: 'finish', finishReason: { unified: 'stop' }, usage },
        ],
        { model: 'gpt-5', request },
      ),
    );
    expect(list.map((event) => event.event)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.output_item.done',
      'response.completed',
    ]);
    const item = list[3].data.item as Record<string, unknown>;
    expect(item.type).toBe('compaction');
    expect(item.id).toMatch(/^cmp_/);
    expect(decodeCompactionContent(item.encrypted_content as string)).toBe('Goal: build it. Next: tests.');
  });

  it('encodes a stand-alone stream error', () => {
    const list = events(
      encodeResponsesStreamError(new GatewayError({ status: 502, code: 'upstream_error', message: 'upstream went away' }), {
        model: 'gpt-5',
        request: plainRequest(),
      }),
    );
    expect(list.map((event) => event.event)).toEqual(['error', 'response.failed']);
    expect(list[1].data.response).toMatchObject({ status: 'failed', error: { code: 'upstream_error', message: 'upstream went away' } });
  });
});
