import { describe, expect, it } from 'vitest';
import type { CanonicalRequest } from '../../ir/request.ts';
import { readJsonFixture } from './__fixtures__/fixtures.ts';
import { decodeResponsesRequest } from './decode-request.ts';
import { encodeResponsesRequest } from './encode-request.ts';

/** A request as an Anthropic or Chat client would produce it. */
const foreignRequest: CanonicalRequest = {
  model: 'claude-sonnet-4',
  stream: true,
  messages: [
    { role: 'system', content: [{ type: 'text', text: 'You are helpful.' }, { type: 'text', text: 'Be brief.' }] },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'Weather in Paris? See map.' },
        { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' } },
        { type: 'file', source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBERi0=' }, filename: 'map.pdf' },
      ],
    },
    {
      role: 'assistant',
      content: [
        { type: 'reasoning', text: 'The user wants weather.', signature: 'anthropic-signature' },
        { type: 'text', text: 'Let me check.' },
        { type: 'tool-call', id: 'toolu_01', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { type: 'tool-call', id: 'toolu_02', name: 'get_time', arguments: '{}' },
      ],
    },
    {
      role: 'tool',
      content: [
        { type: 'tool-result', toolCallId: 'toolu_01', content: [{ type: 'text', text: '18°C' }], isError: false },
        {
          type: 'tool-result',
          toolCallId: 'toolu_02',
          content: [
            { type: 'text', text: 'noon' },
            { type: 'image', source: { kind: 'url', url: 'https://example.com/clock.png' }, detail: 'low' },
          ],
        },
      ],
    },
    { role: 'system', content: [{ type: 'text', text: 'Answer in French.' }] },
    { role: 'user', content: [{ type: 'text', text: 'Thanks' }] },
  ],
  tools: [
    { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
    { name: 'get_time', parameters: {}, strict: true },
  ],
  toolChoice: { type: 'tool', name: 'get_weather' },
  parallelToolCalls: true,
  maxOutputTokens: 1024,
  temperature: 0.5,
  topP: 0.8,
  topK: 40,
  stopSequences: ['END'],
  responseFormat: { type: 'json-schema', schema: { type: 'object' } },
  reasoning: { enabled: true, budgetTokens: 10000, includeThoughts: true },
  user: 'user-7',
  extensions: { 'anthropic-messages': { cacheControl: true } },
};

describe('encodeResponsesRequest', () => {
  const body = encodeResponsesRequest(foreignRequest, { model: 'gpt-5', stream: true });

  it('hoists leading system messages into instructions and keeps later ones as developer messages', () => {
    expect(body.instructions).toBe('You are helpful.\n\nBe brief.');
    expect(body.input).toContainEqual({ type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'Answer in French.' }] });
  });

  it('writes the conversation as Responses input items', () => {
    expect(body.input).toEqual([
      {
        type: 'message',
        role: 'user',
        content: [
          { type: 'input_text', text: 'Weather in Paris? See map.' },
          { type: 'input_image', image_url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'auto' },
          { type: 'input_file', file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'map.pdf' },
        ],
      },
      // The Anthropic thinking block is not OpenAI reasoning: it is not sent, and its signature never
      // appears as encrypted_content.
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Let me check.' }] },
      { type: 'function_call', call_id: 'toolu_01', name: 'get_weather', arguments: '{"city":"Paris"}' },
      { type: 'function_call', call_id: 'toolu_02', name: 'get_time', arguments: '{}' },
      { type: 'function_call_output', call_id: 'toolu_01', output: '18°C' },
      {
        type: 'function_call_output',
        call_id: 'toolu_02',
        output: [
          { type: 'input_text', text: 'noon' },
          { type: 'input_image', image_url: 'https://example.com/clock.png', detail: 'low' },
        ],
      },
      { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'Answer in French.' }] },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Thanks' }] },
    ]);
    expect(JSON.stringify(body)).not.toContain('anthropic-signature');
  });

  it('writes tools with strict false unless asked, and the tool choice', () => {
    expect(body.tools).toEqual([
      {
        type: 'function',
        name: 'get_weather',
        description: 'Weather for a city',
        parameters: { type: 'object', properties: { city: { type: 'string' } } },
        strict: false,
      },
      { type: 'function', name: 'get_time', parameters: { type: 'object', properties: {} }, strict: true },
    ]);
    expect(body.tool_choice).toEqual({ type: 'function', name: 'get_weather' });
  });

  it('maps parameters, reasoning budget and response format; drops what Responses cannot say', () => {
    expect(body).toMatchObject({
      model: 'gpt-5',
      parallel_tool_calls: true,
      max_output_tokens: 1024,
      temperature: 0.5,
      top_p: 0.8,
      text: { format: { type: 'json_schema', name: 'response', schema: { type: 'object' } } },
      reasoning: { effort: 'high', summary: 'auto' },
      user: 'user-7',
      stream: true,
      store: false,
    });
    expect(body).not.toHaveProperty('stop');
    expect(body).not.toHaveProperty('top_k');
  });

  it('maps reasoning configurations to efforts', () => {
    const encode = (reasoning: CanonicalRequest['reasoning']) =>
      encodeResponsesRequest({ ...foreignRequest, reasoning }, { model: 'gpt-5', stream: false }).reasoning;
    expect(encode({ enabled: true, effort: 'max' })).toEqual({ effort: 'xhigh', summary: 'auto' });
    expect(encode({ enabled: true, budgetTokens: 600 })).toEqual({ effort: 'low', summary: 'auto' });
    expect(encode({ enabled: true, adaptive: true })).toEqual({ summary: 'auto' });
    expect(encode({ enabled: true, effort: 'high', includeThoughts: false })).toEqual({ effort: 'high' });
    expect(encode({ enabled: false })).toBeUndefined();
    expect(encode({ enabled: false, effort: 'minimal' })).toEqual({ effort: 'minimal' });
  });

  it('sends OpenAI reasoning items back with their id and encrypted content', () => {
    const request: CanonicalRequest = {
      model: 'gpt-5',
      stream: false,
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'q' }] },
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'thought', redactedData: 'gAAAA-enc', origin: 'openai-responses', extensions: { 'openai-responses': { id: 'rs_1' } } },
            { type: 'text', text: 'a' },
          ],
        },
      ],
    };
    expect(encodeResponsesRequest(request, { model: 'gpt-5', stream: false }).input).toEqual([
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'q' }] },
      { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'thought' }], encrypted_content: 'gAAAA-enc' },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'a' }] },
    ]);
  });
});

