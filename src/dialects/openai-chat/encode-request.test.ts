import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../ir/gateway-error.ts';
import type { CanonicalRequest } from '../../ir/request.ts';
import { encodeOpenaiChatRequest } from './encode-request.ts';

const base: CanonicalRequest = { model: 'alias', stream: false, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] };

describe('encodeOpenaiChatRequest', () => {
  it('encodes a request from another dialect (Anthropic-shaped) for an OpenAI upstream', () => {
    const body = encodeOpenaiChatRequest(
      {
        model: 'claude-alias',
        stream: true,
        maxOutputTokens: 4096,
        temperature: 0.5,
        topK: 40,
        stopSequences: ['\n\nHuman:'],
        reasoning: { enabled: true, budgetTokens: 10000 },
        toolChoice: { type: 'tool', name: 'search' },
        parallelToolCalls: true,
        tools: [{ name: 'search', description: 'Search', parameters: { type: 'object', properties: { q: { type: 'string' } } } }],
        messages: [
          { role: 'system', content: [{ type: 'text', text: 'Be brief.' }, { type: 'text', text: 'Cite sources.' }] },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Look at this' },
              { type: 'image', source: { kind: 'base64', mediaType: 'image/jpeg', data: '/9j/4AAQ' } },
              { type: 'file', source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBERi0x' } },
            ],
          },
          {
            role: 'assistant',
            content: [
              { type: 'reasoning', text: 'Hidden thought', signature: 'sig-abc' },
              { type: 'text', text: 'Searching.' },
              { type: 'tool-call', id: 'toolu_01', name: 'search', arguments: '{"q":"x"}' },
            ],
          },
          {
            role: 'tool',
            content: [
              {
                type: 'tool-result',
                toolCallId: 'toolu_01',
                isError: false,
                content: [
                  { type: 'text', text: 'result one' },
                  { type: 'image', source: { kind: 'url', url: 'https://x/shot.png' } },
                ],
              },
            ],
          },
          { role: 'user', content: [{ type: 'text', text: 'thanks' }] },
        ],
      },
      { model: 'gpt-5', stream: true },
    );
    expect(body).toEqual({
      model: 'gpt-5',
      messages: [
        { role: 'system', content: 'Be brief.\n\nCite sources.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Look at this' },
            { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQ' } },
            { type: 'file', file: { filename: 'document.pdf', file_data: 'data:application/pdf;base64,JVBERi0x' } },
          ],
        },
        {
          role: 'assistant',
          content: 'Searching.',
          tool_calls: [{ id: 'toolu_01', type: 'function', function: { name: 'search', arguments: '{"q":"x"}' } }],
        },
        { role: 'tool', tool_call_id: 'toolu_01', content: 'result one' },
        { role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x/shot.png' } }] },
        { role: 'user', content: 'thanks' },
      ],
      tools: [{ type: 'function', function: { name: 'search', description: 'Search', parameters: { type: 'object', properties: { q: { type: 'string' } } } } }],
      tool_choice: { type: 'function', function: { name: 'search' } },
      parallel_tool_calls: true,
      max_completion_tokens: 4096,
      temperature: 0.5,
      stop: ['\n\nHuman:'],
      reasoning_effort: 'high',
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('uses max_tokens without reasoning and omits tool_choice when there are no tools', () => {
    const body = encodeOpenaiChatRequest({ ...base, maxOutputTokens: 100, toolChoice: { type: 'none' }, parallelToolCalls: false }, { model: 'gpt-4o', stream: false });
    expect(body).toEqual({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], max_tokens: 100, stream: false });
  });

  it('maps reasoning configs: explicit off, adaptive, effort', () => {
    const effort = (reasoning: CanonicalRequest['reasoning']): unknown =>
      encodeOpenaiChatRequest({ ...base, reasoning }, { model: 'o3', stream: false }).reasoning_effort;
    expect(effort({ enabled: false })).toBeUndefined();
    expect(effort({ enabled: false, effort: 'none' })).toBe('none');
    expect(effort({ enabled: true, adaptive: true })).toBeUndefined();
    expect(effort({ enabled: true, effort: 'low' })).toBe('low');
    expect(effort({ enabled: true, budgetTokens: 600 })).toBe('low');
    expect(effort({ enabled: true, budgetTokens: 512 })).toBe('minimal');
  });

  it('restores this dialect’s own fields on a same-dialect round trip', () => {
    const body = encodeOpenaiChatRequest(
      {
        ...base,
        maxOutputTokens: 50,
        responseFormat: { type: 'json-schema', schema: { type: 'object' } },
        extensions: { 'openai-chat': { maxCompletionTokens: true, passthrough: { seed: 3, logprobs: true } } },
        messages: [
          { role: 'system', content: [{ type: 'text', text: 'rules' }], extensions: { 'openai-chat': { role: 'developer' } } },
          {
            role: 'assistant',
            content: [
              { type: 'reasoning', text: 'think', extensions: { 'openai-chat': { field: 'reasoning_content' } } },
              { type: 'text', text: 'no', extensions: { 'openai-chat': { refusal: true } } },
            ],
          },
        ],
      },
      { model: 'deepseek-reasoner', stream: false },
    );
    expect(body).toEqual({
      model: 'deepseek-reasoner',
      messages: [
        { role: 'developer', content: 'rules' },
        { role: 'assistant', content: null, reasoning_content: 'think', refusal: 'no' },
      ],
      max_completion_tokens: 50,
      response_format: { type: 'json_schema', json_schema: { name: 'response', schema: { type: 'object' } } },
      seed: 3,
      logprobs: true,
      stream: false,
    });
  });

  it('sends an empty string, not null, for an assistant turn left without text or tool calls', () => {
    const body = encodeOpenaiChatRequest(
      { ...base, messages: [...base.messages, { role: 'assistant', content: [{ type: 'reasoning', text: 'x', signature: 's' }] }] },
      { model: 'gpt-4o', stream: false },
    );
    expect((body.messages as unknown[])[1]).toEqual({ role: 'assistant', content: '' });
  });

  it('refuses a file given only by URL instead of dropping it', () => {
    expect(() =>
      encodeOpenaiChatRequest(
        { ...base, messages: [{ role: 'user', content: [{ type: 'file', source: { kind: 'url', url: 'https://x/a.pdf' } }] }] },
        { model: 'gpt-4o', stream: false },
      ),
    ).toThrow(GatewayError);
  });
});
