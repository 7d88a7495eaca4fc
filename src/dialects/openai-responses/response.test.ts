import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../ir/gateway-error.ts';
import type { CanonicalResponse } from '../../ir/response.ts';
import { plainRequest, readJsonFixture } from './__fixtures__/fixtures.ts';
import { decodeCompactionContent } from './compaction-summary.ts';
import { decodeResponsesRequest } from './decode-request.ts';
import { decodeResponsesResponse } from './decode-response.ts';
import { encodeResponsesResponse } from './encode-response.ts';
import { unwrapReasoning } from '../shared/reasoning-envelope.ts';

const upstreamBody = {
  id: 'resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b',
  object: 'response',
  created_at: 1741476542,
  status: 'completed',
  error: null,
  incomplete_details: null,
  model: 'gpt-5-2025-08-07',
  output: [
    {
      id: 'rs_67ccd2bf17f0819081ff3bb2cf6508e6',
      type: 'reasoning',
      summary: [{ type: 'summary_text', text: 'Checking the weather tool.' }],
      encrypted_content: 'gAAAAABnzNK-enc',
    },
    {
      id: 'msg_67ccd2bf17f0819081ff3bb2cf6508e6',
      type: 'message',
      status: 'completed',
      role: 'assistant',
      content: [{ type: 'output_text', text: 'Let me check the weather.', annotations: [], logprobs: [] }],
    },
    { id: 'ws_1', type: 'web_search_call', status: 'completed', action: { type: 'search', query: 'paris' } },
    {
      id: 'fc_67ccd3c5a4f08190',
      type: 'function_call',
      status: 'completed',
      call_id: 'call_xyz',
      name: 'get_weather',
      arguments: '{"city":"Paris"}',
    },
  ],
  usage: {
    input_tokens: 328,
    input_tokens_details: { cached_tokens: 256, cache_write_tokens: 32 },
    output_tokens: 52,
    output_tokens_details: { reasoning_tokens: 20 },
    total_tokens: 380,
  },
};

describe('decodeResponsesResponse', () => {
  it('decodes output items, finish reason and usage', () => {
    expect(decodeResponsesResponse(upstreamBody)).toEqual({
      id: 'resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b',
      model: 'gpt-5-2025-08-07',
      created: 1741476542,
      content: [
        {
          type: 'reasoning',
          text: 'Checking the weather tool.',
          redactedData: 'gAAAAABnzNK-enc',
          origin: 'openai-responses',
          extensions: { 'openai-responses': { id: 'rs_67ccd2bf17f0819081ff3bb2cf6508e6' } },
        },
        { type: 'text', text: 'Let me check the weather.', extensions: { 'openai-responses': { id: 'msg_67ccd2bf17f0819081ff3bb2cf6508e6' } } },
        {
          type: 'tool-call',
          id: 'call_xyz',
          name: 'get_weather',
          arguments: '{"city":"Paris"}',
          extensions: { 'openai-responses': { id: 'fc_67ccd3c5a4f08190' } },
        },
      ],
      finishReason: { unified: 'tool-calls', raw: 'completed' },
      usage: { inputTokens: 328, cachedInputTokens: 256, cacheWriteTokens: 32, outputTokens: 52, reasoningTokens: 20 },
    });
  });

  it('maps incomplete responses and missing usage', () => {
    const response = decodeResponsesResponse({
      id: 'resp_1',
      created_at: 1,
      model: 'm',
      status: 'incomplete',
      incomplete_details: { reason: 'content_filter' },
      output: [],
    });
    expect(response.finishReason).toEqual({ unified: 'content-filter', raw: 'content_filter' });
    expect(response.usage).toEqual({ inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 });
  });

  it('turns a failed or malformed body into an upstream error', () => {
    expect(() => decodeResponsesResponse({ status: 'failed', output: [], error: { code: 'server_error', message: 'boom' } })).toThrow(GatewayError);
    expect(() => decodeResponsesResponse({ nope: true })).toThrow(/malformed Responses body/);
    expect(() => decodeResponsesResponse({ output: [{ type: 'function_call', name: 'f' }] })).toThrow(/malformed output item/);
  });
});

