import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../ir/gateway-error.ts';
import type { CanonicalRequest } from '../../ir/request.ts';
import type { StreamPart } from '../../ir/stream-part.ts';
import { OpenaiChatStreamEncoder } from './encode-stream.ts';

const ID = 'chatcmpl-abc123';
const HEAD = `{"id":"${ID}","object":"chat.completion.chunk","created":1744626189,"model":"gpt-4o"`;
const usage = { inputTokens: 20, cachedInputTokens: 4, cacheWriteTokens: 0, outputTokens: 9, reasoningTokens: 3 };

function request(includeUsage: boolean): CanonicalRequest {
  return {
    model: 'gpt-4o',
    messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
    stream: true,
    ...(includeUsage ? { extensions: { 'openai-chat': { includeUsage: true } } } : {}),
  };
}

function encodeAll(parts: StreamPart[], includeUsage = false): string {
  const encoder = new OpenaiChatStreamEncoder({ model: 'gpt-4o', request: request(includeUsage) });
  return parts.map((part) => encoder.encode(part)).join('') + encoder.end();
}

const start: StreamPart = { type: 'response-start', id: ID, model: 'upstream-model', created: 1744626189 };
const line = (choice: string): string => `data: ${HEAD},"choices":[${choice}]}\n\n`;
const lineWithNullUsage = (choice: string): string => `data: ${HEAD},"choices":[${choice}],"usage":null}\n\n`;

describe('OpenaiChatStreamEncoder', () => {
  it('encodes a text stream byte for byte, without usage when the client did not ask', () => {
    const text = encodeAll([
      start,
      { type: 'text-start', index: 0 },
      { type: 'text-delta', index: 0, delta: 'Hel' },
      { type: 'text-delta', index: 0, delta: 'lo' },
      { type: 'text-end', index: 0 },
      { type: 'finish', finishReason: { unified: 'stop' }, usage },
    ]);
    expect(text).toBe(
      line('{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}') +
        line('{"index":0,"delta":{"content":"Hel"},"logprobs":null,"finish_reason":null}') +
        line('{"index":0,"delta":{"content":"lo"},"logprobs":null,"finish_reason":null}') +
        line('{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}') +
        'data: [DONE]\n\n',
    );
  });

  it('adds "usage":null to every chunk and a final usage chunk when include_usage was set', () => {
    const text = encodeAll(
      [start, { type: 'text-start', index: 0 }, { type: 'text-delta', index: 0, delta: 'Hi' }, { type: 'text-end', index: 0 }, { type: 'finish', finishReason: { unified: 'length' }, usage }],
      true,
    );
    expect(text).toBe(
      lineWithNullUsage('{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}') +
        lineWithNullUsage('{"index":0,"delta":{"content":"Hi"},"logprobs":null,"finish_reason":null}') +
        lineWithNullUsage('{"index":0,"delta":{},"logprobs":null,"finish_reason":"length"}') +
        `data: ${HEAD},"choices":[],"usage":{"prompt_tokens":20,"completion_tokens":9,"total_tokens":29,"prompt_tokens_details":{"cached_tokens":4},"completion_tokens_details":{"reasoning_tokens":3}}}\n\n` +
        'data: [DONE]\n\n',
    );
  });

  it('encodes parallel tool calls with their own tool_calls indexes', () => {
    const text = encodeAll([
      start,
      { type: 'text-start', index: 0 },
      { type: 'text-delta', index: 0, delta: 'Let me look.' },
      { type: 'text-end', index: 0 },
      { type: 'tool-call-start', index: 1, id: 'call_1', name: 'get_weather' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{"city":' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '"Paris"}' },
      { type: 'tool-call-end', index: 1 },
      { type: 'tool-call-start', index: 2, id: 'toolu_2', name: 'get_time' },
      { type: 'tool-call-delta', index: 2, argumentsDelta: '{}' },
      { type: 'tool-call-end', index: 2 },
      { type: 'finish', finishReason: { unified: 'tool-calls', raw: 'tool_use' }, usage },
    ]);
    expect(text).toBe(
      line('{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}') +
        line('{"index":0,"delta":{"content":"Let me look."},"logprobs":null,"finish_reason":null}') +
        line('{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"get_weather","arguments":""}}]},"logprobs":null,"finish_reason":null}') +
        line('{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\\"city\\":"}}]},"logprobs":null,"finish_reason":null}') +
        line('{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\\"Paris\\"}"}}]},"logprobs":null,"finish_reason":null}') +
        line('{"index":0,"delta":{"tool_calls":[{"index":1,"id":"toolu_2","type":"function","function":{"name":"get_time","arguments":""}}]},"logprobs":null,"finish_reason":null}') +
        line('{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":"{}"}}]},"logprobs":null,"finish_reason":null}') +
        line('{"index":0,"delta":{},"logprobs":null,"finish_reason":"tool_calls"}') +
        'data: [DONE]\n\n',
    );
  });

  it('sends reasoning as reasoning_content and drops signatures', () => {
    const text = encodeAll([
      start,
      { type: 'reasoning-start', index: 0 },
      { type: 'reasoning-delta', index: 0, delta: 'Think.' },
      { type: 'reasoning-signature', index: 0, signature: 'sig' },
      { type: 'reasoning-end', index: 0 },
      { type: 'text-start', index: 1 },
      { type: 'text-delta', index: 1, delta: 'Done.' },
      { type: 'text-end', index: 1 },
      { type: 'finish', finishReason: { unified: 'stop', raw: 'end_turn' }, usage },
    ]);
    expect(text).toBe(
      line('{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}') +
        line('{"index":0,"delta":{"reasoning_content":"Think."},"logprobs":null,"finish_reason":null}') +
        line('{"index":0,"delta":{"content":"Done."},"logprobs":null,"finish_reason":null}') +
        line('{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}') +
        'data: [DONE]\n\n',
    );
  });

  it('ends a failed stream with the error object and no [DONE]', () => {
    const encoder = new OpenaiChatStreamEncoder({ model: 'gpt-4o', request: request(false) });
    encoder.encode(start);
    const error = new GatewayError({ status: 502, code: 'upstream_error', message: 'upstream stream ended before completion' });
    expect(encoder.encode({ type: 'error', error })).toBe(
      'data: {"error":{"message":"upstream stream ended before completion","type":"server_error","param":null,"code":"upstream_error"}}\n\n',
    );
    expect(encoder.end()).toBe('');
  });

  it('invents a chatcmpl- id when the upstream id is in another style', () => {
    const encoder = new OpenaiChatStreamEncoder({ model: 'gpt-4o', request: request(false) });
    const first = encoder.encode({ type: 'response-start', id: 'msg_01ABC', model: 'claude', created: 5 });
    expect(first).toMatch(/^data: \{"id":"chatcmpl-[0-9a-f]{32}","object":"chat.completion.chunk","created":5,"model":"gpt-4o",/);
  });
});
