import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../ir/gateway-error.ts';
import { decodeAnthropicCountTokensRequest, encodeAnthropicCountTokensResponse } from './count-tokens.ts';
import { decodeAnthropicRequest } from './decode-request.ts';

const claudeCodeBody = {
  model: 'claude-sonnet-4-5-20250929',
  max_tokens: 32000,
  system: [{ type: 'text', text: 'You are Claude Code...', cache_control: { type: 'ephemeral' } }],
  messages: [
    {
      role: 'user',
      content: [
        { type: 'text', text: '<system-reminder>...</system-reminder>' },
        { type: 'text', text: 'hi', cache_control: { type: 'ephemeral' } },
      ],
    },
  ],
  tools: [
    {
      name: 'Bash',
      description: '...',
      input_schema: {
        type: 'object',
        properties: { command: { type: 'string' } },
        required: ['command'],
        additionalProperties: false,
        $schema: 'http://json-schema.org/draft-07/schema#',
      },
    },
  ],
  metadata: { user_id: 'user_abc_account__session_123' },
  thinking: { type: 'adaptive' },
  context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
  stream: true,
};

function expectInvalid(body: unknown, message: string): void {
  let caught: unknown;
  try {
    decodeAnthropicRequest(body, {});
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(GatewayError);
  expect(caught).toMatchObject({ status: 400, code: 'invalid_request', message });
}

describe('decodeAnthropicRequest', () => {
  it('accepts a real Claude Code request', () => {
    const request = decodeAnthropicRequest(claudeCodeBody, {});
    expect(request).toEqual({
      model: 'claude-sonnet-4-5-20250929',
      stream: true,
      maxOutputTokens: 32000,
      messages: [
        {
          role: 'system',
          content: [
            { type: 'text', text: 'You are Claude Code...', extensions: { 'anthropic-messages': { fields: { cache_control: { type: 'ephemeral' } } } } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'text', text: '<system-reminder>...</system-reminder>' },
            { type: 'text', text: 'hi', extensions: { 'anthropic-messages': { fields: { cache_control: { type: 'ephemeral' } } } } },
          ],
        },
      ],
      tools: [{ name: 'Bash', description: '...', parameters: claudeCodeBody.tools[0].input_schema }],
      reasoning: { enabled: true, adaptive: true, includeThoughts: true },
      user: 'user_abc_account__session_123',
      extensions: {
        'anthropic-messages': {
          passthrough: { context_management: claudeCodeBody.context_management },
          thinking: { type: 'adaptive' },
          reasoningKey: '{"enabled":true,"adaptive":true,"includeThoughts":true}',
        },
      },
    });
  });

  it('keeps role "system" entries of messages in place, after the top-level system', () => {
    const request = decodeAnthropicRequest(
      {
        model: 'm',
        max_tokens: 10,
        system: 'top',
        messages: [
          { role: 'user', content: 'a' },
          { role: 'system', content: [{ type: 'text', text: 'mid' }] },
          { role: 'assistant', content: 'b' },
        ],
      },
      {},
    );
    expect(request.messages.map((m) => [m.role, m.content[0]])).toEqual([
      ['system', { type: 'text', text: 'top' }],
      ['user', { type: 'text', text: 'a' }],
      ['system', { type: 'text', text: 'mid' }],
      ['assistant', { type: 'text', text: 'b' }],
    ]);
  });

  it('splits tool results into tool messages, naming them from the calls', () => {
    const request = decodeAnthropicRequest(
      {
        model: 'm',
        max_tokens: 10,
        messages: [
          { role: 'user', content: 'weather?' },
          {
            role: 'assistant',
            content: [
              { type: 'thinking', thinking: 'need tool', signature: 'sig' },
              { type: 'redacted_thinking', data: 'red' },
              { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
            ],
          },
          {
            role: 'user',
            content: [
              {
                type: 'tool_result',
                tool_use_id: 'toolu_1',
                content: [
                  { type: 'text', text: 'sunny' },
                  { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBOR' } },
                ],
                is_error: false,
                cache_control: { type: 'ephemeral' },
              },
              { type: 'text', text: 'and tomorrow?' },
            ],
          },
        ],
      },
      {},
    );
    expect(request.messages.slice(1)).toEqual([
      {
        role: 'assistant',
        content: [
          { type: 'reasoning', text: 'need tool', signature: 'sig', origin: 'anthropic-messages' },
          { type: 'reasoning', text: '', redactedData: 'red', origin: 'anthropic-messages' },
          { type: 'tool-call', id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
        ],
      },
      {
        role: 'tool',
        content: [
          {
            type: 'tool-result',
            toolCallId: 'toolu_1',
            name: 'get_weather',
            isError: false,
            content: [
              { type: 'text', text: 'sunny' },
              { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBOR' } },
            ],
            extensions: { 'anthropic-messages': { fields: { cache_control: { type: 'ephemeral' } } } },
          },
        ],
      },
      { role: 'user', content: [{ type: 'text', text: 'and tomorrow?' }] },
    ]);
  });

  it('maps images and documents, and keeps blocks without IR form in place', () => {
    const request = decodeAnthropicRequest(
      {
        model: 'm',
        max_tokens: 10,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image', source: { type: 'url', url: 'https://x/y.png' } },
              { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBER' }, title: 'a.pdf', citations: { enabled: true } },
              { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'héllo' } },
              { type: 'search_result', source: 'https://kb', title: 'KB', content: [{ type: 'text', text: 'fact' }] },
              { type: 'text', text: 'summarise' },
            ],
          },
        ],
      },
      {},
    );
    expect(request.messages[0].content).toEqual([
      { type: 'image', source: { kind: 'url', url: 'https://x/y.png' } },
      {
        type: 'file',
        source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBER' },
        filename: 'a.pdf',
        extensions: { 'anthropic-messages': { fields: { citations: { enabled: true } } } },
      },
      { type: 'file', source: { kind: 'base64', mediaType: 'text/plain', data: Buffer.from('héllo').toString('base64') } },
      {
        type: 'text',
        text: 'summarise',
        extensions: {
          'anthropic-messages': {
            blocksBefore: [{ type: 'search_result', source: 'https://kb', title: 'KB', content: [{ type: 'text', text: 'fact' }] }],
          },
        },
      },
    ]);
  });

  it('keeps server tools with their positions and maps tool_choice', () => {
    const webSearch = { type: 'web_search_20250305', name: 'web_search', max_uses: 5 };
    const request = decodeAnthropicRequest(
      {
        model: 'm',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'q' }],
        tools: [webSearch, { name: 'f', input_schema: { type: 'object' }, cache_control: { type: 'ephemeral' }, strict: true }],
        tool_choice: { type: 'any', disable_parallel_tool_use: true },
      },
      {},
    );
    expect(request.tools).toEqual([
      {
        name: 'f',
        parameters: { type: 'object' },
        strict: true,
        extensions: { 'anthropic-messages': { fields: { cache_control: { type: 'ephemeral' }, strict: true } } },
      },
    ]);
    expect(request.toolChoice).toEqual({ type: 'required' });
    expect(request.parallelToolCalls).toBe(false);
    expect(request.extensions?.['anthropic-messages']?.serverTools).toEqual([{ position: 0, tool: webSearch }]);
  });

  it('maps thinking budgets, effort, sampling, stop sequences and structured output', () => {
    const request = decodeAnthropicRequest(
      {
        model: 'm',
        max_tokens: 20000,
        messages: [{ role: 'user', content: 'q' }],
        thinking: { type: 'enabled', budget_tokens: 10000 },
        output_config: { effort: 'high', format: { type: 'json_schema', schema: { type: 'object' } } },
        temperature: 0.5,
        top_p: 0.9,
        top_k: 40,
        stop_sequences: ['END'],
        service_tier: 'auto',
      },
      {},
    );
    expect(request).toMatchObject({
      reasoning: { enabled: true, budgetTokens: 10000, includeThoughts: true, effort: 'high' },
      responseFormat: { type: 'json-schema', schema: { type: 'object' } },
      temperature: 0.5,
      topP: 0.9,
      topK: 40,
      stopSequences: ['END'],
      extensions: { 'anthropic-messages': { passthrough: { service_tier: 'auto' }, effort: 'high' } },
    });
  });

  it('rejects what the real API rejects, with its field paths', () => {
    expectInvalid({ model: 'm', messages: [{ role: 'user', content: 'x' }] }, 'max_tokens: Field required');
    expectInvalid({ max_tokens: 5, messages: [] }, 'model: Field required');
    expectInvalid({ model: 'm', max_tokens: 5 }, 'messages: Field required');
    expectInvalid({ model: 'm', max_tokens: 5, messages: [] }, 'messages: at least one message is required');
    expectInvalid({ model: 'm', max_tokens: '5', messages: [{ role: 'user', content: 'x' }] }, 'max_tokens: Input should be a valid integer');
    expectInvalid({ model: 'm', max_tokens: 5, messages: [{ role: 'bot', content: 'x' }] }, "messages.0.role: Input should be 'user', 'assistant' or 'system'");
    expectInvalid(
      { model: 'm', max_tokens: 5, messages: [{ role: 'user', content: [{ type: 'text', text: 3 }] }] },
      'messages.0.content.0.text: Input should be a valid string',
    );
    expectInvalid(
      { model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }], thinking: { type: 'enabled' } },
      'thinking.enabled.budget_tokens: Field required',
    );
    expectInvalid({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }], tool_choice: { type: 'sometimes' } }, "tool_choice.type: Input should be 'auto', 'any', 'tool' or 'none'");
    expectInvalid('nope', 'body: Input should be a JSON object');
  });
});

describe('count_tokens', () => {
  it('decodes without max_tokens and answers {input_tokens}', () => {
    const request = decodeAnthropicCountTokensRequest({ model: 'm', messages: [{ role: 'user', content: 'x' }] });
    expect(request.maxOutputTokens).toBeUndefined();
    expect(request.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'x' }] }]);
    expect(encodeAnthropicCountTokensResponse(42)).toEqual({ input_tokens: 42 });
  });
});
