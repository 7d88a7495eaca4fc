import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../ir/gateway-error.ts';
import { readJsonFixture } from './__fixtures__/fixtures.ts';
import { COMPACTION_PROMPT, compactionSummaryMessageText, encodeCompactionContent } from './compaction-summary.ts';
import { decodeResponsesRequest } from './decode-request.ts';
import { wrapReasoning } from '../shared/reasoning-envelope.ts';

function decode(body: Record<string, unknown>) {
  return decodeResponsesRequest(body, {});
}

function expect400(body: unknown, message: string | RegExp): void {
  try {
    decodeResponsesRequest(body, {});
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).status).toBe(400);
    expect((error as GatewayError).message).toMatch(message);
    return;
  }
  throw new Error('expected a 400');
}

describe('decodeResponsesRequest: a Codex CLI body', () => {
  const request = decode(readJsonFixture('codex-request.json'));

  it('keeps model, stream and the scalar parameters', () => {
    expect(request.model).toBe('gpt-5-codex');
    expect(request.stream).toBe(true);
    expect(request.parallelToolCalls).toBe(false);
    expect(request.toolChoice).toEqual({ type: 'auto' });
    expect(request.reasoning).toEqual({ enabled: true, effort: 'medium', includeThoughts: true });
  });

  it('turns instructions and input into ordered IR messages', () => {
    expect(request.messages.map((message) => message.role)).toEqual([
      'system',
      'system',
      'user',
      'user',
      'assistant',
      'tool',
      'assistant',
      'tool',
      'assistant',
      'user',
    ]);
    expect(request.messages[0]).toEqual({
      role: 'system',
      content: [{ type: 'text', text: 'You are Codex, based on GPT-5. You are running as a coding agent in the Codex CLI on a user\'s computer.' }],
      extensions: { 'openai-responses': { instructions: true } },
    });
    expect(request.messages[1].extensions).toEqual({ 'openai-responses': { role: 'developer' } });
    expect(request.messages[4]).toEqual({
      role: 'assistant',
      content: [
        {
          type: 'reasoning',
          text: '**Inspecting the repository**',
          redactedData: 'gAAAAABoq-complete-blob',
          origin: 'openai-responses',
        },
        {
          type: 'tool-call',
          id: 'call_H7kP2sQ9wE4rT1yU',
          name: 'shell',
          arguments: '{"command":["bash","-lc","ls -la"],"workdir":"/repo"}',
        },
      ],
    });
    expect(request.messages[5]).toEqual({
      role: 'tool',
      content: [{ type: 'tool-result', toolCallId: 'call_H7kP2sQ9wE4rT1yU', content: [{ type: 'text', text: 'total 8\ndrwxr-xr-x 2 user user 4096 README.md' }] }],
    });
  });

  it('serves the custom apply_patch tool as a one-string-parameter function', () => {
    expect(request.messages[6].content).toEqual([
      {
        type: 'tool-call',
        id: 'call_P0oI9uY8tR7eW6qA',
        name: 'apply_patch',
        arguments: JSON.stringify({ input: '*** Begin Patch\n*** Add File: a.txt\n+hi "there"\n*** End Patch' }),
        extensions: { 'openai-responses': { custom: true } },
      },
    ]);
    expect(request.messages[7].content[0]).toMatchObject({ type: 'tool-result', toolCallId: 'call_P0oI9uY8tR7eW6qA', extensions: { 'openai-responses': { custom: true } } });
    const tools = request.tools ?? [];
    expect(tools.map((tool) => tool.name)).toEqual(['shell', 'apply_patch']);
    expect(tools[0]).toMatchObject({ name: 'shell', strict: false, description: 'Runs a shell command and returns its output.' });
    expect(tools[1].parameters).toMatchObject({ type: 'object', required: ['input'] });
    expect((tools[1].extensions?.['openai-responses']?.custom as Record<string, unknown>).format).toMatchObject({ syntax: 'lark' });
  });

  it('keeps what the IR cannot say in the extension', () => {
    expect(request.extensions?.['openai-responses']).toEqual({
      builtinTools: [{ type: 'web_search' }],
      verbosity: 'medium',
      reasoningSummary: 'auto',
      passthrough: {
        store: false,
        include: ['reasoning.encrypted_content'],
        prompt_cache_key: '0199a7c2-5b8e-7d31-9f0a-3c2b1e4d5f60',
      },
    });
  });
});

