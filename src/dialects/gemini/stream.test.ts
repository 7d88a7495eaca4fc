import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { StreamPart } from '../../ir/stream-part.ts';
import { GatewayError } from '../../ir/gateway-error.ts';
import { parseSseText } from '../../transport/sse-parser.ts';
import { unwrapReasoning } from '../shared/reasoning-envelope.ts';
import { geminiCodec } from './index.ts';

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');

function decodeStream(text: string): StreamPart[] {
  const decoder = geminiCodec.createStreamDecoder();
  const parts: StreamPart[] = [];
  for (const event of parseSseText(text)) parts.push(...decoder.decode(event));
  parts.push(...decoder.flush());
  return parts;
}

function encodeStream(parts: StreamPart[], jsonArray = false): string {
  const encoder = geminiCodec.createStreamEncoder({ model: 'gemini-2.5-flash', request: { model: 'gemini-2.5-flash', messages: [], stream: true }, jsonArray });
  return parts.map((part) => encoder.encode(part)).join('') + encoder.end();
}

const usage = (inputTokens: number, outputTokens: number, reasoningTokens = 0) => ({
  inputTokens,
  cachedInputTokens: 0,
  cacheWriteTokens: 0,
  outputTokens,
  reasoningTokens,
});

describe('gemini stream decoder', () => {
  it('decodes a plain text stream', () => {
    expect(decodeStream(fixture('text.sse'))).toEqual([
      { type: 'response-start', id: 'IZI2acSKMoWl0-kPmYj2yQc', model: 'gemini-2.5-flash', created: expect.any(Number) },
      { type: 'usage', usage: usage(8, 22, 21) },
      { type: 'text-start', index: 0 },
      { type: 'text-delta', index: 0, delta: 'Hello' },
      { type: 'usage', usage: usage(8, 27, 21) },
      { type: 'text-delta', index: 0, delta: '! How can I help you' },
      { type: 'usage', usage: usage(8, 30, 21) },
      { type: 'text-delta', index: 0, delta: ' today?' },
      { type: 'text-end', index: 0 },
      { type: 'finish', finishReason: { unified: 'stop', raw: 'STOP' }, usage: usage(8, 30, 21) },
    ]);
  });

  it('decodes whole function calls as complete blocks, keeping the thought signature and inventing ids', () => {
    const parts = decodeStream(fixture('tool-call.sse'));
    expect(parts).toEqual([
      { type: 'response-start', id: 'qpc2afWVFJK4vr0Pq6WiyAU', model: 'gemini-2.5-flash', created: expect.any(Number) },
      { type: 'usage', usage: usage(83, 114, 104) },
      { type: 'text-start', index: 0 },
      { type: 'text-delta', index: 0, delta: "I'll check the weather in Tokyo and Paris." },
      { type: 'usage', usage: usage(83, 128, 104) },
      { type: 'text-end', index: 0 },
      { type: 'tool-call-start', index: 1, id: expect.stringMatching(/^call_[0-9a-f]{24}$/), name: 'getWeather' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{"location":"Tokyo","unit":"celsius"}' },
      {
        type: 'tool-call-end',
        index: 1,
        extensions: { gemini: { thoughtSignature: 'CikBcsjafFK168IbtVtoxVV0Tsn8O+eU45rzJahzwuKGmMbdMdfpmNpgBwplAXLI2nyA' } },
      },
      { type: 'tool-call-start', index: 2, id: expect.stringMatching(/^call_/), name: 'getWeather' },
      { type: 'tool-call-delta', index: 2, argumentsDelta: '{"location":"Paris","unit":"celsius"}' },
      { type: 'tool-call-end', index: 2 },
      {
        type: 'finish',
        finishReason: { unified: 'tool-calls', raw: 'STOP' },
        usage: usage(83, 128, 104),
        extensions: { gemini: { candidate: { finishMessage: 'Model generated function call(s).' } } },
      },
    ]);
    const ids = parts.filter((part) => part.type === 'tool-call-start').map((part) => part.id);
    expect(new Set(ids).size).toBe(2);
  });

  it('decodes thoughts as a reasoning block and the trailing text signature as a signature-only block', () => {
    expect(decodeStream(fixture('thinking.sse'))).toEqual([
      { type: 'response-start', id: 'x5k3abPFNo2rqtsPk8ejyAo', model: 'gemini-3-pro-preview', created: expect.any(Number) },
      { type: 'usage', usage: usage(12, 48, 48) },
      { type: 'reasoning-start', index: 0, extensions: { gemini: { thought: true } } },
      { type: 'reasoning-delta', index: 0, delta: '**Calculating the sum**\n\nThe user wants 17 + 25.' },
      { type: 'usage', usage: usage(12, 96, 96) },
      { type: 'reasoning-delta', index: 0, delta: ' Adding gives 42.' },
      { type: 'usage', usage: usage(12, 102, 96) },
      { type: 'reasoning-end', index: 0 },
      { type: 'text-start', index: 1 },
      { type: 'text-delta', index: 1, delta: '17 + 25 = ' },
      { type: 'usage', usage: usage(12, 104, 96) },
      { type: 'text-delta', index: 1, delta: '42' },
      { type: 'usage', usage: usage(12, 104, 96) },
      { type: 'text-end', index: 1 },
      { type: 'reasoning-start', index: 2 },
      { type: 'reasoning-signature', index: 2, signature: 'EpYDCpMDAdHtim9xJ2nS8Q0RgLRbbPWEP9s8Kk4Y', origin: 'gemini' },
      { type: 'reasoning-end', index: 2 },
      { type: 'finish', finishReason: { unified: 'stop', raw: 'STOP' }, usage: usage(12, 104, 96) },
    ]);
  });

  it('reports a stream cut before its finish reason as an error, not a truncation', () => {
    const parts = decodeStream(fixture('cut.sse'));
    expect(parts.map((part) => part.type)).toEqual([
      'response-start',
      'usage',
      'text-start',
      'text-delta',
      'usage',
      'text-delta',
      'error',
    ]);
    const last = parts.at(-1);
    expect(last?.type === 'error' && last.error).toMatchObject({ status: 502, code: 'upstream_error', message: 'upstream stream ended before completion' });
  });

  it('turns an in-stream error object into the terminal error part', () => {
    const parts = decodeStream(fixture('error.sse'));
    expect(parts.map((part) => part.type)).toEqual(['response-start', 'usage', 'text-start', 'text-delta', 'error']);
    const last = parts.at(-1);
    expect(last?.type === 'error' && last.error).toMatchObject({
      status: 503,
      code: 'overloaded',
      message: 'The model is overloaded. Please try again later.',
      upstreamType: 'UNAVAILABLE',
    });
  });

  it('starts the stream before an error that comes first, and reports non-JSON events', () => {
    expect(decodeStream('data: not json\r\n\r\n').map((part) => part.type)).toEqual(['response-start', 'error']);
    expect(decodeStream('').map((part) => part.type)).toEqual(['response-start', 'error']);
  });

  it('treats a blocked prompt as a content-filter finish', () => {
    const parts = decodeStream(
      'data: {"promptFeedback": {"blockReason": "PROHIBITED_CONTENT"},"usageMetadata": {"promptTokenCount": 9,"totalTokenCount": 9},"modelVersion": "gemini-2.5-flash","responseId": "a"}\r\n\r\n',
    );
    expect(parts.at(-1)).toEqual({
      type: 'finish',
      finishReason: { unified: 'content-filter', raw: 'PROHIBITED_CONTENT' },
      usage: usage(9, 0),
      extensions: { gemini: { promptFeedback: { blockReason: 'PROHIBITED_CONTENT' } } },
    });
  });

  it('keeps Gemini 3 function call ids and code execution parts', () => {
    const chunk = {
      candidates: [
        {
          content: {
            parts: [
              { executableCode: { language: 'PYTHON', code: 'print(6 * 7)' } },
              { codeExecutionResult: { outcome: 'OUTCOME_OK', output: '42\n' } },
              { functionCall: { id: 'fc_9x2', name: 'report', args: { value: 42 } }, thoughtSignature: 'sig' },
            ],
            role: 'model',
          },
          finishReason: 'STOP',
          index: 0,
        },
      ],
      modelVersion: 'gemini-3-flash-preview',
      responseId: 'r1',
    };
    const parts = decodeStream(`data: ${JSON.stringify(chunk)}\r\n\r\n`);
    expect(parts.slice(1)).toEqual([
      { type: 'text-start', index: 0, extensions: { gemini: { part: chunk.candidates[0].content.parts[0] } } },
      { type: 'text-delta', index: 0, delta: '```python\nprint(6 * 7)\n```' },
      { type: 'text-end', index: 0 },
      { type: 'text-start', index: 1, extensions: { gemini: { part: chunk.candidates[0].content.parts[1] } } },
      { type: 'text-delta', index: 1, delta: '42\n' },
      { type: 'text-end', index: 1 },
      { type: 'tool-call-start', index: 2, id: 'fc_9x2', name: 'report' },
      { type: 'tool-call-delta', index: 2, argumentsDelta: '{"value":42}' },
      { type: 'tool-call-end', index: 2, extensions: { gemini: { thoughtSignature: 'sig', id: 'fc_9x2' } } },
      { type: 'finish', finishReason: { unified: 'tool-calls', raw: 'STOP' }, usage: usage(0, 0) },
    ]);
  });
});

const start: StreamPart = { type: 'response-start', id: 'resp_1', model: 'gpt-5', created: 1 };

describe('gemini stream encoder', () => {
  it('writes text as SSE chunks with CRLF framing and a final chunk with finish reason and usage', () => {
    const text = encodeStream([
      start,
      { type: 'text-start', index: 0 },
      { type: 'text-delta', index: 0, delta: 'Hel' },
      { type: 'text-delta', index: 0, delta: 'lo' },
      { type: 'text-end', index: 0 },
      { type: 'usage', usage: { inputTokens: 7 } },
      { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage: usage(7, 2) },
    ]);
    expect(text).toBe(
      'data: {"candidates":[{"content":{"parts":[{"text":"Hel"}],"role":"model"},"index":0}],"modelVersion":"gemini-2.5-flash","responseId":"resp_1"}\r\n\r\n' +
        'data: {"candidates":[{"content":{"parts":[{"text":"lo"}],"role":"model"},"index":0}],"modelVersion":"gemini-2.5-flash","responseId":"resp_1"}\r\n\r\n' +
        'data: {"candidates":[{"content":{"parts":[],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":7,"candidatesTokenCount":2,"totalTokenCount":9},"modelVersion":"gemini-2.5-flash","responseId":"resp_1"}\r\n\r\n',
    );
  });

  it('writes a tool call whole when its block ends, with a STOP finish', () => {
    const text = encodeStream([
      start,
      { type: 'tool-call-start', index: 0, id: 'call_abc', name: 'get_weather' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city":' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '"Paris"}' },
      { type: 'tool-call-end', index: 0 },
      { type: 'finish', finishReason: { unified: 'tool-calls', raw: 'tool_calls' }, usage: usage(20, 10) },
    ]);
    expect(text).toBe(
      'data: {"candidates":[{"content":{"parts":[{"functionCall":{"name":"get_weather","args":{"city":"Paris"}}}],"role":"model"},"index":0}],"modelVersion":"gemini-2.5-flash","responseId":"resp_1"}\r\n\r\n' +
        'data: {"candidates":[{"content":{"parts":[],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":20,"candidatesTokenCount":10,"totalTokenCount":30},"modelVersion":"gemini-2.5-flash","responseId":"resp_1"}\r\n\r\n',
    );
  });

  const chunk = (part: Record<string, unknown>) =>
    `data: {"candidates":[{"content":{"parts":[${JSON.stringify(part)}],"role":"model"},"index":0}],"modelVersion":"gemini-2.5-flash","responseId":"resp_1"}\r\n\r\n`;
  const finish = (reasoningTokens: number) =>
    `data: {"candidates":[{"content":{"parts":[],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":4,"totalTokenCount":${7 + reasoningTokens},"thoughtsTokenCount":${reasoningTokens}},"modelVersion":"gemini-2.5-flash","responseId":"resp_1"}\r\n\r\n`;

  it('writes thoughts as thought parts, Gemini signatures raw, and a text signature on an empty text part', () => {
    const text = encodeStream([
      start,
      { type: 'reasoning-start', index: 0, extensions: { gemini: { thought: true } } },
      { type: 'reasoning-delta', index: 0, delta: 'Think.' },
      { type: 'reasoning-signature', index: 0, signature: 'SIG', origin: 'gemini' },
      { type: 'reasoning-end', index: 0 },
      { type: 'text-start', index: 1 },
      { type: 'text-delta', index: 1, delta: 'Done' },
      { type: 'text-end', index: 1 },
      { type: 'reasoning-start', index: 2 },
      { type: 'reasoning-signature', index: 2, signature: 'TSIG', origin: 'gemini' },
      { type: 'reasoning-end', index: 2 },
      { type: 'finish', finishReason: { unified: 'stop' }, usage: usage(3, 9, 5) },
    ]);
    expect(text).toBe(
      chunk({ text: 'Think.', thought: true }) +
        chunk({ text: '', thought: true, thoughtSignature: 'SIG' }) +
        chunk({ text: 'Done' }) +
        chunk({ text: '', thoughtSignature: 'TSIG' }) +
        finish(5),
    );
  });

  it("wraps other dialects' signatures and opaque data in an envelope; drops data of no known origin", () => {
    const text = encodeStream([
      start,
      { type: 'reasoning-start', index: 0 },
      { type: 'reasoning-delta', index: 0, delta: 'Claude thinks.' },
      { type: 'reasoning-signature', index: 0, signature: 'EqQBClaude', origin: 'anthropic-messages' },
      { type: 'reasoning-end', index: 0 },
      { type: 'reasoning-start', index: 1 },
      { type: 'reasoning-redacted', index: 1, data: 'gAAAAAB-enc', origin: 'openai-responses' },
      { type: 'reasoning-end', index: 1 },
      { type: 'reasoning-start', index: 2 },
      { type: 'reasoning-signature', index: 2, signature: 'whose?' },
      { type: 'reasoning-end', index: 2 },
      { type: 'finish', finishReason: { unified: 'stop' }, usage: usage(3, 9, 5) },
    ]);
    const signatures = parseSseText(text).flatMap((event) => JSON.parse(event.data).candidates[0].content.parts.map((part: any) => part.thoughtSignature));
    expect(signatures.filter(Boolean).map((value: string) => unwrapReasoning(value))).toEqual([
      { origin: 'anthropic-messages', signature: 'EqQBClaude' },
      { origin: 'openai-responses', redactedData: 'gAAAAAB-enc' },
    ]);
    expect(text).toContain(chunk({ text: 'Claude thinks.', thought: true }));
    expect(text).not.toContain('whose?');
  });

  it('writes a JSON array with Google framing when alt=sse is absent', () => {
    const text = encodeStream(
      [
        start,
        { type: 'text-start', index: 0 },
        { type: 'text-delta', index: 0, delta: 'Hi' },
        { type: 'text-end', index: 0 },
        { type: 'finish', finishReason: { unified: 'stop' }, usage: usage(1, 1) },
      ],
      true,
    );
    expect(text.startsWith('[{\n  "candidates": [\n')).toBe(true);
    expect(text).toContain('\n}\n,\r\n{\n  "candidates"');
    expect(text.endsWith('\n}\n]')).toBe(true);
    expect(JSON.parse(text)).toHaveLength(2);
    expect(encodeStream([start], true)).toBe('[]');
  });

  it('writes an error as a final event, closing the JSON array', () => {
    const error = new GatewayError({ status: 429, code: 'rate_limited', message: 'slow down', retryAfter: 12 });
    const body = '{"error":{"code":429,"message":"slow down","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"12s"}]}}';
    const parts: StreamPart[] = [start, { type: 'text-start', index: 0 }, { type: 'text-delta', index: 0, delta: 'a' }, { type: 'error', error }];
    expect(encodeStream(parts)).toBe(
      'data: {"candidates":[{"content":{"parts":[{"text":"a"}],"role":"model"},"index":0}],"modelVersion":"gemini-2.5-flash","responseId":"resp_1"}\r\n\r\n' +
        `data: ${body}\r\n\r\n`,
    );
    const array = encodeStream(parts, true);
    expect(JSON.parse(array)[1]).toEqual(JSON.parse(body));
    expect(array.endsWith('\n]')).toBe(true);
    const options = { model: 'm', request: { model: 'm', messages: [], stream: true } };
    expect(geminiCodec.encodeStreamError(error, options)).toBe(`data: ${body}\r\n\r\n`);
    expect(geminiCodec.encodeStreamError(error, { ...options, jsonArray: true })).toBe(`\n,\r\n${JSON.stringify(JSON.parse(body), null, 2)}\n]`);
  });
});

describe('gemini stream round trip', () => {
  const withoutNoise = (parts: StreamPart[]) =>
    parts
      .filter((part) => part.type !== 'usage')
      .map((part) => (part.type === 'response-start' ? { ...part, model: '', created: 0 } : part));

  it.each(['text.sse', 'thinking.sse', 'tool-call.sse'])('decode(encode(decode(%s))) keeps the parts', (name) => {
    const decoded = decodeStream(fixture(name));
    const again = decodeStream(encodeStream(decoded));
    // Gemini carries no call ids of its own here: the decoder invents fresh ones.
    const originalIds = decoded.flatMap((part) => (part.type === 'tool-call-start' ? [part.id] : []));
    let call = 0;
    const restored = again.map((part) => (part.type === 'tool-call-start' ? { ...part, id: originalIds[call++] } : part));
    const finish = (parts: StreamPart[]) => parts.filter((part) => part.type === 'finish');
    expect(withoutNoise(restored)).toEqual(withoutNoise(decoded));
    expect(finish(again)).toEqual(finish(decoded));
  });

  it('encode → decode keeps parts from another dialect, modulo call ids', () => {
    const parts: StreamPart[] = [
      start,
      { type: 'text-start', index: 0 },
      { type: 'text-delta', index: 0, delta: 'Checking.' },
      { type: 'text-end', index: 0 },
      { type: 'tool-call-start', index: 1, id: 'toolu_01', name: 'Bash' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{"command":"ls"}' },
      { type: 'tool-call-end', index: 1 },
      { type: 'finish', finishReason: { unified: 'tool-calls', raw: 'tool_use' }, usage: usage(10, 5) },
    ];
    const decoded = decodeStream(encodeStream(parts)).filter((part) => part.type !== 'usage');
    expect(decoded).toEqual([
      { type: 'response-start', id: 'resp_1', model: 'gemini-2.5-flash', created: expect.any(Number) },
      { type: 'text-start', index: 0 },
      { type: 'text-delta', index: 0, delta: 'Checking.' },
      { type: 'text-end', index: 0 },
      { type: 'tool-call-start', index: 1, id: expect.stringMatching(/^call_/), name: 'Bash' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{"command":"ls"}' },
      { type: 'tool-call-end', index: 1 },
      { type: 'finish', finishReason: { unified: 'tool-calls', raw: 'STOP' }, usage: usage(10, 5) },
    ]);
  });
});
