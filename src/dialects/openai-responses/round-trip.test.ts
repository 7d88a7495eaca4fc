import { describe, expect, it } from 'vitest';
import { collectStream } from '../../ir/collect-stream.ts';
import type { CanonicalRequest } from '../../ir/request.ts';
import type { CanonicalResponse } from '../../ir/response.ts';
import type { StreamPart } from '../../ir/stream-part.ts';
import { decodeSse, plainRequest, readJsonFixture } from './__fixtures__/fixtures.ts';
import { decodeResponsesRequest } from './decode-request.ts';
import { decodeResponsesResponse } from './decode-response.ts';
import { encodeResponsesRequest } from './encode-request.ts';
import { encodeResponsesResponse } from './encode-response.ts';
import { ResponsesStreamEncoder } from './stream-encoder.ts';

/** Drops what a dialect round trip cannot carry or adds on its own: extensions and raw finish reasons. */
function withoutExtensions<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (key, inner: unknown) => (key === 'extensions' || key === 'raw' ? undefined : inner))) as T;
}

describe('round trip: requests', () => {
  it('decode(encode(request)) keeps the conversation', () => {
    const request: CanonicalRequest = {
      model: 'gpt-5',
      stream: true,
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'You are terse.' }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Describe' },
            { type: 'image', source: { kind: 'base64', mediaType: 'image/jpeg', data: '/9j/4AAQ' }, detail: 'auto' },
            { type: 'file', source: { kind: 'url', url: 'https://example.com/a.pdf' }, filename: 'a.pdf' },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Calling tools.' },
            { type: 'tool-call', id: 'call_1', name: 'a', arguments: '{"x":1}' },
            { type: 'tool-call', id: 'call_2', name: 'b', arguments: '{}' },
          ],
        },
        {
          role: 'tool',
          content: [
            { type: 'tool-result', toolCallId: 'call_1', content: [{ type: 'text', text: 'one' }] },
            { type: 'tool-result', toolCallId: 'call_2', content: [{ type: 'text', text: 'two' }] },
          ],
        },
        { role: 'system', content: [{ type: 'text', text: 'Now answer.' }] },
        { role: 'user', content: [{ type: 'text', text: 'And?' }] },
      ],
      tools: [
        { name: 'a', description: 'A', parameters: { type: 'object', properties: { x: { type: 'number' } } }, strict: false },
        { name: 'b', parameters: { type: 'object', properties: {} }, strict: true },
      ],
      toolChoice: { type: 'required' },
      parallelToolCalls: false,
      maxOutputTokens: 2000,
      temperature: 0.7,
      topP: 0.95,
      responseFormat: { type: 'json-schema', name: 'out', schema: { type: 'object' }, strict: true },
      reasoning: { enabled: true, effort: 'high', includeThoughts: true },
      user: 'u',
    };
    const decoded = decodeResponsesRequest(encodeResponsesRequest(request, { model: 'gpt-5', stream: true }), {});
    expect(withoutExtensions(decoded)).toEqual(request);
  });

  it('a Codex body survives decode → encode → decode unchanged', () => {
    const once = decodeResponsesRequest(readJsonFixture('codex-request.json'), {});
    const twice = decodeResponsesRequest(encodeResponsesRequest(once, { model: 'gpt-5-codex', stream: true }), {});
    expect(twice).toEqual(once);
  });
});

describe('round trip: responses', () => {
  it('decode(encode(response)) keeps content, finish and usage, and a foreign signature', () => {
    const response: CanonicalResponse = {
      id: 'resp_1',
      model: 'gpt-5',
      created: 1741476542,
      content: [
        { type: 'reasoning', text: 'Hmm.', signature: 'sig-1', redactedData: 'opaque-1' },
        { type: 'text', text: 'Answer.' },
        { type: 'tool-call', id: 'call_1', name: 'f', arguments: '{"a":[1,2]}' },
      ],
      finishReason: { unified: 'tool-calls' },
      usage: { inputTokens: 10, cachedInputTokens: 4, cacheWriteTokens: 2, outputTokens: 8, reasoningTokens: 3 },
    };
    const decoded = decodeResponsesResponse(encodeResponsesResponse(response, { model: 'gpt-5', request: plainRequest() }));
    expect(withoutExtensions(decoded)).toEqual(response);
  });
});