describe('decodeResponsesRequest: input shapes', () => {
  it('accepts a plain string input', () => {
    expect(decode({ model: 'gpt-4.1', input: 'Hello' })).toEqual({
      model: 'gpt-4.1',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }],
      stream: false,
    });
  });

  it('accepts easy messages without type and string content', () => {
    const request = decode({
      model: 'gpt-4.1',
      input: [
        { role: 'system', content: 'Be terse.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello.' },
        { role: 'user', content: 'Bye' },
      ],
    });
    expect(request.messages).toEqual([
      { role: 'system', content: [{ type: 'text', text: 'Be terse.' }], extensions: { 'openai-responses': { role: 'system' } } },
      { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Hello.' }] },
      { role: 'user', content: [{ type: 'text', text: 'Bye' }] },
    ]);
  });

  it('reads images, files and refusals', () => {
    const request = decode({
      model: 'gpt-4.1',
      input: [
        {
          role: 'user',
          content: [
            { type: 'input_text', text: 'What is this?' },
            { type: 'input_image', image_url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'high' },
            { type: 'input_image', image_url: 'https://example.com/cat.jpg', detail: 'original' },
            { type: 'input_file', filename: 'doc.pdf', file_data: 'data:application/pdf;base64,JVBERi0=' },
            { type: 'input_file', filename: 'notes.pdf', file_data: 'JVBERi0xLjQ=' },
            { type: 'input_file', file_url: 'https://example.com/report.pdf' },
          ],
        },
        { type: 'message', role: 'assistant', content: [{ type: 'refusal', refusal: 'I cannot help with that.' }] },
      ],
    });
    expect(request.messages[0].content).toEqual([
      { type: 'text', text: 'What is this?' },
      { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' }, detail: 'high' },
      { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.jpg' }, extensions: { 'openai-responses': { detail: 'original' } } },
      { type: 'file', source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBERi0=' }, filename: 'doc.pdf' },
      { type: 'file', source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBERi0xLjQ=' }, filename: 'notes.pdf' },
      { type: 'file', source: { kind: 'url', url: 'https://example.com/report.pdf' } },
    ]);
    expect(request.messages[1].content).toEqual([
      { type: 'text', text: 'I cannot help with that.', extensions: { 'openai-responses': { refusal: true } } },
    ]);
  });

  it('reads tool output given as content parts', () => {
    const request = decode({
      model: 'gpt-4.1',
      input: [
        { type: 'function_call', call_id: 'call_1', name: 'screenshot', arguments: '' },
        {
          type: 'function_call_output',
          call_id: 'call_1',
          output: [
            { type: 'input_text', text: 'here' },
            { type: 'input_image', image_url: 'https://example.com/s.png' },
          ],
        },
      ],
    });
    expect(request.messages).toEqual([
      { role: 'assistant', content: [{ type: 'tool-call', id: 'call_1', name: 'screenshot', arguments: '{}' }] },
      {
        role: 'tool',
        content: [
          {
            type: 'tool-result',
            toolCallId: 'call_1',
            content: [
              { type: 'text', text: 'here' },
              { type: 'image', source: { kind: 'url', url: 'https://example.com/s.png' } },
            ],
          },
        ],
      },
    ]);
  });

  it('restores another provider\'s thinking signature wrapped in encrypted_content', () => {
    const request = decode({
      model: 'claude-sonnet-4',
      input: [
        { role: 'user', content: 'Hi' },
        {
          type: 'reasoning',
          id: 'rs_invented',
          summary: [{ type: 'summary_text', text: 'Thinking about hi' }],
          encrypted_content: wrapReasoning({ origin: 'anthropic-messages', signature: 'EqQBCkYIBxgCKkA' }),
        },
        { role: 'assistant', content: 'Hello' },
      ],
    });
    expect(request.messages[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'reasoning', text: 'Thinking about hi', signature: 'EqQBCkYIBxgCKkA', origin: 'anthropic-messages' },
        { type: 'text', text: 'Hello' },
      ],
    });
  });

  it('keeps multi-part summaries and raw reasoning content for an exact re-encoding', () => {
    const summary = [
      { type: 'summary_text', text: 'A' },
      { type: 'summary_text', text: 'B' },
    ];
    const request = decode({
      model: 'gpt-5',
      input: [
        { role: 'user', content: 'Hi' },
        { type: 'reasoning', id: 'rs_1', summary, encrypted_content: 'gAAAA1' },
        { type: 'reasoning', id: 'rs_2', summary: [], content: [{ type: 'reasoning_text', text: 'raw' }] },
      ],
    });
    expect(request.messages[1].content).toEqual([
      { type: 'reasoning', text: 'A\n\nB', redactedData: 'gAAAA1', origin: 'openai-responses', extensions: { 'openai-responses': { summary, id: 'rs_1' } } },
      { type: 'reasoning', text: 'raw', extensions: { 'openai-responses': { fromContent: true, id: 'rs_2' } } },
    ]);
  });

  it('carries hosted-tool items and OpenAI compaction items along, in place', () => {
    const webSearch = { type: 'web_search_call', id: 'ws_1', status: 'completed', action: { type: 'search', query: 'weather' } };
    const openaiCompaction = { type: 'compaction', id: 'cmp_1', encrypted_content: 'gAAAAABpM0Yj' };
    const request = decode({
      model: 'gpt-5',
      input: [openaiCompaction, { role: 'user', content: 'Weather?' }, webSearch, { role: 'assistant', content: 'Sunny.' }, webSearch],
    });
    expect(request.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Weather?' }], extensions: { 'openai-responses': { precedingItems: [openaiCompaction] } } },
      { role: 'assistant', content: [{ type: 'text', text: 'Sunny.' }], extensions: { 'openai-responses': { precedingItems: [webSearch] } } },
    ]);
    expect(request.extensions?.['openai-responses']?.trailingItems).toEqual([webSearch]);
  });

  it('turns a Switchyard compaction item back into a readable summary message', () => {
    const request = decode({
      model: 'gpt-5',
      input: [
        { role: 'user', content: 'Build the parser' },
        { type: 'compaction', id: 'cmp_x', encrypted_content: encodeCompactionContent('Parser half done; next: tests.') },
        { role: 'user', content: 'Continue' },
      ],
    });
    expect(request.messages[1]).toEqual({
      role: 'user',
      content: [{ type: 'text', text: compactionSummaryMessageText('Parser half done; next: tests.') }],
      extensions: { 'openai-responses': { compactionSummary: true } },
    });
  });

  it('turns a final compaction_trigger into a summarisation turn without tools', () => {
    const request = decode({
      model: 'gpt-5',
      input: [{ role: 'user', content: 'Build the parser' }, { type: 'compaction_trigger' }],
      tools: [{ type: 'function', name: 'shell', parameters: { type: 'object', properties: {} } }],
      tool_choice: 'auto',
    });
    expect(request.messages.at(-1)).toEqual({
      role: 'user',
      content: [{ type: 'text', text: COMPACTION_PROMPT }],
      extensions: { 'openai-responses': { compactionPrompt: true } },
    });
    expect(request.toolChoice).toEqual({ type: 'none' });
    expect(request.extensions?.['openai-responses']?.compactionTrigger).toBe(true);
  });

  it('maps text formats, tool choices and reasoning', () => {
    const request = decode({
      model: 'gpt-5',
      input: 'x',
      text: { format: { type: 'json_schema', name: 'answer', schema: { type: 'object' }, strict: true } },
      tool_choice: { type: 'function', name: 'get_weather' },
      reasoning: { effort: 'none' },
      max_output_tokens: 500,
      temperature: 0.2,
      top_p: 0.9,
      user: 'u-1',
      metadata: { team: 'a' },
    });
    expect(request.responseFormat).toEqual({ type: 'json-schema', name: 'answer', schema: { type: 'object' }, strict: true });
    expect(request.toolChoice).toEqual({ type: 'tool', name: 'get_weather' });
    expect(request.reasoning).toEqual({ enabled: false, effort: 'none' });
    expect(request).toMatchObject({ maxOutputTokens: 500, temperature: 0.2, topP: 0.9, user: 'u-1' });
    expect(request.extensions?.['openai-responses']?.passthrough).toEqual({ metadata: { team: 'a' } });
    expect(decode({ model: 'm', input: 'x', text: { format: { type: 'json_object' } } }).responseFormat).toEqual({ type: 'json' });
    expect(decode({ model: 'm', input: 'x', reasoning: { summary: 'detailed' } }).reasoning).toEqual({ enabled: true, includeThoughts: true });
    const allowed = { type: 'allowed_tools', mode: 'required', tools: [{ type: 'function', name: 'a' }] };
    const withAllowed = decode({ model: 'm', input: 'x', tool_choice: allowed });
    expect(withAllowed.toolChoice).toEqual({ type: 'required' });
    expect(withAllowed.extensions?.['openai-responses']?.toolChoice).toEqual(allowed);
  });

  it('takes model and stream from the context when the body has none', () => {
    expect(decodeResponsesRequest({ input: 'x' }, { model: 'from-url', stream: true })).toMatchObject({ model: 'from-url', stream: true });
  });
});

