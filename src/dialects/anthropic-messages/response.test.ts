import { describe, expect, it } from 'vitest';
import type { CanonicalRequest } from '../../ir/request.ts';
import type { CanonicalResponse } from '../../ir/response.ts';
import { decodeAnthropicResponse } from './decode-response.ts';
import { encodeAnthropicResponse } from './encode-response.ts';

const request: CanonicalRequest = { model: 'sonnet', messages: [], stream: false };

const wireResponse = {
  id: 'msg_01Aq9w938a90dw8q',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet-4-5-20250929',
  content: [
    { type: 'thinking', thinking: 'Let me look.', signature: 'sigA' },
    { type: 'redacted_thinking', data: 'redA' },
    { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'q' } },
    { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [] },
    { type: 'text', text: 'Here it is.', citations: [{ type: 'web_search_result_location', cited_text: 'c', url: 'u', title: 't' }] },
    { type: 'tool_use', id: 'toolu_01A', name: 'get_weather', input: { location: 'SF' } },
  ],
  stop_reason: 'tool_use',
  stop_sequence: null,
  usage: { input_tokens: 100, cache_creation_input_tokens: 20, cache_read_input_tokens: 300, output_tokens: 50 },
};

describe('decodeAnthropicResponse', () => {
  it('maps content, stop reason and inclusive usage', () => {
    const response = decodeAnthropicResponse(wireResponse);
    expect(response).toEqual({
      id: 'msg_01Aq9w938a90dw8q',
      model: 'claude-sonnet-4-5-20250929',
      created: expect.any(Number),
      content: [
        { type: 'reasoning', text: 'Let me look.', signature: 'sigA', origin: 'anthropic-messages' },
        { type: 'reasoning', text: '', redactedData: 'redA', origin: 'anthropic-messages' },
        {
          type: 'text',
          text: 'Here it is.',
          extensions: {
            'anthropic-messages': {
              fields: { citations: wireResponse.content[4].citations },
              blocksBefore: [wireResponse.content[2], wireResponse.content[3]],
            },
          },
        },
        { type: 'tool-call', id: 'toolu_01A', name: 'get_weather', arguments: '{"location":"SF"}' },
      ],
      finishReason: { unified: 'tool-calls', raw: 'tool_use' },
      usage: { inputTokens: 420, cachedInputTokens: 300, cacheWriteTokens: 20, outputTokens: 50, reasoningTokens: 0 },
    });
  });

  it('reports a malformed upstream body as a 502, not a client error', () => {
    expect(() => decodeAnthropicResponse({ content: [{ type: 'text', text: 5 }] })).toThrow(
      expect.objectContaining({ status: 502, code: 'upstream_error' }),
    );
    expect(() => decodeAnthropicResponse('x')).toThrow(expect.objectContaining({ status: 502 }));
  });

  it('keeps a stop sequence', () => {
    const response = decodeAnthropicResponse({ ...wireResponse, content: [], stop_reason: 'stop_sequence', stop_sequence: '###' });
    expect(response.finishReason).toEqual({ unified: 'stop', raw: 'stop_sequence', stopSequence: '###' });
  });
});

describe('encodeAnthropicResponse', () => {
  it('round-trips an Anthropic response: encode(decode(x)) = x with the client model', () => {
    const encoded = encodeAnthropicResponse(decodeAnthropicResponse(wireResponse), { model: 'sonnet', request });
    expect(encoded).toEqual({ ...wireResponse, model: 'sonnet' });
  });

  it('encodes a response from another dialect with Anthropic ids, stop reasons and exclusive input tokens', () => {
    const response: CanonicalResponse = {
      id: 'chatcmpl-abc',
      model: 'gpt-5',
      created: 1,
      content: [
        { type: 'reasoning', text: 'unsigned summary' },
        { type: 'text', text: 'Hi' },
        { type: 'tool-call', id: 'call_1', name: 'f', arguments: 'not json' },
      ],
      finishReason: { unified: 'length', raw: 'length' },
      usage: { inputTokens: 1000, cachedInputTokens: 800, cacheWriteTokens: 0, outputTokens: 30, reasoningTokens: 10 },
    };
    const encoded = encodeAnthropicResponse(response, { model: 'my-alias', request });
    expect(encoded).toEqual({
      id: expect.stringMatching(/^msg_[0-9a-f]{32}$/),
      type: 'message',
      role: 'assistant',
      model: 'my-alias',
      content: [
        { type: 'thinking', thinking: 'unsigned summary', signature: '' },
        { type: 'text', text: 'Hi' },
        { type: 'tool_use', id: 'call_1', name: 'f', input: { _raw: 'not json' } },
      ],
      stop_reason: 'max_tokens',
      stop_sequence: null,
      usage: {
        input_tokens: 200,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 800,
        output_tokens: 30,
        output_tokens_details: { thinking_tokens: 10 },
      },
    });
  });

  it('round-trips an IR response: decode(encode(x)) = x', () => {
    const response: CanonicalResponse = {
      id: 'msg_1',
      model: 'm',
      created: 5,
      content: [
        { type: 'reasoning', text: 'a', signature: 'b', origin: 'anthropic-messages' },
        { type: 'text', text: 'c' },
        { type: 'tool-call', id: 'toolu_2', name: 'n', arguments: '{"k":[1,2]}' },
      ],
      finishReason: { unified: 'stop', raw: 'stop_sequence', stopSequence: 'X' },
      usage: { inputTokens: 10, cachedInputTokens: 4, cacheWriteTokens: 3, outputTokens: 2, reasoningTokens: 1 },
    };
    const again = decodeAnthropicResponse(encodeAnthropicResponse(response, { model: 'm', request }));
    expect({ ...again, created: 5 }).toEqual(response);
  });
});