describe('encodeResponsesRequest: reasoning data by origin', () => {
  it("sends OpenAI's encrypted reasoning back even without its item id, and drops other dialects' data", () => {
    const request: CanonicalRequest = {
      model: 'gpt-5',
      stream: false,
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'q' }] },
        {
          role: 'assistant',
          content: [
            // Came back through an Anthropic client, as redacted thinking: the item id is gone, the origin is not.
            { type: 'reasoning', text: '', redactedData: 'gAAAA-enc', origin: 'openai-responses' },
            { type: 'reasoning', text: 'Claude thinks.', signature: 'EqClaude', origin: 'anthropic-messages' },
            { type: 'reasoning', text: '', redactedData: 'EmRedacted', origin: 'anthropic-messages' },
            { type: 'reasoning', text: '', redactedData: 'unknown-origin' },
            { type: 'text', text: 'a' },
          ],
        },
      ],
    };
    expect(encodeResponsesRequest(request, { model: 'gpt-5', stream: false }).input).toEqual([
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'q' }] },
      { type: 'reasoning', summary: [], encrypted_content: 'gAAAA-enc' },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'a' }] },
    ]);
  });
});

describe('encodeResponsesRequest: same-dialect round trip of a Codex body', () => {
  const original = readJsonFixture('codex-request.json');
  const body = encodeResponsesRequest(decodeResponsesRequest(original, {}), { model: 'gpt-5-codex', stream: true });

  it('restores instructions, input items, tools and pass-through fields', () => {
    const input = original.input as Record<string, unknown>[];
    expect(body.input).toEqual([
      input[0],
      input[1],
      input[2],
      // Codex's `content: null` carries nothing.
      { type: 'reasoning', summary: [{ type: 'summary_text', text: '**Inspecting the repository**' }], encrypted_content: 'gAAAAABoq-complete-blob' },
      input[4],
      input[5],
      // The item `status` is output-only information.
      { type: 'custom_tool_call', call_id: 'call_P0oI9uY8tR7eW6qA', name: 'apply_patch', input: '*** Begin Patch\n*** Add File: a.txt\n+hi "there"\n*** End Patch' },
      input[7],
      input[8],
      input[9],
    ]);
    expect(body).toEqual({
      model: 'gpt-5-codex',
      instructions: original.instructions,
      input: body.input,
      tools: original.tools,
      tool_choice: 'auto',
      parallel_tool_calls: false,
      text: { verbosity: 'medium' },
      reasoning: { effort: 'medium', summary: 'auto' },
      stream: true,
      store: false,
      include: ['reasoning.encrypted_content'],
      prompt_cache_key: '0199a7c2-5b8e-7d31-9f0a-3c2b1e4d5f60',
    });
  });
});
