import { describe, expect, it } from 'vitest';
import type { CanonicalMessage } from '../../ir/message.ts';
import type { CanonicalRequest } from '../../ir/request.ts';
import { decodeAnthropicRequest } from './decode-request.ts';
import { encodeAnthropicRequest } from './encode-request.ts';

const context = { model: 'claude-sonnet-4-5-20250929', stream: false };

function base(messages: CanonicalMessage[], extra: Partial<CanonicalRequest> = {}): CanonicalRequest {
  return { model: 'alias', messages, stream: false, ...extra };
}

const hi: CanonicalMessage = { role: 'user', content: [{ type: 'text', text: 'hi' }] };

describe('encodeAnthropicRequest', () => {
  it('gives a Claude client request back to Claude unchanged (model aside)', () => {
    const body = {
      model: 'sonnet',
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
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'hmm', signature: 'sig' },
            { type: 'server_tool_use', id: 'srv_1', name: 'web_search', input: { query: 'q' } },
            { type: 'web_search_tool_result', tool_use_id: 'srv_1', content: [] },
            { type: 'text', text: 'found', citations: [{ type: 'char_location', cited_text: 'x' }] },
            { type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: 'ls' }, cache_control: { type: 'ephemeral' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'document', source: { type: 'file', file_id: 'f1' } }] },
            { type: 'text', text: 'next' },
          ],
        },
      ],
      tools: [
        { name: 'Bash', description: 'run', input_schema: { type: 'object', properties: {} }, cache_control: { type: 'ephemeral' } },
        { type: 'web_search_20250305', name: 'web_search', max_uses: 3 },
      ],
      tool_choice: { type: 'auto', disable_parallel_tool_use: true },
      metadata: { user_id: 'u1' },
      thinking: { type: 'enabled', budget_tokens: 40000, display: 'omitted' },
      output_config: { effort: 'high' },
      context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
      mcp_servers: [{ type: 'url', url: 'https://mcp.example', name: 'x' }],
      stream: true,
    };
    const request = decodeAnthropicRequest(body, {});
    expect(encodeAnthropicRequest(request, { model: 'claude-sonnet-4-5-20250929', stream: true })).toEqual({
      ...body,
      model: 'claude-sonnet-4-5-20250929',
    });
  });

  it('hoists system messages, merges same-role turns and puts tool results first', () => {
    const body = encodeAnthropicRequest(
      base([
        { role: 'system', content: [{ type: 'text', text: 'be brief' }] },
        hi,
        { role: 'user', content: [{ type: 'text', text: 'again' }] },
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'unsigned thoughts' },
            { type: 'text', text: 'calling' },
            { type: 'tool-call', id: 'call_1', name: 'f', arguments: '{"a":1}' },
            { type: 'tool-call', id: 'call_2', name: 'g', arguments: '' },
            { type: 'tool-call', id: 'call_3', name: 'h', arguments: '{"a":' },
          ],
        },
        { role: 'system', content: [{ type: 'text', text: 'late rule' }] },
        { role: 'user', content: [{ type: 'text', text: 'note' }] },
        {
          role: 'tool',
          content: [
            { type: 'tool-result', toolCallId: 'call_1', content: [{ type: 'text', text: 'ok' }] },
            { type: 'tool-result', toolCallId: 'call_2', content: [], isError: true },
            {
              type: 'tool-result',
              toolCallId: 'call_3',
              content: [{ type: 'image', source: { kind: 'url', url: 'https://x/i.png' }, detail: 'high' }],
            },
          ],
        },
      ]),
      context,
    );
    expect(body.system).toEqual([
      { type: 'text', text: 'be brief' },
      { type: 'text', text: 'late rule' },
    ]);
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'hi' }, { type: 'text', text: 'again' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'calling' },
          { type: 'tool_use', id: 'call_1', name: 'f', input: { a: 1 } },
          { type: 'tool_use', id: 'call_2', name: 'g', input: {} },
          { type: 'tool_use', id: 'call_3', name: 'h', input: { _raw: '{"a":' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_1', content: [{ type: 'text', text: 'ok' }] },
          { type: 'tool_result', tool_use_id: 'call_2', is_error: true },
          { type: 'tool_result', tool_use_id: 'call_3', content: [{ type: 'image', source: { type: 'url', url: 'https://x/i.png' } }] },
          { type: 'text', text: 'note' },
        ],
      },
    ]);
    expect(body.max_tokens).toBe(8192);
    expect(body).not.toHaveProperty('thinking');
    expect(body).not.toHaveProperty('stream');
  });

  it('keeps signed and redacted reasoning of no recorded origin, as before origins existed', () => {
    const body = encodeAnthropicRequest(
      base([
        hi,
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'signed', signature: 's1' },
            { type: 'reasoning', text: '', redactedData: 'r1' },
            { type: 'text', text: 'answer' },
          ],
        },
      ]),
      context,
    );
    expect((body.messages as Array<{ content: unknown }>)[1].content).toEqual([
      { type: 'thinking', thinking: 'signed', signature: 's1' },
      { type: 'redacted_thinking', data: 'r1' },
      { type: 'text', text: 'answer' },
    ]);
  });

  it('turns effort into a thinking budget that fits max_tokens and drops sampling settings', () => {
    const thinking = { temperature: 0.2, topP: 0.9, topK: 5 };
    const noLimit = encodeAnthropicRequest(base([hi], { reasoning: { enabled: true, effort: 'high' }, ...thinking }), context);
    expect(noLimit).toMatchObject({ thinking: { type: 'enabled', budget_tokens: 24576 }, max_tokens: 24576 + 8192 });
    expect(noLimit).not.toHaveProperty('temperature');
    expect(noLimit).not.toHaveProperty('top_p');
    expect(noLimit).not.toHaveProperty('top_k');

    const limited = encodeAnthropicRequest(base([hi], { reasoning: { enabled: true, effort: 'high' }, maxOutputTokens: 4000 }), context);
    expect(limited).toMatchObject({ thinking: { type: 'enabled', budget_tokens: 3999 }, max_tokens: 4000 });

    const tooSmall = encodeAnthropicRequest(base([hi], { reasoning: { enabled: true, budgetTokens: 2000 }, maxOutputTokens: 800, ...thinking }), context);
    expect(tooSmall).not.toHaveProperty('thinking');
    expect(tooSmall).toMatchObject({ max_tokens: 800, temperature: 0.2, top_k: 5 });
    expect(tooSmall).not.toHaveProperty('top_p');

    const minimum = encodeAnthropicRequest(base([hi], { reasoning: { enabled: true, budgetTokens: 100 }, maxOutputTokens: 5000 }), context);
    expect(minimum.thinking).toEqual({ type: 'enabled', budget_tokens: 1024 });

    const adaptive = encodeAnthropicRequest(base([hi], { reasoning: { enabled: true, adaptive: true, effort: 'minimal' } }), context);
    expect(adaptive).toMatchObject({ thinking: { type: 'adaptive' }, output_config: { effort: 'low' }, max_tokens: 8192 });

    const off = encodeAnthropicRequest(base([hi], { reasoning: { enabled: false, effort: 'none' }, topP: 0.5 }), context);
    expect(off).not.toHaveProperty('thinking');
    expect(off).not.toHaveProperty('output_config');
    expect(off.top_p).toBe(0.5);
  });

  it('follows routing changes to reasoning instead of the client original', () => {
    const request = decodeAnthropicRequest(
      { model: 'm', max_tokens: 10000, messages: [{ role: 'user', content: 'x' }], thinking: { type: 'disabled' } },
      {},
    );
    expect(encodeAnthropicRequest(request, context).thinking).toEqual({ type: 'disabled' });
    request.reasoning = { enabled: true, effort: 'low' };
    expect(encodeAnthropicRequest(request, context).thinking).toEqual({ type: 'enabled', budget_tokens: 1024 });
  });

  it('maps tools, tool choice, stop sequences, structured output, files and the user', () => {
    const body = encodeAnthropicRequest(
      base(
        [
          {
            role: 'user',
            content: [
              { type: 'file', source: { kind: 'base64', mediaType: 'text/plain', data: Buffer.from('notes').toString('base64') }, filename: 'n.txt' },
              { type: 'file', source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBER' } },
              { type: 'file', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBOR' } },
            ],
          },
        ],
        {
          tools: [{ name: 'f', description: 'd', parameters: { properties: { a: { type: 'string' } } }, strict: true }],
          toolChoice: { type: 'tool', name: 'f' },
          parallelToolCalls: false,
          stopSequences: ['STOP'],
          responseFormat: { type: 'json-schema', name: 'x', schema: { type: 'object' } },
          user: 'u-1',
          temperature: 0.3,
          topP: 0.8,
        },
      ),
      { model: 'claude-haiku-4-5', stream: true },
    );
    expect(body).toEqual({
      model: 'claude-haiku-4-5',
      max_tokens: 8192,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'notes' }, title: 'n.txt' },
            { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBER' } },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBOR' } },
          ],
        },
      ],
      tools: [{ name: 'f', description: 'd', input_schema: { type: 'object', properties: { a: { type: 'string' } } } }],
      tool_choice: { type: 'tool', name: 'f', disable_parallel_tool_use: true },
      stop_sequences: ['STOP'],
      temperature: 0.3,
      output_config: { format: { type: 'json_schema', schema: { type: 'object' } } },
      metadata: { user_id: 'u-1' },
      stream: true,
    });
  });

  it('omits tool_choice without tools and refuses files Claude cannot read', () => {
    expect(encodeAnthropicRequest(base([hi], { toolChoice: { type: 'required' } }), context)).not.toHaveProperty('tool_choice');
    expect(() =>
      encodeAnthropicRequest(
        base([{ role: 'user', content: [{ type: 'file', source: { kind: 'base64', mediaType: 'application/zip', data: 'UEs' } }] }]),
        context,
      ),
    ).toThrow(/messages\.0\.content\.0: Claude does not accept application\/zip files/);
  });

  it('round-trips an IR request: decode(encode(x)) keeps messages, tools and settings', () => {
    const request = base(
      [
        { role: 'system', content: [{ type: 'text', text: 'sys' }] },
        hi,
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 't', signature: 's', origin: 'anthropic-messages' },
            { type: 'tool-call', id: 'call_9', name: 'lookup', arguments: '{"q":"x"}' },
          ],
        },
        {
          role: 'tool',
          content: [{ type: 'tool-result', toolCallId: 'call_9', name: 'lookup', content: [{ type: 'text', text: 'found' }], isError: true }],
        },
      ],
      {
        tools: [{ name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } } } }],
        toolChoice: { type: 'auto' },
        maxOutputTokens: 50000,
        reasoning: { enabled: true, budgetTokens: 20000 },
        stopSequences: ['##'],
        user: 'someone',
      },
    );
    const decoded = decodeAnthropicRequest(encodeAnthropicRequest(request, { model: 'alias', stream: false }), {});
    expect(decoded.messages).toEqual(request.messages);
    expect(decoded.tools).toEqual(request.tools);
    expect(decoded.toolChoice).toEqual(request.toolChoice);
    expect(decoded.maxOutputTokens).toBe(50000);
    expect(decoded.reasoning).toEqual({ enabled: true, budgetTokens: 20000, includeThoughts: true });
    expect(decoded.stopSequences).toEqual(['##']);
    expect(decoded.user).toBe('someone');
  });
});

