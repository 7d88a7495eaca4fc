import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../ir/gateway-error.ts';
import type { CanonicalRequest } from '../../../ir/request.ts';
import type { CanonicalResponse } from '../../../ir/response.ts';
import type { StreamPart } from '../../../ir/stream-part.ts';
import { openaiCompletionsCodec } from './index.ts';

const usage = { inputTokens: 5, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 7, reasoningTokens: 2 };

describe('openaiCompletionsCodec.decodeRequest', () => {
  it('decodes a legacy completions body into one user message', () => {
    const request = openaiCompletionsCodec.decodeRequest(
      {
        model: 'gpt-3.5-turbo-instruct',
        prompt: 'Say this is a test',
        suffix: ' -- end',
        max_tokens: 7,
        temperature: 0,
        top_p: 1,
        stop: '\n',
        stream: true,
        stream_options: { include_usage: true },
        logprobs: null,
        user: 'u',
        seed: 4,
      },
      {},
    );
    expect(request).toEqual({
      model: 'gpt-3.5-turbo-instruct',
      stream: true,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Say this is a test' }] }],
      maxOutputTokens: 7,
      temperature: 0,
      topP: 1,
      stopSequences: ['\n'],
      user: 'u',
      extensions: { 'openai-chat': { includeUsage: true, passthrough: { seed: 4 } } },
    });
  });

  it('joins an array prompt and rejects what it cannot serve', () => {
    const request = openaiCompletionsCodec.decodeRequest({ model: 'm', prompt: ['first', 'second'] }, {});
    expect(request.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'first\nsecond' }] }]);
    const message = (body: unknown): string => {
      try {
        openaiCompletionsCodec.decodeRequest(body, {});
      } catch (error) {
        expect(error).toBeInstanceOf(GatewayError);
        expect((error as GatewayError).status).toBe(400);
        return (error as GatewayError).message;
      }
      throw new Error('expected a rejection');
    };
    expect(message({ model: 'm' })).toBe('prompt: is required');
    expect(message({ prompt: 'x' })).toBe('model: is required');
    expect(message({ model: 'm', prompt: [1, 2, 3] })).toBe('prompt[0]: token arrays are not supported; send text');
    expect(message({ model: 'm', prompt: 'x', n: 3 })).toBe('n: only n=1 is supported');
    expect(message({ model: 'm', prompt: 'x', echo: true })).toBe('echo: echoing the prompt is not supported');
  });
});

describe('openaiCompletionsCodec responses', () => {
  const request: CanonicalRequest = { model: 'alias', stream: false, messages: [] };

  it('renders a text_completion body', () => {
    const response: CanonicalResponse = {
      id: 'msg_1',
      model: 'upstream',
      created: 1700000000,
      content: [{ type: 'reasoning', text: 'hidden' }, { type: 'text', text: 'This is a test.' }],
      finishReason: { unified: 'length', raw: 'max_tokens' },
      usage,
    };
    const body = openaiCompletionsCodec.encodeResponse(response, { model: 'alias', request }) as Record<string, unknown>;
    expect(body.id).toMatch(/^cmpl-[0-9a-f]{32}$/);
    expect({ ...body, id: 'ID' }).toEqual({
      id: 'ID',
      object: 'text_completion',
      created: 1700000000,
      model: 'alias',
      choices: [{ text: 'This is a test.', index: 0, logprobs: null, finish_reason: 'length' }],
      usage: { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 },
    });
  });

  it('streams text chunks, a finish chunk, the usage chunk when asked, then [DONE]', () => {
    const encoder = openaiCompletionsCodec.createStreamEncoder({
      model: 'alias',
      request: { ...request, stream: true, extensions: { 'openai-chat': { includeUsage: true } } },
    });
    const parts: StreamPart[] = [
      { type: 'response-start', id: 'cmpl-abc', model: 'upstream', created: 1700000000 },
      { type: 'reasoning-start', index: 0 },
      { type: 'reasoning-delta', index: 0, delta: 'hidden' },
      { type: 'reasoning-end', index: 0 },
      { type: 'text-start', index: 1 },
      { type: 'text-delta', index: 1, delta: 'This is' },
      { type: 'text-delta', index: 1, delta: ' a test.' },
      { type: 'text-end', index: 1 },
      { type: 'finish', finishReason: { unified: 'stop', raw: 'end_turn' }, usage },
    ];
    const head = '{"id":"cmpl-abc","object":"text_completion","created":1700000000,"model":"alias"';
    expect(parts.map((part) => encoder.encode(part)).join('') + encoder.end()).toBe(
      `data: ${head},"choices":[{"text":"This is","index":0,"logprobs":null,"finish_reason":null}],"usage":null}\n\n` +
        `data: ${head},"choices":[{"text":" a test.","index":0,"logprobs":null,"finish_reason":null}],"usage":null}\n\n` +
        `data: ${head},"choices":[{"text":"","index":0,"logprobs":null,"finish_reason":"stop"}],"usage":null}\n\n` +
        `data: ${head},"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":7,"total_tokens":12}}\n\n` +
        'data: [DONE]\n\n',
    );
  });

  it('ends a failed stream with the error object and no [DONE]', () => {
    const encoder = openaiCompletionsCodec.createStreamEncoder({ model: 'alias', request });
    const error = new GatewayError({ status: 429, code: 'rate_limited', message: 'slow' });
    expect(encoder.encode({ type: 'error', error })).toBe(
      'data: {"error":{"message":"slow","type":"rate_limit_error","param":null,"code":"rate_limit_exceeded"}}\n\n',
    );
    expect(encoder.end()).toBe('');
    expect(openaiCompletionsCodec.encodeError(error).status).toBe(429);
  });
});
