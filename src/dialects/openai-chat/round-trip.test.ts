import { describe, expect, it } from 'vitest';
import { collectStream, responseToStreamParts } from '../../ir/collect-stream.ts';
import type { CanonicalRequest } from '../../ir/request.ts';
import type { CanonicalResponse } from '../../ir/response.ts';
import type { StreamPart } from '../../ir/stream-part.ts';
import { parseSseText } from '../../transport/sse-parser.ts';
import { openaiChatCodec } from './index.ts';

const usage = { inputTokens: 300, cachedInputTokens: 128, cacheWriteTokens: 0, outputTokens: 75, reasoningTokens: 25 };

function streamThrough(parts: StreamPart[], request: CanonicalRequest): StreamPart[] {
  const encoder = openaiChatCodec.createStreamEncoder({ model: 'client-model', request });
  const text = parts.map((part) => encoder.encode(part)).join('') + encoder.end();
  const decoder = openaiChatCodec.createStreamDecoder();
  return [...parseSseText(text).flatMap((event) => decoder.decode(event)), ...decoder.flush()];
}

describe('openai-chat round trips', () => {
  it('request: wire body → decode → encode gives the same body back', () => {
    const wire = {
      model: 'gpt-4.1',
      messages: [
        { role: 'developer', content: 'Rules.' },
        { role: 'user', name: 'bob', content: [{ type: 'text', text: 'See' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA', detail: 'low' } }] },
        { role: 'assistant', content: 'Ok.', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: 'done' },
        { role: 'assistant', content: 'Final', reasoning_content: 'thought' },
        { role: 'user', content: 'more' },
      ],
      tools: [{ type: 'function', function: { name: 'f', description: 'F', parameters: { type: 'object', properties: { a: { type: 'integer' } } }, strict: false } }],
      tool_choice: 'required',
      parallel_tool_calls: true,
      max_completion_tokens: 900,
      temperature: 1,
      top_p: 0.9,
      stop: ['x', 'y'],
      response_format: { type: 'json_schema', json_schema: { name: 'out', description: 'd', schema: { type: 'object' }, strict: true } },
      reasoning_effort: 'low',
      user: 'u1',
      seed: 1,
      presence_penalty: 0.5,
      stream: true,
      stream_options: { include_usage: true },
    };
    const decoded = openaiChatCodec.decodeRequest(wire, {});
    expect(openaiChatCodec.encodeRequest(decoded, { model: 'gpt-4.1', stream: true })).toEqual(wire);
  });

  it('request: canonical → encode → decode gives the same canonical request', () => {
    const request: CanonicalRequest = {
      model: 'gpt-4o',
      stream: false,
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'sys' }] },
        { role: 'user', content: [{ type: 'text', text: 'q' }, { type: 'file', filename: 'a.pdf', source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBE' } }] },
        { role: 'assistant', content: [{ type: 'tool-call', id: 'call_9', name: 'lookup', arguments: '{}' }] },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_9', name: 'lookup', content: [{ type: 'text', text: 'r' }] }] },
      ],
      tools: [{ name: 'lookup', parameters: { type: 'object', properties: {} } }],
      toolChoice: { type: 'tool', name: 'lookup' },
      maxOutputTokens: 64,
      responseFormat: { type: 'json' },
    };
    const wire = openaiChatCodec.encodeRequest(request, { model: 'gpt-4o', stream: false });
    expect(openaiChatCodec.decodeRequest(wire, {})).toEqual(request);
  });

  it('response: canonical → encode → decode keeps content, finish reason and usage', () => {
    const response: CanonicalResponse = {
      id: 'chatcmpl-rt1',
      model: 'client-model',
      created: 1744626189,
      content: [
        { type: 'reasoning', text: 'think', extensions: { 'openai-chat': { field: 'reasoning_content' } } },
        { type: 'text', text: 'answer' },
        { type: 'tool-call', id: 'call_1', name: 'f', arguments: '{"x":true}' },
      ],
      finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
      usage,
    };
    const wire = openaiChatCodec.encodeResponse(response, { model: 'client-model', request: { model: 'client-model', stream: false, messages: [] } });
    expect(openaiChatCodec.decodeResponse(wire)).toEqual(response);
  });

  it('stream: parts → encoder → SSE → decoder gives the same parts', () => {
    const parts: StreamPart[] = [
      { type: 'response-start', id: 'chatcmpl-rt2', model: 'client-model', created: 1744626189 },
      { type: 'reasoning-start', index: 0 },
      { type: 'reasoning-delta', index: 0, delta: 'Think ' },
      { type: 'reasoning-delta', index: 0, delta: 'more.' },
      { type: 'reasoning-end', index: 0 },
      { type: 'text-start', index: 1 },
      { type: 'text-delta', index: 1, delta: 'Calling ' },
      { type: 'text-delta', index: 1, delta: 'tools.' },
      { type: 'text-end', index: 1 },
      { type: 'tool-call-start', index: 2, id: 'call_a', name: 'read' },
      { type: 'tool-call-delta', index: 2, argumentsDelta: '{"p":' },
      { type: 'tool-call-delta', index: 2, argumentsDelta: '"x"}' },
      { type: 'tool-call-end', index: 2 },
      { type: 'tool-call-start', index: 3, id: 'call_b', name: 'list' },
      { type: 'tool-call-delta', index: 3, argumentsDelta: '{}' },
      { type: 'tool-call-end', index: 3 },
      { type: 'finish', finishReason: { unified: 'tool-calls', raw: 'tool_calls' }, usage },
    ];
    const request: CanonicalRequest = { model: 'client-model', stream: true, messages: [], extensions: { 'openai-chat': { includeUsage: true } } };
    expect(streamThrough(parts, request)).toEqual(parts);
  });

  it('stream: a response streamed and collected again equals the response', () => {
    const response: CanonicalResponse = {
      id: 'chatcmpl-rt3',
      model: 'client-model',
      created: 1744626189,
      content: [{ type: 'text', text: 'plain answer' }],
      finishReason: { unified: 'length', raw: 'length' },
      usage,
    };
    const request: CanonicalRequest = { model: 'client-model', stream: true, messages: [], extensions: { 'openai-chat': { includeUsage: true } } };
    expect(collectStream(streamThrough(responseToStreamParts(response), request))).toEqual(response);
  });

  it('stream: without include_usage the usage is not on the wire, so it comes back empty', () => {
    const parts = streamThrough(
      [
        { type: 'response-start', id: 'chatcmpl-rt4', model: 'm', created: 1 },
        { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage },
      ],
      { model: 'm', stream: true, messages: [] },
    );
    expect(parts.at(-1)).toEqual({
      type: 'finish',
      finishReason: { unified: 'stop', raw: 'stop' },
      usage: { inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 },
    });
  });
});
