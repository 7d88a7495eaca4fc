import { describe, expect, it } from 'vitest';
import { SseTally, sseDialectOf } from './sse-tally.ts';

const chat = (content: string | null) => `data: {"choices":[{"index":0,"delta":{"content":${JSON.stringify(content)}}}]}\n\n`;

describe('SseTally', () => {
  it('counts OpenAI chat content chunks across reads that split events, and sees [DONE]', () => {
    const body = chat('') + chat('the ') + chat('fox ') + 'data: {"choices":[],"usage":{"total_tokens":3}}\n\n' + 'data: [DONE]\n\n';
    const tally = new SseTally('openai-chat', true);
    for (let i = 0; i < body.length; i += 7) tally.push(body.slice(i, i + 7));
    tally.end();
    expect(tally).toMatchObject({ contentChunks: 2, textChars: 8, text: 'the fox ', done: true, error: undefined });
  });

  it('is incomplete without the end marker', () => {
    const tally = new SseTally('openai-chat');
    tally.push(chat('the '));
    tally.end();
    expect(tally.done).toBe(false);
    expect(tally.contentChunks).toBe(1);
  });

  it('reads Anthropic text deltas and message_stop, with event lines and CRLF', () => {
    const events = [
      'event: message_start\r\ndata: {"type":"message_start","message":{}}',
      'event: content_block_delta\r\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"owl "}}',
      'event: ping\r\ndata: {"type": "ping"}',
      'event: message_stop\r\ndata: {"type":"message_stop"}',
    ];
    const tally = new SseTally('anthropic');
    tally.push(events.join('\n\n'));
    tally.end();
    expect(tally).toMatchObject({ events: 4, contentChunks: 1, textChars: 4, done: true });
  });

  it('keeps the first in-stream error', () => {
    const tally = new SseTally('anthropic');
    tally.push('event: error\ndata: {"type":"error","error":{"type":"api_error","message":"boom"}}\n\n');
    expect(tally.error).toContain('boom');
  });

  it('tells the dialect from the path', () => {
    expect(sseDialectOf('/v1/messages')).toBe('anthropic');
    expect(sseDialectOf('/v1/chat/completions')).toBe('openai-chat');
  });
});
