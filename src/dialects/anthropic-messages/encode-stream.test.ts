import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectStream, responseToStreamParts } from '../../ir/collect-stream.ts';
import { GatewayError } from '../../ir/gateway-error.ts';
import type { CanonicalRequest } from '../../ir/request.ts';
import type { StreamPart } from '../../ir/stream-part.ts';
import { parseSseText } from '../../transport/sse-parser.ts';
import { AnthropicStreamDecoder } from './decode-stream.ts';
import { AnthropicStreamEncoder } from './encode-stream.ts';

const request: CanonicalRequest = { model: 'claude-sonnet-4-5', messages: [], stream: true };
const options = { model: 'claude-sonnet-4-5', request };

function encodeAll(parts: StreamPart[]): string {
  const encoder = new AnthropicStreamEncoder(options);
  return parts.map((part) => encoder.encode(part)).join('') + encoder.end();
}

function decodeAll(text: string): StreamPart[] {
  const decoder = new AnthropicStreamDecoder();
  const parts: StreamPart[] = [];
  for (const event of parseSseText(text)) parts.push(...decoder.decode(event));
  return [...parts, ...decoder.flush()];
}

const usage = { inputTokens: 2112, cachedInputTokens: 2000, cacheWriteTokens: 100, outputTokens: 9, reasoningTokens: 0 };

function event(name: string, data: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}

const messageStart = (id: string, inputTokens = 0, cacheWrite = 0, cacheRead = 0, output = 0): string =>
  event('message_start', {
    type: 'message_start',
    message: {
      id,
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: {
        input_tokens: inputTokens,
        cache_creation_input_tokens: cacheWrite,
        cache_read_input_tokens: cacheRead,
        output_tokens: output,
      },
    },
  }) + 'event: ping\ndata: {"type": "ping"}\n\n';

