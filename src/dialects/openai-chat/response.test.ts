import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../ir/gateway-error.ts';
import type { CanonicalRequest } from '../../ir/request.ts';
import type { CanonicalResponse } from '../../ir/response.ts';
import { decodeOpenaiChatResponse } from './decode-response.ts';
import { encodeOpenaiChatResponse } from './encode-response.ts';

const request: CanonicalRequest = { model: 'my-alias', stream: false, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] };

describe('decodeOpenaiChatResponse', () => {
  it('decodes an OpenAI tool-call answer with null content', () => {
    const response = decodeOpenaiChatResponse({
      id: 'chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG',
      object: 'chat.completion',
      created: 1741570283,
      model: 'gpt-4o-2024-08-06',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 'call_ujD2', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Paris"}' } }],
            refusal: null,
            annotations: [],
          },
          logprobs: null,
          finish_reason: 'tool_calls',
        },
      ],
      usage: {
        prompt_tokens: 1117,
        completion_tokens: 46,
        total_tokens: 1163,
        prompt_tokens_details: { cached_tokens: 1024, audio_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
      },
      service_tier: 'default',
      system_fingerprint: 'fp_fc9f1d7035',
    });
    expect(response).toEqual({
      id: 'chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG',
      model: 'gpt-4o-2024-08-06',
      created: 1741570283,
      content: [{ type: 'tool-call', id: 'call_ujD2', name: 'get_weather', arguments: '{"location":"Paris"}' }],
      finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
      usage: { inputTokens: 1117, cachedInputTokens: 1024, cacheWriteTokens: 0, outputTokens: 46, reasoningTokens: 0 },
      extensions: { 'openai-chat': { system_fingerprint: 'fp_fc9f1d7035', service_tier: 'default' } },
    });
  });

  it('decodes DeepSeek reasoning_content before the text and its cache-hit usage', () => {
    const response = decodeOpenaiChatResponse({
      id: '930c60df',
      object: 'chat.completion',
      created: 1705651092,
      model: 'deepseek-reasoner',
      choices: [{ index: 0, message: { role: 'assistant', content: '9.8', reasoning_content: 'Compare.' }, logprobs: null, finish_reason: 'stop' }],
      usage: { prompt_tokens: 16, completion_tokens: 10, total_tokens: 26, prompt_cache_hit_tokens: 8, prompt_cache_miss_tokens: 8, completion_tokens_details: { reasoning_tokens: 7 } },
    });
    expect(response.content).toEqual([
      { type: 'reasoning', text: 'Compare.', extensions: { 'openai-chat': { field: 'reasoning_content' } } },
      { type: 'text', text: '9.8' },
    ]);
    expect(response.usage).toEqual({ inputTokens: 16, cachedInputTokens: 8, cacheWriteTokens: 0, outputTokens: 10, reasoningTokens: 7 });
  });

  it('turns an error inside a 200 body, and a body without choices, into upstream errors', () => {
    expect(() => decodeOpenaiChatResponse({ error: { message: 'Overloaded', type: 'server_error' } })).toThrow(GatewayError);
    expect(() => decodeOpenaiChatResponse({ id: 'x', choices: [] })).toThrow('upstream response has no choices');
  });
});

describe('encodeOpenaiChatResponse', () => {
  const response: CanonicalResponse = {
    id: 'msg_01XYZ',
    model: 'claude-sonnet-4-20250514',
    created: 1744626189,
    content: [
      { type: 'reasoning', text: 'Let me think.', signature: 'EqQBCkYI' },
      { type: 'text', text: 'Calling the tool.' },
      { type: 'tool-call', id: 'toolu_01', name: 'get_weather', arguments: '{"city":"Paris"}' },
    ],
    finishReason: { unified: 'tool-calls', raw: 'tool_use' },
    usage: { inputTokens: 100, cachedInputTokens: 80, cacheWriteTokens: 10, outputTokens: 50, reasoningTokens: 20 },
  };

  it('renders the chat.completion shape with the client model name', () => {
    const body = encodeOpenaiChatResponse(response, { model: 'my-alias', request });
    expect(body.id).toMatch(/^chatcmpl-[0-9a-f]{32}$/);
    expect({ ...body, id: 'ID' }).toEqual({
      id: 'ID',
      object: 'chat.completion',
      created: 1744626189,
      model: 'my-alias',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'Calling the tool.',
            refusal: null,
            reasoning_content: 'Let me think.',
            tool_calls: [{ id: 'toolu_01', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
          },
          logprobs: null,
          finish_reason: 'tool_calls',
        },
      ],
      usage: {
        prompt_tokens: 100,
        completion_tokens: 50,
        total_tokens: 150,
        prompt_tokens_details: { cached_tokens: 80, cache_write_tokens: 10 },
        completion_tokens_details: { reasoning_tokens: 20 },
      },
    });
  });

  it('uses null content for tool calls only, and tool_calls even when the upstream said stop', () => {
    const body = encodeOpenaiChatResponse(
      { ...response, id: 'chatcmpl-keep', content: [response.content[2]], finishReason: { unified: 'stop', raw: 'STOP' } },
      { model: 'm', request },
    );
    expect(body.id).toBe('chatcmpl-keep');
    const choice = (body.choices as Array<Record<string, unknown>>)[0];
    expect(choice.finish_reason).toBe('tool_calls');
    expect((choice.message as Record<string, unknown>).content).toBeNull();
  });

  it('maps the other finish reasons', () => {
    const reason = (finishReason: CanonicalResponse['finishReason']): unknown =>
      (encodeOpenaiChatResponse({ ...response, content: [], finishReason }, { model: 'm', request }).choices as Array<Record<string, unknown>>)[0].finish_reason;
    expect(reason({ unified: 'length', raw: 'max_tokens' })).toBe('length');
    expect(reason({ unified: 'content-filter', raw: 'SAFETY' })).toBe('content_filter');
    expect(reason({ unified: 'stop', raw: 'stop_sequence', stopSequence: 'END' })).toBe('stop');
    expect(reason({ unified: 'tool-calls', raw: 'function_call' })).toBe('function_call');
    expect(reason({ unified: 'other' })).toBe('stop');
  });
});
