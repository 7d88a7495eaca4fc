import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../ir/gateway-error.ts';
import { decodeOpenaiChatRequest } from './decode-request.ts';

function rejects(body: unknown, message: string): void {
  let caught: unknown;
  try {
    decodeOpenaiChatRequest(body, {});
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(GatewayError);
  expect((caught as GatewayError).status).toBe(400);
  expect((caught as GatewayError).message).toBe(message);
}

describe('decodeOpenaiChatRequest: what real clients send', () => {
  it('decodes an OpenAI SDK streaming body with tools, developer role and include_usage', () => {
    const request = decodeOpenaiChatRequest(
      {
        model: 'gpt-4.1',
        messages: [
          { role: 'developer', content: 'You are terse.' },
          { role: 'user', content: 'Weather in Paris?' },
        ],
        tools: [
          {
            type: 'function',
            function: {
              name: 'get_weather',
              description: 'Current weather',
              parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
              strict: true,
            },
          },
        ],
        tool_choice: 'auto',
        parallel_tool_calls: false,
        stream: true,
        stream_options: { include_usage: true },
        temperature: 0.2,
        max_completion_tokens: 512,
        seed: 7,
        user: 'user-42',
      },
      {},
    );
    expect(request).toEqual({
      model: 'gpt-4.1',
      stream: true,
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'You are terse.' }], extensions: { 'openai-chat': { role: 'developer' } } },
        { role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] },
      ],
      tools: [
        {
          name: 'get_weather',
          description: 'Current weather',
          parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
          strict: true,
        },
      ],
      toolChoice: { type: 'auto' },
      parallelToolCalls: false,
      maxOutputTokens: 512,
      temperature: 0.2,
      user: 'user-42',
      extensions: { 'openai-chat': { includeUsage: true, maxCompletionTokens: true, passthrough: { seed: 7 } } },
    });
  });

  it('decodes a Cline/Roo-style agent turn: text parts, tool calls, tool results, images', () => {
    const request = decodeOpenaiChatRequest(
      {
        model: 'anthropic/claude-sonnet-4',
        max_tokens: 8192,
        temperature: 0,
        stream: true,
        stream_options: { include_usage: true },
        messages: [
          { role: 'system', content: [{ type: 'text', text: 'You are Cline.', cache_control: { type: 'ephemeral' } }] },
          {
            role: 'user',
            content: [
              { type: 'text', text: '<task>fix the bug</task>' },
              { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'high' } },
              { type: 'image_url', image_url: { url: 'https://example.com/a.jpg' } },
            ],
          },
          {
            role: 'assistant',
            content: 'Reading the file.',
            tool_calls: [{ id: 'toolu_01A', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.ts"}' } }],
          },
          { role: 'tool', tool_call_id: 'toolu_01A', content: 'export const a = 1;' },
          { role: 'user', content: [{ type: 'text', text: 'continue' }] },
        ],
      },
      {},
    );
    expect(request.maxOutputTokens).toBe(8192);
    expect(request.messages).toEqual([
      { role: 'system', content: [{ type: 'text', text: 'You are Cline.' }] },
      {
        role: 'user',
        content: [
          { type: 'text', text: '<task>fix the bug</task>' },
          { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' }, detail: 'high' },
          { type: 'image', source: { kind: 'url', url: 'https://example.com/a.jpg' } },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Reading the file.' },
          { type: 'tool-call', id: 'toolu_01A', name: 'read_file', arguments: '{"path":"a.ts"}' },
        ],
      },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'toolu_01A', name: 'read_file', content: [{ type: 'text', text: 'export const a = 1;' }] }] },
      { role: 'user', content: [{ type: 'text', text: 'continue' }] },
    ]);
    expect(request.extensions).toEqual({ 'openai-chat': { includeUsage: true } });
  });

  it('merges consecutive tool messages and keeps content-less assistant tool calls', () => {
    const request = decodeOpenaiChatRequest(
      {
        model: 'gpt-4o',
        messages: [
          { role: 'user', content: 'both' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              { id: 'call_1', type: 'function', function: { name: 'a', arguments: '' } },
              { id: 'call_2', type: 'function', function: { name: 'b', arguments: '{"x":1}' } },
            ],
          },
          { role: 'tool', tool_call_id: 'call_1', content: [{ type: 'text', text: 'A' }] },
          { role: 'tool', tool_call_id: 'call_2', content: 'B' },
        ],
      },
      {},
    );
    expect(request.messages.slice(1)).toEqual([
      {
        role: 'assistant',
        content: [
          { type: 'tool-call', id: 'call_1', name: 'a', arguments: '{}' },
          { type: 'tool-call', id: 'call_2', name: 'b', arguments: '{"x":1}' },
        ],
      },
      {
        role: 'tool',
        content: [
          { type: 'tool-result', toolCallId: 'call_1', name: 'a', content: [{ type: 'text', text: 'A' }] },
          { type: 'tool-result', toolCallId: 'call_2', name: 'b', content: [{ type: 'text', text: 'B' }] },
        ],
      },
    ]);
  });

  it('decodes DeepSeek multi-turn reasoning_content and refusals', () => {
    const request = decodeOpenaiChatRequest(
      {
        model: 'deepseek-reasoner',
        messages: [
          { role: 'user', content: '9.11 or 9.8?' },
          { role: 'assistant', reasoning_content: 'Compare decimals.', content: '9.8' },
          { role: 'user', content: 'and this?' },
          { role: 'assistant', content: null, refusal: "I can't help with that." },
        ],
      },
      {},
    );
    expect(request.messages[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'reasoning', text: 'Compare decimals.', extensions: { 'openai-chat': { field: 'reasoning_content' } } },
        { type: 'text', text: '9.8' },
      ],
    });
    expect(request.messages[3]).toEqual({
      role: 'assistant',
      content: [{ type: 'text', text: "I can't help with that.", extensions: { 'openai-chat': { refusal: true } } }],
    });
  });

  it('decodes legacy functions, function_call and function messages with paired synthetic ids', () => {
    const request = decodeOpenaiChatRequest(
      {
        model: 'gpt-3.5-turbo',
        functions: [{ name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } } } }],
        function_call: { name: 'lookup' },
        messages: [
          { role: 'user', content: 'find x' },
          { role: 'assistant', content: null, function_call: { name: 'lookup', arguments: '{"q":"x"}' } },
          { role: 'function', name: 'lookup', content: 'found' },
        ],
      },
      {},
    );
    expect(request.tools).toEqual([{ name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } } } }]);
    expect(request.toolChoice).toEqual({ type: 'tool', name: 'lookup' });
    expect(request.messages.slice(1)).toEqual([
      { role: 'assistant', content: [{ type: 'tool-call', id: 'call_fn_1', name: 'lookup', arguments: '{"q":"x"}' }] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_fn_1', name: 'lookup', content: [{ type: 'text', text: 'found' }] }] },
    ]);
  });

  it('decodes response_format, reasoning_effort, stop and PDFs', () => {
    const request = decodeOpenaiChatRequest(
      {
        model: 'o4-mini',
        reasoning_effort: 'high',
        stop: 'END',
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'answer', strict: true, schema: { type: 'object', properties: { a: { type: 'number' } } } },
        },
        messages: [
          {
            role: 'user',
            content: [
              { type: 'file', file: { filename: 'paper.pdf', file_data: 'data:application/pdf;base64,JVBERi0x' } },
              { type: 'text', text: 'Summarise' },
            ],
          },
        ],
      },
      {},
    );
    expect(request.reasoning).toEqual({ enabled: true, effort: 'high' });
    expect(request.stopSequences).toEqual(['END']);
    expect(request.responseFormat).toEqual({
      type: 'json-schema',
      name: 'answer',
      strict: true,
      schema: { type: 'object', properties: { a: { type: 'number' } } },
    });
    expect(request.messages[0].content[0]).toEqual({
      type: 'file',
      filename: 'paper.pdf',
      source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBERi0x' },
    });
  });

  it('reads OpenRouter-style reasoning objects and json_object', () => {
    const request = decodeOpenaiChatRequest(
      { model: 'x', messages: [{ role: 'user', content: 'hi' }], reasoning: { max_tokens: 2000 }, response_format: { type: 'json_object' } },
      {},
    );
    expect(request.reasoning).toEqual({ enabled: true, budgetTokens: 2000 });
    expect(request.responseFormat).toEqual({ type: 'json' });
    expect(decodeOpenaiChatRequest({ model: 'x', messages: [{ role: 'user', content: 'hi' }], reasoning_effort: 'none' }, {}).reasoning).toEqual({
      enabled: false,
      effort: 'none',
    });
  });

  it('accepts nulls for unset fields, as many SDKs send them', () => {
    const request = decodeOpenaiChatRequest(
      { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi', name: null }], temperature: null, stop: null, tools: null, n: 1, stream: null },
      {},
    );
    expect(request).toEqual({ model: 'gpt-4o', stream: false, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] });
  });

  it('keeps message names and image detail levels the IR does not name', () => {
    const request = decodeOpenaiChatRequest(
      {
        model: 'gpt-4o',
        messages: [{ role: 'user', name: 'alice', content: [{ type: 'image_url', image_url: { url: 'https://x/y.png', detail: 'original' } }] }],
      },
      {},
    );
    expect(request.messages[0]).toEqual({
      role: 'user',
      extensions: { 'openai-chat': { name: 'alice' } },
      content: [{ type: 'image', source: { kind: 'url', url: 'https://x/y.png' }, extensions: { 'openai-chat': { detail: 'original' } } }],
    });
  });
});