describe('AnthropicStreamEncoder', () => {
  it('writes a text stream in the real event order, byte for byte', () => {
    const text = encodeAll([
      { type: 'response-start', id: 'msg_abc', model: 'x', created: 1 },
      { type: 'text-start', index: 0 },
      { type: 'text-delta', index: 0, delta: 'Hello' },
      { type: 'text-delta', index: 0, delta: '' },
      { type: 'text-delta', index: 0, delta: ' world' },
      { type: 'text-end', index: 0 },
      { type: 'finish', finishReason: { unified: 'stop' }, usage },
    ]);
    expect(text).toBe(
      messageStart('msg_abc') +
        'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n' +
        'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}\n\n' +
        'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" world"}}\n\n' +
        'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n' +
        'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"input_tokens":12,"cache_creation_input_tokens":100,"cache_read_input_tokens":2000,"output_tokens":9}}\n\n' +
        'event: message_stop\ndata: {"type":"message_stop"}\n\n',
    );
  });

  it('puts early usage in message_start and replaces foreign ids with msg_ ids', () => {
    const encoder = new AnthropicStreamEncoder(options);
    const start = encoder.encode({
      type: 'response-start',
      id: 'chatcmpl-123',
      model: 'gpt',
      created: 1,
      extensions: { 'anthropic-messages': { usage: { inputTokens: 30, cachedInputTokens: 10, outputTokens: 1 } } },
    });
    const [first] = parseSseText(start);
    const data = JSON.parse(first.data);
    expect(data.message.id).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(data.message.usage).toEqual({
      input_tokens: 20,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 10,
      output_tokens: 1,
    });
  });

  it('writes tool calls with streamed input_json_delta and tool_use stop reason', () => {
    const text = encodeAll([
      { type: 'response-start', id: 'msg_t', model: 'x', created: 1 },
      { type: 'tool-call-start', index: 0, id: 'call_1', name: 'get_weather' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city":' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '"Paris"}' },
      { type: 'tool-call-end', index: 0 },
      { type: 'finish', finishReason: { unified: 'tool-calls', raw: 'tool_calls' }, usage: { ...usage, cachedInputTokens: 0, cacheWriteTokens: 0, inputTokens: 5 } },
    ]);
    expect(text).toBe(
      messageStart('msg_t') +
        'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"call_1","name":"get_weather","input":{}}}\n\n' +
        'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\\"city\\":"}}\n\n' +
        'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"\\"Paris\\"}"}}\n\n' +
        'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n' +
        'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"input_tokens":5,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":9}}\n\n' +
        'event: message_stop\ndata: {"type":"message_stop"}\n\n',
    );
  });

  it('writes thinking with the signature last, then redacted thinking and text', () => {
    const text = encodeAll([
      { type: 'response-start', id: 'msg_r', model: 'x', created: 1 },
      { type: 'reasoning-start', index: 0 },
      { type: 'reasoning-signature', index: 0, signature: 'sig1' },
      { type: 'reasoning-delta', index: 0, delta: 'Let me think.' },
      { type: 'reasoning-end', index: 0 },
      { type: 'reasoning-start', index: 1 },
      { type: 'reasoning-redacted', index: 1, data: 'opaque==' },
      { type: 'reasoning-end', index: 1 },
      { type: 'text-start', index: 2 },
      { type: 'text-delta', index: 2, delta: 'Done.' },
      { type: 'text-end', index: 2 },
      { type: 'finish', finishReason: { unified: 'length' }, usage: { ...usage, reasoningTokens: 4 } },
    ]);
    expect(text).toBe(
      messageStart('msg_r') +
        'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}\n\n' +
        'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Let me think."}}\n\n' +
        'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"sig1"}}\n\n' +
        'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n' +
        'event: content_block_start\ndata: {"type":"content_block_start","index":1,"content_block":{"type":"redacted_thinking","data":"opaque=="}}\n\n' +
        'event: content_block_stop\ndata: {"type":"content_block_stop","index":1}\n\n' +
        'event: content_block_start\ndata: {"type":"content_block_start","index":2,"content_block":{"type":"text","text":""}}\n\n' +
        'event: content_block_delta\ndata: {"type":"content_block_delta","index":2,"delta":{"type":"text_delta","text":"Done."}}\n\n' +
        'event: content_block_stop\ndata: {"type":"content_block_stop","index":2}\n\n' +
        'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"max_tokens","stop_sequence":null},"usage":{"input_tokens":12,"cache_creation_input_tokens":100,"cache_read_input_tokens":2000,"output_tokens":9,"output_tokens_details":{"thinking_tokens":4}}}\n\n' +
        'event: message_stop\ndata: {"type":"message_stop"}\n\n',
    );
  });

  it('sends a signature-only thinking block and skips empty reasoning', () => {
    const text = encodeAll([
      { type: 'response-start', id: 'msg_s', model: 'x', created: 1 },
      { type: 'reasoning-start', index: 0 },
      { type: 'reasoning-end', index: 0 },
      { type: 'reasoning-start', index: 1 },
      { type: 'reasoning-signature', index: 1, signature: 'only' },
      { type: 'reasoning-end', index: 1 },
      { type: 'finish', finishReason: { unified: 'stop' }, usage },
    ]);
    const events = parseSseText(text).map((e) => JSON.parse(e.data));
    expect(events.slice(2, 5)).toEqual([
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'only' } },
      { type: 'content_block_stop', index: 0 },
    ]);
    expect(events[5].type).toBe('message_delta');
  });

  it('writes an error event and nothing after it', () => {
    const encoder = new AnthropicStreamEncoder(options);
    encoder.encode({ type: 'response-start', id: 'msg_e', model: 'x', created: 1 });
    const error = new GatewayError({ status: 529, code: 'overloaded', message: 'Overloaded' });
    expect(encoder.encode({ type: 'error', error })).toBe(
      'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n',
    );
    expect(encoder.encode({ type: 'finish', finishReason: { unified: 'stop' }, usage })).toBe('');
    expect(encoder.end()).toBe('');
  });

  it('round-trips every fixture: decode → encode → decode gives the same parts', () => {
    for (const name of ['text.sse', 'tool-call.sse', 'thinking.sse', 'web-search.sse', 'error.sse']) {
      const original = decodeAll(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8'));
      const again = decodeAll(encodeAll(original));
      const strip = (parts: StreamPart[]) =>
        parts.map((part) => (part.type === 'response-start' ? { ...part, created: 0, model: '' } : part));
      expect(strip(again), name).toEqual(strip(original));
    }
  });

  it('streams a collected response with server tool blocks and citations intact', () => {
    const original = decodeAll(readFileSync(new URL('./__fixtures__/web-search.sse', import.meta.url), 'utf8'));
    const encoded = encodeAll(original);
    const types = parseSseText(encoded).map((e) => JSON.parse(e.data));
    expect(types[2]).toMatchObject({ type: 'content_block_start', index: 0, content_block: { type: 'server_tool_use' } });
    expect(types[4]).toMatchObject({ type: 'content_block_start', index: 1, content_block: { type: 'web_search_tool_result' } });
    expect(types[6]).toMatchObject({ type: 'content_block_start', index: 2, content_block: { type: 'text' } });
    expect(types[8]).toMatchObject({ type: 'content_block_delta', index: 2, delta: { type: 'citations_delta' } });
    // via a collected response (the path for upstreams that cannot stream), opaque blocks still arrive
    const collected = responseToStreamParts({
      id: 'msg_c',
      model: 'm',
      created: 1,
      content: [
        {
          type: 'text',
          text: 'x',
          extensions: { 'anthropic-messages': { blocksBefore: [{ type: 'server_tool_use', id: 's', name: 'web_search', input: {} }] } },
        },
      ],
      finishReason: { unified: 'stop' },
      usage,
    });
    const replay = parseSseText(encodeAll(collected)).map((e) => JSON.parse(e.data));
    expect(replay.some((e) => e.content_block?.type === 'server_tool_use')).toBe(true);
  });
});

describe('stream round trip from another dialect', () => {
  it('parts → encoder → SSE → decoder → the same response, ids aside', () => {
    const response = {
      id: 'chatcmpl-9',
      model: 'gpt-5',
      created: 7,
      content: [
        { type: 'reasoning' as const, text: 'think', signature: 'gemini-sig', origin: 'gemini' as const },
        { type: 'text' as const, text: 'Sure.' },
        { type: 'tool-call' as const, id: 'call_A', name: 'search', arguments: '{"q":"x"}' },
        { type: 'tool-call' as const, id: 'call_B', name: 'now', arguments: '{}' },
      ],
      finishReason: { unified: 'tool-calls' as const },
      usage: { inputTokens: 50, cachedInputTokens: 20, cacheWriteTokens: 5, outputTokens: 12, reasoningTokens: 3 },
    };
    const again = collectStream(decodeAll(encodeAll(responseToStreamParts(response))));
    expect(again.id).toMatch(/^msg_/);
    expect({ ...again, id: response.id, model: response.model, created: response.created, extensions: undefined }).toEqual({
      ...response,
      finishReason: { unified: 'tool-calls', raw: 'tool_use' },
      extensions: undefined,
    });
  });
});