describe('encodeAnthropicRequest with a forced tool', () => {
  it('drops derived thinking, which Claude refuses together with tool_choice any/tool', () => {
    const body = encodeAnthropicRequest(
      base([hi], {
        tools: [{ name: 'f', parameters: { type: 'object' } }],
        toolChoice: { type: 'required' },
        reasoning: { enabled: true, effort: 'medium' },
        temperature: 0.1,
      }),
      context,
    );
    expect(body).not.toHaveProperty('thinking');
    expect(body).toMatchObject({ tool_choice: { type: 'any' }, temperature: 0.1, max_tokens: 8192 });
  });
});

describe('encodeAnthropicRequest in a tool loop from another upstream', () => {
  const loop: CanonicalMessage[] = [
    hi,
    { role: 'assistant', content: [{ type: 'tool-call', id: 'call_1', name: 'f', arguments: '{}' }] },
    { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_1', content: [{ type: 'text', text: 'r' }] }] },
  ];

  it('holds thinking back when the last tool turn has no thinking block (Claude would reject it)', () => {
    const body = encodeAnthropicRequest(base(loop, { reasoning: { enabled: true, effort: 'low' } }), context);
    expect(body).not.toHaveProperty('thinking');
  });

  it('keeps thinking when that turn starts with signed thinking', () => {
    const signed: CanonicalMessage[] = [
      hi,
      {
        role: 'assistant',
        content: [
          { type: 'reasoning', text: 'plan', signature: 'sig' },
          { type: 'tool-call', id: 'call_1', name: 'f', arguments: '{}' },
        ],
      },
      loop[2],
    ];
    const body = encodeAnthropicRequest(base(signed, { reasoning: { enabled: true, effort: 'low' } }), context);
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: 1024 });
  });
});