describe('encodeResponsesResponse', () => {
  const response: CanonicalResponse = {
    id: 'msg_01XFDUDYJgAACzvnptvVoYEL',
    model: 'claude-sonnet-4',
    created: 1741476542,
    content: [
      { type: 'reasoning', text: 'User wants weather.', signature: 'sig-abc', origin: 'anthropic-messages' },
      { type: 'text', text: 'Checking.' },
      { type: 'tool-call', id: 'toolu_01', name: 'get_weather', arguments: '{"city":"Paris"}' },
    ],
    finishReason: { unified: 'tool-calls', raw: 'tool_use' },
    usage: { inputTokens: 100, cachedInputTokens: 80, cacheWriteTokens: 0, outputTokens: 30, reasoningTokens: 0 },
  };
  const request = decodeResponsesRequest(
    {
      model: 'my-alias',
      instructions: 'Be nice.',
      input: 'Weather in Paris?',
      tools: [{ type: 'function', name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: false }],
      temperature: 0.3,
      max_output_tokens: 800,
      reasoning: { effort: 'low', summary: 'auto' },
      metadata: { run: '7' },
      text: { verbosity: 'low' },
    },
    {},
  );
  const body = encodeResponsesResponse(response, { model: 'my-alias', request }) as Record<string, unknown>;

  it('writes a response object that echoes the request', () => {
    expect(body).toMatchObject({
      object: 'response',
      created_at: 1741476542,
      status: 'completed',
      error: null,
      incomplete_details: null,
      instructions: 'Be nice.',
      max_output_tokens: 800,
      model: 'my-alias',
      parallel_tool_calls: true,
      reasoning: { effort: 'low', summary: 'auto' },
      store: false,
      temperature: 0.3,
      text: { format: { type: 'text' }, verbosity: 'low' },
      tool_choice: 'auto',
      tools: [{ type: 'function', name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: false }],
      top_p: null,
      usage: {
        input_tokens: 100,
        input_tokens_details: { cached_tokens: 80 },
        output_tokens: 30,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: 130,
      },
      metadata: { run: '7' },
    });
    expect(body.id).toMatch(/^resp_[0-9a-f]{32}$/);
  });

  it('writes output items in order, in OpenAI\'s shapes', () => {
    const output = body.output as Record<string, unknown>[];
    expect(output.map((item) => item.type)).toEqual(['reasoning', 'message', 'function_call']);
    expect(output[0]).toMatchObject({ type: 'reasoning', summary: [{ type: 'summary_text', text: 'User wants weather.' }] });
    expect(unwrapReasoning(output[0].encrypted_content as string)).toEqual({ origin: 'anthropic-messages', signature: 'sig-abc' });
    expect(output[1]).toMatchObject({
      type: 'message',
      status: 'completed',
      role: 'assistant',
      content: [{ type: 'output_text', annotations: [], logprobs: [], text: 'Checking.' }],
    });
    expect(output[2]).toMatchObject({ type: 'function_call', status: 'completed', call_id: 'toolu_01', name: 'get_weather', arguments: '{"city":"Paris"}' });
    expect(output[2].id).toMatch(/^fc_/);
  });

  it('keeps OpenAI ids when the upstream was OpenAI', () => {
    const upstream = decodeResponsesResponse(upstreamBody);
    const encoded = encodeResponsesResponse(upstream, { model: 'gpt-5', request: plainRequest() }) as Record<string, unknown>;
    expect(encoded.id).toBe(upstreamBody.id);
    expect(encoded.output).toEqual([
      upstreamBody.output[0],
      upstreamBody.output[1],
      upstreamBody.output[3],
    ]);
  });

  it('reports a length stop as incomplete', () => {
    const encoded = encodeResponsesResponse({ ...response, finishReason: { unified: 'length' } }, { model: 'm', request }) as Record<string, unknown>;
    expect(encoded).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } });
  });

  it('answers a compaction turn with a compaction item', () => {
    const compactionRequest = decodeResponsesRequest(
      { model: 'gpt-5', input: [{ role: 'user', content: 'hi' }, { type: 'compaction_trigger' }] },
      {},
    );
    const encoded = encodeResponsesResponse(
      { ...response, content: [{ type: 'text', text: 'The summary.' }], finishReason: { unified: 'stop' } },
      { model: 'gpt-5', request: compactionRequest },
    ) as Record<string, unknown>;
    const output = encoded.output as Record<string, unknown>[];
    expect(output).toHaveLength(1);
    expect(output[0]).toMatchObject({ type: 'compaction' });
    expect(decodeCompactionContent(output[0].encrypted_content as string)).toBe('The summary.');
  });

  it('echoes the Codex request parameters', () => {
    const codex = decodeResponsesRequest(readJsonFixture('codex-request.json'), {});
    const encoded = encodeResponsesResponse(response, { model: 'gpt-5-codex', request: codex }) as Record<string, unknown>;
    expect(encoded).toMatchObject({
      instructions: 'You are Codex, based on GPT-5. You are running as a coding agent in the Codex CLI on a user\'s computer.',
      parallel_tool_calls: false,
      prompt_cache_key: '0199a7c2-5b8e-7d31-9f0a-3c2b1e4d5f60',
      tools: readJsonFixture('codex-request.json').tools,
    });
    // apply_patch is a custom tool of this request, get_weather is not.
    expect((encoded.output as Record<string, unknown>[])[2].type).toBe('function_call');
  });
});
