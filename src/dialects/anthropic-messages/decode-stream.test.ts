import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectStream } from '../../ir/collect-stream.ts';
import { GatewayError } from '../../ir/gateway-error.ts';
import type { StreamPart } from '../../ir/stream-part.ts';
import { parseSseText } from '../../transport/sse-parser.ts';
import { AnthropicStreamDecoder } from './decode-stream.ts';

function decodeText(text: string): StreamPart[] {
  const decoder = new AnthropicStreamDecoder();
  const parts: StreamPart[] = [];
  for (const event of parseSseText(text)) parts.push(...decoder.decode(event));
  parts.push(...decoder.flush());
  return parts;
}

function decodeFixture(name: string): StreamPart[] {
  return decodeText(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8'));
}

const MODEL = 'claude-sonnet-4-5-20250929';

describe('AnthropicStreamDecoder', () => {
  it('decodes a plain text stream, counting cache reads and writes into input tokens', () => {
    const early = { inputTokens: 2112, cachedInputTokens: 2000, cacheWriteTokens: 100, outputTokens: 1, reasoningTokens: 0 };
    expect(decodeFixture('text.sse')).toEqual([
      {
        type: 'response-start',
        id: 'msg_01XFDUDYJgAACzvnptvVoYEL',
        model: MODEL,
        created: expect.any(Number),
        extensions: { 'anthropic-messages': { usage: early } },
      },
      { type: 'usage', usage: early },
      { type: 'text-start', index: 0 },
      { type: 'text-delta', index: 0, delta: 'Hello' },
      { type: 'text-delta', index: 0, delta: '! How can I help?' },
      { type: 'text-end', index: 0 },
      {
        type: 'finish',
        finishReason: { unified: 'stop', raw: 'end_turn' },
        usage: { inputTokens: 2112, cachedInputTokens: 2000, cacheWriteTokens: 100, outputTokens: 9, reasoningTokens: 0 },
      },
    ]);
  });

  it('decodes streamed tool arguments, and gives a parameterless call "{}"', () => {
    const parts = decodeFixture('tool-call.sse');
    expect(parts.slice(2)).toEqual([
      { type: 'text-start', index: 0 },
      { type: 'text-delta', index: 0, delta: 'Let me check the weather.' },
      { type: 'text-end', index: 0 },
      { type: 'tool-call-start', index: 1, id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', name: 'get_weather' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{"location":' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: ' "San Francisco, CA"}' },
      { type: 'tool-call-end', index: 1 },
      { type: 'tool-call-start', index: 2, id: 'toolu_01Lk8EwXq2o6dgbcRMxUDqrY', name: 'get_time' },
      { type: 'tool-call-delta', index: 2, argumentsDelta: '{}' },
      { type: 'tool-call-end', index: 2 },
      {
        type: 'finish',
        finishReason: { unified: 'tool-calls', raw: 'tool_use' },
        usage: { inputTokens: 472, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 89, reasoningTokens: 0 },
      },
    ]);
  });

  it('decodes thinking with its signature, redacted thinking, and thinking token details', () => {
    const parts = decodeFixture('thinking.sse');
    expect(parts.slice(2)).toEqual([
      { type: 'reasoning-start', index: 0 },
      { type: 'reasoning-delta', index: 0, delta: 'The user wants 27 * 453.' },
      { type: 'reasoning-delta', index: 0, delta: ' 27 * 453 = 12231.' },
      { type: 'reasoning-signature', index: 0, signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds', origin: 'anthropic-messages' },
      { type: 'reasoning-end', index: 0 },
      { type: 'reasoning-start', index: 1 },
      { type: 'reasoning-redacted', index: 1, data: 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP', origin: 'anthropic-messages' },
      { type: 'reasoning-end', index: 1 },
      { type: 'text-start', index: 2 },
      { type: 'text-delta', index: 2, delta: '27 × 453 = 12,231' },
      { type: 'text-end', index: 2 },
      {
        type: 'finish',
        finishReason: { unified: 'stop', raw: 'end_turn' },
        usage: { inputTokens: 423, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 119, reasoningTokens: 80 },
      },
    ]);
  });

  it('ends a cut stream with an upstream error instead of a silent truncation', () => {
    const parts = decodeFixture('cut.sse');
    expect(parts.map((part) => part.type)).toEqual(['response-start', 'usage', 'text-start', 'text-delta', 'error']);
    const last = parts[parts.length - 1];
    expect(last.type === 'error' && last.error).toMatchObject({
      status: 502,
      code: 'upstream_error',
      message: 'upstream stream ended before completion',
    });
  });

  it('turns an in-stream error event into an error part and ignores what follows', () => {
    const text = readFileSync(new URL('./__fixtures__/error.sse', import.meta.url), 'utf8');
    const parts = decodeText(`${text}event: message_stop\ndata: {"type":"message_stop"}\n\n`);
    expect(parts.map((part) => part.type)).toEqual(['response-start', 'usage', 'text-start', 'text-delta', 'error']);
    const error = (parts[4] as { error: GatewayError }).error;
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ status: 529, code: 'overloaded', message: 'Overloaded', upstreamType: 'overloaded_error' });
  });

  it('carries server tool blocks opaquely on the next block, and citations on the text end', () => {
    const parts = decodeFixture('web-search.sse');
    expect(parts[2]).toEqual({
      type: 'text-start',
      index: 0,
      extensions: {
        'anthropic-messages': {
          blocksBefore: [
            { type: 'server_tool_use', id: 'srvtoolu_014hJH82Qum7Td6UV8gDXThB', name: 'web_search', input: { query: 'weather NYC today' } },
            {
              type: 'web_search_tool_result',
              tool_use_id: 'srvtoolu_014hJH82Qum7Td6UV8gDXThB',
              content: [
                {
                  type: 'web_search_result',
                  title: 'NYC Weather',
                  url: 'https://weather.example/nyc',
                  encrypted_content: 'EqgfCioIARgBIiQ3YTAwMjY1Mi1mZjM5',
                  page_age: null,
                },
              ],
            },
          ],
        },
      },
    });
    expect(parts[4]).toEqual({
      type: 'text-end',
      index: 0,
      extensions: {
        'anthropic-messages': {
          fields: {
            citations: [
              {
                type: 'web_search_result_location',
                cited_text: 'Sunny, 75°F',
                url: 'https://weather.example/nyc',
                title: 'NYC Weather',
                encrypted_index: 'Eo8BCioIAhgBIiQyYjQ0',
              },
            ],
          },
        },
      },
    });
    expect(collectStream(parts).content).toHaveLength(1);
  });

  it('serialises interleaved upstream blocks', () => {
    const events = [
      'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","model":"m","usage":{"input_tokens":1}}}',
      'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}',
      'event: content_block_start\ndata: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_1","name":"f","input":{}}}',
      'event: content_block_delta\ndata: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\\"a\\":1}"}}',
      'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"hi"}}',
      'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}',
      'event: content_block_stop\ndata: {"type":"content_block_stop","index":1}',
      'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":5}}',
      'event: message_stop\ndata: {"type":"message_stop"}',
    ];
    const parts = decodeText(`${events.join('\n\n')}\n\n`);
    expect(parts.slice(2, 8)).toEqual([
      { type: 'text-start', index: 0 },
      { type: 'text-delta', index: 0, delta: 'hi' },
      { type: 'text-end', index: 0 },
      { type: 'tool-call-start', index: 1, id: 'toolu_1', name: 'f' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{"a":1}' },
      { type: 'tool-call-end', index: 1 },
    ]);
    expect(parts[8]).toMatchObject({ type: 'finish', finishReason: { unified: 'tool-calls' } });
  });

  it('reports an unreadable event as an upstream error', () => {
    const parts = decodeText('event: message_start\ndata: {not json\n\n');
    expect(parts).toHaveLength(1);
    expect(parts[0]).toMatchObject({ type: 'error', error: { status: 502, code: 'upstream_error' } });
  });
});
