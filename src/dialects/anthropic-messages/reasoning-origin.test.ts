import { describe, expect, it } from 'vitest';
import type { AssistantContentPart } from '../../ir/content.ts';
import type { CanonicalRequest } from '../../ir/request.ts';
import type { StreamPart } from '../../ir/stream-part.ts';
import { parseSseText } from '../../transport/sse-parser.ts';
import { unwrapReasoning, wrapReasoning } from '../shared/reasoning-envelope.ts';
import { decodeAnthropicRequest } from './decode-request.ts';
import { encodeAnthropicRequest } from './encode-request.ts';
import { encodeAnthropicResponse } from './encode-response.ts';
import { AnthropicStreamEncoder } from './encode-stream.ts';

const request: CanonicalRequest = { model: 'claude-sonnet-4-5', messages: [], stream: false };
const usage = { inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 };

const mixed: AssistantContentPart[] = [
  { type: 'reasoning', text: 'Claude thinks.', signature: 'EqClaude', origin: 'anthropic-messages' },
  { type: 'reasoning', text: '', redactedData: 'EmRedacted', origin: 'anthropic-messages' },
  { type: 'reasoning', text: 'Summary.', redactedData: 'gAAAAAenc', origin: 'openai-responses' },
  { type: 'text', text: 'Answer.' },
  { type: 'reasoning', text: '', signature: 'GSIG', origin: 'gemini' },
];

function clientBlocks(content: AssistantContentPart[]): Array<Record<string, unknown>> {
  const body = encodeAnthropicResponse({ id: 'msg_1', model: 'm', created: 1, content, finishReason: { unified: 'stop' }, usage }, { model: 'm', request });
  return body.content as Array<Record<string, unknown>>;
}

describe('Anthropic reasoning data and its origin', () => {
  it("gives a client Claude's data raw and other dialects' data in an envelope", () => {
    const blocks = clientBlocks(mixed);
    expect(blocks.slice(0, 3)).toEqual([
      { type: 'thinking', thinking: 'Claude thinks.', signature: 'EqClaude' },
      { type: 'redacted_thinking', data: 'EmRedacted' },
      // OpenAI's encrypted reasoning: the summary as readable thinking, the data as redacted thinking.
      { type: 'thinking', thinking: 'Summary.', signature: '' },
    ]);
    expect(unwrapReasoning(blocks[3].data as string)).toEqual({ origin: 'openai-responses', redactedData: 'gAAAAAenc' });
    expect(blocks[4]).toEqual({ type: 'text', text: 'Answer.' });
    expect(blocks[5]).toMatchObject({ type: 'thinking', thinking: '' });
    expect(unwrapReasoning(blocks[5].signature as string)).toEqual({ origin: 'gemini', signature: 'GSIG' });
  });

  it('decodes a client turn: raw values are Claude’s, envelopes give back their origin', () => {
    const decoded = decodeAnthropicRequest(
      { model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: clientBlocks(mixed) }] },
      {},
    );
    expect(decoded.messages[1].content).toEqual([
      mixed[0],
      mixed[1],
      { type: 'reasoning', text: 'Summary.' },
      { type: 'reasoning', text: '', redactedData: 'gAAAAAenc', origin: 'openai-responses' },
      mixed[3],
      mixed[4],
    ]);
  });

  it('sends Claude only its own signatures and data', () => {
    const body = encodeAnthropicRequest({ model: 'm', stream: false, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }, { role: 'assistant', content: mixed }] }, { model: 'm', stream: false });
    expect((body.messages as Array<{ content: unknown }>)[1].content).toEqual([
      { type: 'thinking', thinking: 'Claude thinks.', signature: 'EqClaude' },
      { type: 'redacted_thinking', data: 'EmRedacted' },
      { type: 'text', text: 'Answer.' },
    ]);
  });

  it('wraps foreign data in a stream too', () => {
    const encoder = new AnthropicStreamEncoder({ model: 'm', request });
    const parts: StreamPart[] = [
      { type: 'response-start', id: 'msg_1', model: 'm', created: 1 },
      { type: 'reasoning-start', index: 0 },
      { type: 'reasoning-signature', index: 0, signature: 'GSIG', origin: 'gemini' },
      { type: 'reasoning-end', index: 0 },
      { type: 'reasoning-start', index: 1 },
      { type: 'reasoning-redacted', index: 1, data: 'gAAAAAenc', origin: 'openai-responses' },
      { type: 'reasoning-end', index: 1 },
      { type: 'finish', finishReason: { unified: 'stop' }, usage },
    ];
    const events = parseSseText(parts.map((part) => encoder.encode(part)).join('')).map((event) => JSON.parse(event.data));
    const signature = events.find((event) => event.delta?.type === 'signature_delta')?.delta.signature;
    const redacted = events.find((event) => event.content_block?.type === 'redacted_thinking')?.content_block.data;
    expect(signature).toBe(wrapReasoning({ origin: 'gemini', signature: 'GSIG' }));
    expect(redacted).toBe(wrapReasoning({ origin: 'openai-responses', redactedData: 'gAAAAAenc' }));
  });
});