describe('decodeOpenaiChatRequest: validation', () => {
  const user = [{ role: 'user', content: 'hi' }];

  it('rejects malformed bodies with a field path', () => {
    rejects([], 'body: must be a JSON object');
    rejects({ messages: user }, 'model: is required');
    rejects({ model: 'm' }, 'messages: is required');
    rejects({ model: 'm', messages: [] }, 'messages: must contain at least one message');
    rejects({ model: 'm', messages: 'hi' }, 'messages: must be an array');
    rejects({ model: 'm', messages: [{ role: 'robot', content: 'x' }] }, 'messages[0].role: unsupported role "robot"');
    rejects({ model: 'm', messages: [{ role: 'user', content: 5 }] }, 'messages[0].content: must be a string or an array of content parts');
    rejects({ model: 'm', messages: [{ role: 'tool', content: 'x' }] }, 'messages[0].tool_call_id: must be a string');
    rejects({ model: 'm', messages: user, temperature: 'hot' }, 'temperature: must be a number');
    rejects({ model: 'm', messages: user, max_tokens: -1 }, 'max_tokens: must be a non-negative integer');
    rejects({ model: 'm', messages: user, stop: [1] }, 'stop[0]: must be a string');
    rejects({ model: 'm', messages: user, tool_choice: 'sometimes' }, 'tool_choice: must be "auto", "none", "required" or a named function');
    rejects({ model: 'm', messages: user, reasoning_effort: 'extreme' }, 'reasoning_effort: unsupported value "extreme"');
    rejects({ model: 'm', messages: user, tools: [{ type: 'function', function: { description: 'x' } }] }, 'tools[0].function.name: must be a non-empty string');
  });

  it('rejects what the gateway cannot serve, saying so', () => {
    rejects({ model: 'm', messages: user, n: 2 }, 'n: only n=1 is supported');
    rejects(
      { model: 'm', messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'AAA', format: 'wav' } }] }] },
      'messages[0].content[0]: audio input (input_audio) is not supported by this gateway',
    );
    rejects(
      { model: 'm', messages: [{ role: 'user', content: [{ type: 'file', file: { file_id: 'file-abc' } }] }] },
      'messages[0].content[0].file.file_id: uploaded file references are not supported; send the content as file_data',
    );
    rejects({ model: 'm', messages: user, tools: [{ type: 'custom', custom: { name: 'x' } }] }, 'tools[0].type: tool type "custom" is not supported; only "function"');
    rejects(
      { model: 'm', messages: [{ role: 'system', content: [{ type: 'image_url', image_url: { url: 'https://x' } }] }] },
      'messages[0].content[0].type: content part type "image_url" is not supported here',
    );
  });
});