describe('decodeResponsesRequest: validation', () => {
  it('rejects what a stateless gateway cannot serve, with a clear message', () => {
    expect400({ model: 'm', input: 'x', previous_response_id: 'resp_1' }, /previous_response_id: not supported.*stateless/);
    expect400({ model: 'm', input: [{ type: 'item_reference', id: 'msg_1' }] }, /input\[0\]: item_reference is not supported/);
    expect400({ model: 'm', input: 'x', conversation: 'conv_1' }, /conversation: not supported/);
    expect400({ model: 'm', input: 'x', background: true }, /background/);
    expect400({ model: 'm', input: 'x', prompt: { id: 'pmpt_1' } }, /prompt: stored prompt templates/);
  });

  it('rejects malformed bodies with the field path', () => {
    expect400('nope', /body: must be a JSON object/);
    expect400({ input: 'x' }, /^model: required/);
    expect400({ model: 'm' }, /^input: required/);
    expect400({ model: 'm', input: [] }, /input: must contain at least one message/);
    expect400({ model: 'm', input: 42 }, /^input: must be a string or an array/);
    expect400({ model: 'm', input: 'x', temperature: 'hot' }, /^temperature: must be a number/);
    expect400({ model: 'm', input: 'x', max_output_tokens: 0 }, /^max_output_tokens: must be a positive integer/);
    expect400({ model: 'm', input: [{ role: 'robot', content: 'x' }] }, /^input\[0\]\.role: must be one of/);
    expect400({ model: 'm', input: [{ role: 'user', content: [{ type: 'input_text' }] }] }, /^input\[0\]\.content\[0\]\.text: required/);
    expect400({ model: 'm', input: [{ type: 'function_call', name: 'f', arguments: '{}' }] }, /^input\[0\]\.call_id: required/);
    expect400({ model: 'm', input: [{ role: 'user', content: [{ type: 'input_image', file_id: 'file_1' }] }] }, /file_id: uploaded file references are not supported/);
    expect400({ model: 'm', input: [{ type: 'compaction_trigger' }, { role: 'user', content: 'x' }] }, /compaction_trigger must be the last input item/);
    expect400({ model: 'm', input: 'x', tools: [{ type: 'function' }] }, /^tools\[0\]\.name: required/);
    expect400({ model: 'm', input: 'x', reasoning: { effort: 'extreme' } }, /^reasoning\.effort: must be one of/);
    expect400({ model: 'm', input: 'x', text: { format: { type: 'json_schema' } } }, /^text\.format\.schema: required/);
  });

  it('ignores unknown fields', () => {
    expect(decode({ model: 'm', input: 'x', some_future_flag: { a: 1 }, client_metadata: {} })).toEqual({
      model: 'm',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }],
      stream: false,
    });
  });
});