describe('round trip: streams', () => {
  const usage = { inputTokens: 30, cachedInputTokens: 10, cacheWriteTokens: 0, outputTokens: 20, reasoningTokens: 5 };
  const parts: StreamPart[] = [
    { type: 'response-start', id: 'resp_rt', model: 'gpt-5', created: 1700000000 },
    { type: 'reasoning-start', index: 0 },
    { type: 'reasoning-delta', index: 0, delta: 'First I ' },
    { type: 'reasoning-delta', index: 0, delta: 'think.' },
    { type: 'reasoning-signature', index: 0, signature: 'sig-xyz' },
    { type: 'reasoning-end', index: 0 },
    { type: 'text-start', index: 1 },
    { type: 'text-delta', index: 1, delta: 'Hello ' },
    { type: 'text-delta', index: 1, delta: 'world' },
    { type: 'text-end', index: 1 },
    { type: 'tool-call-start', index: 2, id: 'call_9', name: 'lookup' },
    { type: 'tool-call-delta', index: 2, argumentsDelta: '{"q":' },
    { type: 'tool-call-delta', index: 2, argumentsDelta: '"x"}' },
    { type: 'tool-call-end', index: 2 },
    { type: 'finish', finishReason: { unified: 'tool-calls' }, usage },
  ];

  it('parts → encoder → SSE → decoder gives the same parts', () => {
    const encoder = new ResponsesStreamEncoder({ model: 'gpt-5', request: plainRequest() });
    const text = parts.map((part) => encoder.encode(part)).join('') + encoder.end();
    expect(withoutExtensions(decodeSse(text))).toEqual(parts);
  });

  it('a custom tool call comes back with the same arguments', () => {
    const request = decodeResponsesRequest(readJsonFixture('codex-request.json'), {});
    const args = JSON.stringify({ input: '*** Begin Patch\n*** Update File: "q".txt\n@@\n-a\n+b\\n\n*** End Patch' });
    const encoder = new ResponsesStreamEncoder({ model: 'gpt-5-codex', request });
    const text = [
      { type: 'response-start', id: 'resp_c', model: 'gpt-5-codex', created: 1 },
      { type: 'tool-call-start', index: 0, id: 'call_p', name: 'apply_patch' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: args.slice(0, 7) },
      { type: 'tool-call-delta', index: 0, argumentsDelta: args.slice(7) },
      { type: 'tool-call-end', index: 0 },
      { type: 'finish', finishReason: { unified: 'tool-calls' }, usage },
    ]
      .map((part) => encoder.encode(part as StreamPart))
      .join('');
    const collected = collectStream(decodeSse(text));
    expect(collected.content).toEqual([
      { type: 'tool-call', id: 'call_p', name: 'apply_patch', arguments: args, extensions: expect.anything() },
    ]);
  });

  it('a refusal stays a refusal', () => {
    const encoder = new ResponsesStreamEncoder({ model: 'gpt-5', request: plainRequest() });
    const text = (
      [
        { type: 'response-start', id: 'resp_r', model: 'gpt-5', created: 1 },
        { type: 'text-start', index: 0, extensions: { 'openai-responses': { refusal: true } } },
        { type: 'text-delta', index: 0, delta: 'I cannot help with that.' },
        { type: 'text-end', index: 0 },
        { type: 'finish', finishReason: { unified: 'stop' }, usage },
      ] as StreamPart[]
    )
      .map((part) => encoder.encode(part))
      .join('');
    expect(text).toContain('event: response.refusal.delta');
    const [block] = collectStream(decodeSse(text)).content;
    expect(block).toMatchObject({ type: 'text', text: 'I cannot help with that.', extensions: { 'openai-responses': { refusal: true } } });
  });
});
