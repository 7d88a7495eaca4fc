import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { StreamPart } from '../../ir/stream-part.ts';
import { parseSseText } from '../../transport/sse-parser.ts';
import { OpenaiChatStreamDecoder } from './decode-stream.ts';

function decodeText(text: string): StreamPart[] {
  const decoder = new OpenaiChatStreamDecoder();
  const parts = parseSseText(text).flatMap((event) => decoder.decode(event));
  return [...parts, ...decoder.flush()];
}

function decodeFixture(name: string): StreamPart[] {
  return decodeText(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8'));
}

function chunk(delta: Record<string, unknown>, finishReason: string | null = null, extra: Record<string, unknown> = {}): string {
  return `data: ${JSON.stringify({ id: 'chatcmpl-x', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finishReason }], ...extra })}\n\n`;
}

describe('OpenaiChatStreamDecoder on recorded-shape streams', () => {
  it('decodes a plain text stream with a usage chunk', () => {
    expect(decodeFixture('text.sse')).toEqual([
      { type: 'response-start', id: 'chatcmpl-BMq5Rr0D9tPp2hWfN6Yx1aKcL3mZ', model: 'gpt-4o-mini-2024-07-18', created: 1744626189 },
      { type: 'text-start', index: 0 },
      { type: 'text-delta', index: 0, delta: 'Hello' },
      { type: 'text-delta', index: 0, delta: '! How' },
      { type: 'text-delta', index: 0, delta: ' can I help you today?' },
      { type: 'text-end', index: 0 },
      {
        type: 'finish',
        finishReason: { unified: 'stop', raw: 'stop' },
        usage: { inputTokens: 2006, cachedInputTokens: 1920, cacheWriteTokens: 0, outputTokens: 10, reasoningTokens: 0 },
      },
    ]);
  });

  it('decodes sequential tool calls, streaming the first live and holding the second', () => {
    expect(decodeFixture('tool-calls.sse')).toEqual([
      { type: 'response-start', id: 'chatcmpl-BMqA8xRk2Qw9vYt1Lp4Zs7NcE0dH', model: 'gpt-4.1-2025-04-14', created: 1744626480 },
      { type: 'tool-call-start', index: 0, id: 'call_Vx8PyGm0K2hJ4sQeRt7WbLnA', name: 'get_weather' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"lo' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: 'cation": "Paris"}' },
      { type: 'tool-call-end', index: 0 },
      { type: 'tool-call-start', index: 1, id: 'call_Qm3TzK9yHs1fDp6WcXe2RuJo', name: 'get_time' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{"tz": "Europe/Paris"}' },
      { type: 'tool-call-end', index: 1 },
      {
        type: 'finish',
        finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
        usage: { inputTokens: 81, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 50, reasoningTokens: 0 },
      },
    ]);
  });

  it('decodes DeepSeek reasoning_content with usage on the finish chunk', () => {
    expect(decodeFixture('reasoning-deepseek.sse')).toEqual([
      { type: 'response-start', id: '5f0c9b1e-8a0e-4b6f-9a57-2c1d3e4f5a6b', model: 'deepseek-reasoner', created: 1744627001 },
      { type: 'reasoning-start', index: 0 },
      { type: 'reasoning-delta', index: 0, delta: 'The user asks 9.11 vs 9.8.' },
      { type: 'reasoning-delta', index: 0, delta: ' 0.80 > 0.11.' },
      { type: 'reasoning-end', index: 0 },
      { type: 'text-start', index: 1 },
      { type: 'text-delta', index: 1, delta: '9.8 is' },
      { type: 'text-delta', index: 1, delta: ' greater.' },
      { type: 'text-end', index: 1 },
      {
        type: 'finish',
        finishReason: { unified: 'stop', raw: 'stop' },
        usage: { inputTokens: 18, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 96, reasoningTokens: 88 },
      },
    ]);
  });

  it('decodes OpenRouter `reasoning`, a usage chunk after the finish, and no [DONE]', () => {
    expect(decodeFixture('reasoning-openrouter.sse')).toEqual([
      { type: 'response-start', id: 'gen-1744627300-Xq2vB8mN4kLp9sTz', model: 'anthropic/claude-sonnet-4', created: 1744627300 },
      { type: 'reasoning-start', index: 0 },
      { type: 'reasoning-delta', index: 0, delta: 'Simple greeting' },
      { type: 'reasoning-delta', index: 0, delta: ', reply briefly.' },
      { type: 'reasoning-end', index: 0 },
      { type: 'text-start', index: 1 },
      { type: 'text-delta', index: 1, delta: 'Hi there!' },
      { type: 'text-end', index: 1 },
      {
        type: 'finish',
        finishReason: { unified: 'stop', raw: 'stop' },
        usage: { inputTokens: 37, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 29, reasoningTokens: 12 },
      },
    ]);
  });

  it('serialises interleaved parallel tool calls after text', () => {
    expect(decodeFixture('interleaved-tool-calls.sse')).toEqual([
      { type: 'response-start', id: 'chatcmpl-7d1e', model: 'qwen3-coder', created: 1744627500 },
      { type: 'text-start', index: 0 },
      { type: 'text-delta', index: 0, delta: 'Checking both.' },
      { type: 'text-end', index: 0 },
      { type: 'tool-call-start', index: 1, id: 'call_a1', name: 'read_file' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{"path":' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '"a.ts"}' },
      { type: 'tool-call-end', index: 1 },
      { type: 'tool-call-start', index: 2, id: 'call_b2', name: 'list_dir' },
      { type: 'tool-call-delta', index: 2, argumentsDelta: '{"dir":"src"}' },
      { type: 'tool-call-end', index: 2 },
      {
        type: 'finish',
        finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
        usage: { inputTokens: 120, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 31, reasoningTokens: 0 },
      },
    ]);
  });

  it('turns an in-stream error object into an error part and stops', () => {
    const parts = decodeFixture('error.sse');
    expect(parts.slice(0, 3)).toEqual([
      { type: 'response-start', id: 'chatcmpl-BMqF2kP0aQz7Yx4Wv9Ln3RtS6uJe', model: 'gpt-4o-2024-08-06', created: 1744627800 },
      { type: 'text-start', index: 0 },
      { type: 'text-delta', index: 0, delta: 'Once upon' },
    ]);
    expect(parts).toHaveLength(4);
    const last = parts[3];
    expect(last.type).toBe('error');
    if (last.type !== 'error') return;
    expect(last.error.status).toBe(500);
    expect(last.error.code).toBe('upstream_error');
    expect(last.error.upstreamType).toBe('server_error');
    expect(last.error.message).toBe('The server had an error while processing your request. Sorry about that!');
  });

  it('reports a cut stream as a 502 error, never a silent finish', () => {
    const parts = decodeFixture('cut.sse');
    expect(parts.map((part) => part.type)).toEqual(['response-start', 'text-start', 'text-delta', 'error']);
    const last = parts[3];
    if (last.type !== 'error') throw new Error('expected an error part');
    expect(last.error.status).toBe(502);
    expect(last.error.code).toBe('upstream_error');
    expect(last.error.message).toBe('upstream stream ended before completion');
  });
});

describe('OpenaiChatStreamDecoder edge cases', () => {
  it('ignores events after [DONE] and flushes nothing more', () => {
    const decoder = new OpenaiChatStreamDecoder();
    const events = parseSseText(chunk({ role: 'assistant', content: 'hi' }) + chunk({}, 'length') + 'data: [DONE]\n\n' + chunk({ content: 'late' }));
    const parts = events.flatMap((event) => decoder.decode(event));
    expect(parts.at(-1)).toEqual({ type: 'finish', finishReason: { unified: 'length', raw: 'length' }, usage: expect.any(Object) });
    expect(parts.filter((part) => part.type === 'text-delta')).toHaveLength(1);
    expect(decoder.flush()).toEqual([]);
  });

  it('takes reasoning_content over an identical `reasoning` sent alongside it', () => {
    const parts = decodeText(chunk({ reasoning_content: 'think', reasoning: 'think' }) + chunk({}, 'stop') + 'data: [DONE]\n\n');
    expect(parts.filter((part) => part.type === 'reasoning-delta')).toEqual([{ type: 'reasoning-delta', index: 0, delta: 'think' }]);
  });

  it('holds a tool call whose name arrives after its first delta', () => {
    const parts = decodeText(
      chunk({ tool_calls: [{ index: 0, id: 'call_1', function: { arguments: '{"a"' } }] }) +
        chunk({ tool_calls: [{ index: 0, function: { name: 'f', arguments: ':1}' } }] }) +
        chunk({}, 'tool_calls') +
        'data: [DONE]\n\n',
    );
    expect(parts.slice(1, 4)).toEqual([
      { type: 'tool-call-start', index: 0, id: 'call_1', name: 'f' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"a":1}' },
      { type: 'tool-call-end', index: 0 },
    ]);
  });

  it('separates calls without `index` by their ids', () => {
    const parts = decodeText(
      chunk({ tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'a', arguments: '{}' } }] }) +
        chunk({ tool_calls: [{ id: 'call_2', type: 'function', function: { name: 'b', arguments: '{"x":1}' } }] }) +
        chunk({}, 'tool_calls') +
        'data: [DONE]\n\n',
    );
    expect(parts.filter((part) => part.type === 'tool-call-start')).toEqual([
      { type: 'tool-call-start', index: 0, id: 'call_1', name: 'a' },
      { type: 'tool-call-start', index: 1, id: 'call_2', name: 'b' },
    ]);
  });

  it('decodes a legacy function_call delta with an invented call id', () => {
    const parts = decodeText(
      chunk({ role: 'assistant', content: null, function_call: { name: 'lookup', arguments: '' } }) +
        chunk({ function_call: { arguments: '{"q":"x"}' } }) +
        chunk({}, 'function_call') +
        'data: [DONE]\n\n',
    );
    const start = parts[1];
    expect(start).toMatchObject({ type: 'tool-call-start', index: 0, name: 'lookup' });
    if (start.type === 'tool-call-start') expect(start.id).toMatch(/^call_[0-9a-f]{24}$/);
    expect(parts[2]).toEqual({ type: 'tool-call-delta', index: 0, argumentsDelta: '{"q":"x"}' });
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: { unified: 'tool-calls', raw: 'function_call' } });
  });

  it('opens a refusal as a text block marked for this dialect', () => {
    const parts = decodeText(chunk({ refusal: "I can't help with that." }) + chunk({}, 'stop') + 'data: [DONE]\n\n');
    expect(parts.slice(1, 4)).toEqual([
      { type: 'text-start', index: 0, extensions: { 'openai-chat': { refusal: true } } },
      { type: 'text-delta', index: 0, delta: "I can't help with that." },
      { type: 'text-end', index: 0 },
    ]);
  });

  it('fails when arguments arrive for a call that text already closed', () => {
    const parts = decodeText(
      chunk({ tool_calls: [{ index: 0, id: 'c', function: { name: 'f', arguments: '{' } }] }) +
        chunk({ content: 'x' }) +
        chunk({ tool_calls: [{ index: 0, function: { arguments: '}' } }] }),
    );
    expect(parts.at(-1)).toMatchObject({ type: 'error' });
    expect(parts.filter((part) => part.type === 'error')).toHaveLength(1);
  });

  it('reports invalid JSON as an upstream error', () => {
    const parts = decodeText('data: {"id":\n\n');
    expect(parts).toHaveLength(1);
    expect(parts[0]).toMatchObject({ type: 'error', error: { status: 502, code: 'upstream_error' } });
  });

  it('finishes on [DONE] even without a finish_reason', () => {
    const parts = decodeText(chunk({ content: 'ok' }) + 'data: [DONE]\n\n');
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: { unified: 'stop' } });
  });

  it('maps a rate-limit error in the stream to 429', () => {
    const parts = decodeText(
      chunk({ content: 'a' }) + 'data: {"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}\n\n',
    );
    expect(parts.at(-1)).toMatchObject({ type: 'error', error: { status: 429, code: 'rate_limited', upstreamType: 'requests' } });
  });
});
