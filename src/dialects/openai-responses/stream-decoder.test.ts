import { describe, expect, it } from 'vitest';
import { collectStream } from '../../ir/collect-stream.ts';
import { GatewayError } from '../../ir/gateway-error.ts';
import type { StreamPart } from '../../ir/stream-part.ts';
import { decodeSse, readFixture } from './__fixtures__/fixtures.ts';
import { wrapReasoning } from '../shared/reasoning-envelope.ts';
import { ResponsesStreamDecoder } from './stream-decoder.ts';

function sse(events: Array<Record<string, unknown>>): string {
  return events.map((event) => `event: ${String(event.type)}\ndata: ${JSON.stringify(event)}\n\n`).join('');
}

const usageZero = { inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 };

describe('ResponsesStreamDecoder on recorded-shape streams', () => {
  it('decodes plain text', () => {
    const msg = 'msg_68a1f0c35b6c8190a7e2d4c6b8f0a1c30e6f2a7c9d1b3e5f';
    expect(decodeSse(readFixture('text.sse'))).toEqual([
      { type: 'response-start', id: 'resp_68a1f0c2d4e08190b3c5e0f7a2d9c41b0e6f2a7c9d1b3e5f', model: 'gpt-4.1-2025-04-14', created: 1755443394 },
      { type: 'text-start', index: 0, extensions: { 'openai-responses': { id: msg } } },
      { type: 'text-delta', index: 0, delta: 'Hello' },
      { type: 'text-delta', index: 0, delta: '! How can' },
      { type: 'text-delta', index: 0, delta: ' I help? ✨' },
      { type: 'text-end', index: 0 },
      {
        type: 'finish',
        finishReason: { unified: 'stop', raw: 'completed' },
        usage: { inputTokens: 12, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 9, reasoningTokens: 0 },
      },
    ]);
  });

  it('decodes a tool call with streamed arguments', () => {
    expect(decodeSse(readFixture('tool-call.sse'))).toEqual([
      { type: 'response-start', id: 'resp_0b7e2f41a9c3d5e8', model: 'gpt-4.1-2025-04-14', created: 1755443500 },
      {
        type: 'tool-call-start',
        index: 0,
        id: 'call_Xq4mN8pRt2vW6yZa',
        name: 'get_weather',
        extensions: { 'openai-responses': { id: 'fc_0b7e2f41a9c3d5e8aa01' } },
      },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"ci' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: 'ty":"Par' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: 'is"}' },
      { type: 'tool-call-end', index: 0 },
      {
        type: 'finish',
        finishReason: { unified: 'tool-calls', raw: 'completed' },
        usage: { inputTokens: 58, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 16, reasoningTokens: 0 },
      },
    ]);
  });

  it('decodes reasoning summaries into one block with its encrypted content, then the answer', () => {
    const summary = [
      { type: 'summary_text', text: '**Comparing numbers**\n\n9.11 vs 9.9: compare tenths.' },
      { type: 'summary_text', text: '**Answering**' },
    ];
    expect(decodeSse(readFixture('reasoning.sse'))).toEqual([
      { type: 'response-start', id: 'resp_4c1d9e7b2a6f3081', model: 'gpt-5-2025-08-07', created: 1755443600 },
      { type: 'reasoning-start', index: 0, extensions: { 'openai-responses': { id: 'rs_4c1d9e7b2a6f3081bb10' } } },
      { type: 'reasoning-delta', index: 0, delta: '**Comparing numbers**' },
      { type: 'reasoning-delta', index: 0, delta: '\n\n9.11 vs 9.9: compare tenths.' },
      { type: 'reasoning-delta', index: 0, delta: '\n\n' },
      { type: 'reasoning-delta', index: 0, delta: '**Answering**' },
      { type: 'reasoning-redacted', index: 0, data: 'gAAAAABoq1Zc8sR3-enc-blob-1', origin: 'openai-responses' },
      {
        type: 'reasoning-end',
        index: 0,
        extensions: { 'openai-responses': { summary, id: 'rs_4c1d9e7b2a6f3081bb10' } },
      },
      { type: 'text-start', index: 1, extensions: { 'openai-responses': { id: 'msg_4c1d9e7b2a6f3081cc20' } } },
      { type: 'text-delta', index: 1, delta: '9.9 is larger.' },
      { type: 'text-end', index: 1 },
      {
        type: 'finish',
        finishReason: { unified: 'stop', raw: 'completed' },
        usage: { inputTokens: 1200, cachedInputTokens: 1024, cacheWriteTokens: 0, outputTokens: 180, reasoningTokens: 128 },
      },
    ]);
  });

  it('takes Codex data that only output_item.done carries, and streams custom tool input as JSON', () => {
    const parts = decodeSse(readFixture('codex-items-on-done.sse'));
    const patch = '*** Begin Patch\n*** Add File: a.txt\n+hi "there"\n*** End Patch';
    expect(parts).toEqual([
      { type: 'response-start', id: 'resp_9d2e6a4f8b1c3057', model: 'gpt-5-codex', created: 1755443700 },
      { type: 'reasoning-start', index: 0, extensions: { 'openai-responses': { id: 'rs_9d2e6a4f8b1c3057aa00' } } },
      { type: 'reasoning-delta', index: 0, delta: '**Inspecting the repository**' },
      { type: 'reasoning-redacted', index: 0, data: 'gAAAAABoq-complete-blob', origin: 'openai-responses' },
      { type: 'reasoning-end', index: 0, extensions: { 'openai-responses': { id: 'rs_9d2e6a4f8b1c3057aa00' } } },
      {
        type: 'tool-call-start',
        index: 1,
        id: 'call_H7kP2sQ9wE4rT1yU',
        name: 'shell',
        extensions: { 'openai-responses': { id: 'fc_9d2e6a4f8b1c3057bb11' } },
      },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{"command":["bash","-lc","ls -la"],"workdir":"/repo"}' },
      { type: 'tool-call-end', index: 1 },
      {
        type: 'tool-call-start',
        index: 2,
        id: 'call_P0oI9uY8tR7eW6qA',
        name: 'apply_patch',
        extensions: { 'openai-responses': { custom: true, id: 'ctc_9d2e6a4f8b1c3057cc22' } },
      },
      { type: 'tool-call-delta', index: 2, argumentsDelta: '{"input":"' },
      { type: 'tool-call-delta', index: 2, argumentsDelta: '*** Begin Patch\\n*** Add File: a.txt\\n' },
      { type: 'tool-call-delta', index: 2, argumentsDelta: '+hi \\"there\\"\\n*** End Patch' },
      { type: 'tool-call-delta', index: 2, argumentsDelta: '"}' },
      { type: 'tool-call-end', index: 2 },
      {
        type: 'finish',
        finishReason: { unified: 'tool-calls', raw: 'completed' },
        usage: { inputTokens: 5021, cachedInputTokens: 4864, cacheWriteTokens: 0, outputTokens: 311, reasoningTokens: 256 },
      },
    ]);
    // The non-streamed answer a Codex upstream gives through the collector.
    const response = collectStream(parts);
    expect(response.content[2]).toEqual({
      type: 'tool-call',
      id: 'call_P0oI9uY8tR7eW6qA',
      name: 'apply_patch',
      arguments: JSON.stringify({ input: patch }),
      extensions: { 'openai-responses': { custom: true, id: 'ctc_9d2e6a4f8b1c3057cc22' } },
    });
    expect(response.content[0]).toEqual({
      type: 'reasoning',
      text: '**Inspecting the repository**',
      redactedData: 'gAAAAABoq-complete-blob',
      origin: 'openai-responses',
      extensions: { 'openai-responses': { id: 'rs_9d2e6a4f8b1c3057aa00' } },
    });
  });

  it('reports a cut stream as an error, never a silent truncation', () => {
    const parts = decodeSse(readFixture('cut.sse'));
    expect(parts.slice(0, -1)).toEqual([
      { type: 'response-start', id: 'resp_1a2b3c4d5e6f7081', model: 'gpt-4.1-2025-04-14', created: 1755443800 },
      { type: 'text-start', index: 0, extensions: { 'openai-responses': { id: 'msg_1a2b3c4d5e6f7081dd30' } } },
      { type: 'text-delta', index: 0, delta: 'The answer is' },
    ]);
    const last = parts.at(-1) as Extract<StreamPart, { type: 'error' }>;
    expect(last.type).toBe('error');
    expect(last.error).toBeInstanceOf(GatewayError);
    expect(last.error).toMatchObject({ status: 502, code: 'upstream_error', message: 'upstream stream ended before completion' });
  });

  it('reports response.failed with the upstream code and retry delay', () => {
    const parts = decodeSse(readFixture('failed.sse'));
    expect(parts).toHaveLength(2);
    const error = (parts[1] as Extract<StreamPart, { type: 'error' }>).error;
    expect(error).toMatchObject({ status: 429, code: 'rate_limited', upstreamType: 'rate_limit_exceeded', retryAfter: 3 });
    expect(error.message).toMatch(/^Rate limit reached for gpt-4o/);
  });

  it('reports an error event', () => {
    const parts = decodeSse(readFixture('error-event.sse'));
    const error = (parts[1] as Extract<StreamPart, { type: 'error' }>).error;
    expect(error).toMatchObject({ status: 400, code: 'invalid_request', upstreamType: 'context_length_exceeded' });
    // The nested form some servers send, before anything else: no response is invented.
    const nested = decodeSse(sse([{ type: 'error', sequence_number: 0, error: { code: 'server_error', message: 'boom', param: null } }]));
    expect(nested).toHaveLength(1);
    expect((nested[0] as Extract<StreamPart, { type: 'error' }>).error).toMatchObject({ status: 502, message: 'boom', upstreamType: 'server_error' });
  });

  it('maps response.incomplete for max_output_tokens to length', () => {
    const parts = decodeSse(readFixture('incomplete.sse'));
    expect(parts.at(-1)).toEqual({
      type: 'finish',
      finishReason: { unified: 'length', raw: 'max_output_tokens' },
      usage: { inputTokens: 20, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 16, reasoningTokens: 0 },
    });
    expect(parts.filter((part) => part.type === 'text-delta')).toHaveLength(1);
  });
});

describe('ResponsesStreamDecoder robustness', () => {
  it('serialises interleaved items by output_index', () => {
    const parts = decodeSse(
      sse([
        { type: 'response.created', response: { id: 'resp_1', model: 'm', created_at: 1 } },
        { type: 'response.output_item.added', output_index: 0, item: { id: 'fc_a', type: 'function_call', call_id: 'call_a', name: 'a', arguments: '' } },
        { type: 'response.output_item.added', output_index: 1, item: { id: 'fc_b', type: 'function_call', call_id: 'call_b', name: 'b', arguments: '' } },
        { type: 'response.function_call_arguments.delta', output_index: 1, item_id: 'fc_b', delta: '{"y":' },
        { type: 'response.function_call_arguments.delta', output_index: 0, item_id: 'fc_a', delta: '{"x":1}' },
        { type: 'response.function_call_arguments.delta', output_index: 1, item_id: 'fc_b', delta: '2}' },
        { type: 'response.output_item.done', output_index: 1, item: { id: 'fc_b', type: 'function_call', call_id: 'call_b', name: 'b', arguments: '{"y":2}' } },
        { type: 'response.output_item.done', output_index: 0, item: { id: 'fc_a', type: 'function_call', call_id: 'call_a', name: 'a', arguments: '{"x":1}' } },
        { type: 'response.completed', response: { id: 'resp_1', status: 'completed', output: [] } },
      ]),
    );
    expect(parts.map((part) => [part.type, 'index' in part ? part.index : undefined])).toEqual([
      ['response-start', undefined],
      ['tool-call-start', 0],
      ['tool-call-delta', 0],
      ['tool-call-end', 0],
      ['tool-call-start', 1],
      ['tool-call-delta', 1],
      ['tool-call-delta', 1],
      ['tool-call-end', 1],
      ['finish', undefined],
    ]);
    expect(collectStream(parts).content.map((part) => (part.type === 'tool-call' ? part.arguments : ''))).toEqual(['{"x":1}', '{"y":2}']);
  });

  it('rebuilds the answer from response.completed when no item was streamed', () => {
    const parts = decodeSse(
      sse([
        {
          type: 'response.completed',
          response: {
            id: 'resp_2',
            model: 'm',
            created_at: 2,
            status: 'completed',
            output: [{ id: 'msg_2', type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Hi' }] }],
            usage: { input_tokens: 3, output_tokens: 1, total_tokens: 4 },
          },
        },
      ]),
    );
    expect(parts).toEqual([
      { type: 'response-start', id: 'resp_2', model: 'm', created: 2 },
      { type: 'text-start', index: 0, extensions: { 'openai-responses': { id: 'msg_2' } } },
      { type: 'text-delta', index: 0, delta: 'Hi' },
      { type: 'text-end', index: 0 },
      { type: 'finish', finishReason: { unified: 'stop', raw: 'completed' }, usage: { ...usageZero, inputTokens: 3, outputTokens: 1 } },
    ]);
  });

  it('uses done texts when no delta came, and never doubles them', () => {
    const parts = decodeSse(
      sse([
        { type: 'response.created', response: { id: 'resp_3', model: 'm', created_at: 3 } },
        { type: 'response.output_item.added', output_index: 0, item: { id: 'msg_3', type: 'message', role: 'assistant', content: [] } },
        { type: 'response.content_part.added', output_index: 0, item_id: 'msg_3', content_index: 0, part: { type: 'output_text', text: '' } },
        { type: 'response.output_text.done', output_index: 0, item_id: 'msg_3', content_index: 0, text: 'Whole' },
        { type: 'response.content_part.done', output_index: 0, item_id: 'msg_3', content_index: 0, part: { type: 'output_text', text: 'Whole' } },
        { type: 'response.output_item.done', output_index: 0, item: { id: 'msg_3', type: 'message', content: [{ type: 'output_text', text: 'Whole' }] } },
        { type: 'response.completed', response: { status: 'completed' } },
      ]),
    );
    expect(collectStream(parts).content).toEqual([{ type: 'text', text: 'Whole', extensions: { 'openai-responses': { id: 'msg_3' } } }]);
  });

  it('reads raw reasoning_text deltas and unwraps a chained Switchyard envelope', () => {
    const parts = decodeSse(
      sse([
        { type: 'response.created', response: { id: 'resp_4', model: 'm', created_at: 4 } },
        { type: 'response.output_item.added', output_index: 0, item: { id: 'rs_x', type: 'reasoning', summary: [] } },
        { type: 'response.reasoning_text.delta', output_index: 0, item_id: 'rs_x', content_index: 0, delta: 'raw thought' },
        {
          type: 'response.output_item.done',
          output_index: 0,
          item: { id: 'rs_x', type: 'reasoning', summary: [], content: [{ type: 'reasoning_text', text: 'raw thought' }], encrypted_content: wrapReasoning({ origin: 'gemini', signature: 'sig-1' }) },
        },
        { type: 'response.completed', response: { status: 'completed' } },
      ]),
    );
    expect(collectStream(parts).content).toEqual([
      { type: 'reasoning', text: 'raw thought', signature: 'sig-1', origin: 'gemini', extensions: { 'openai-responses': { fromContent: true } } },
    ]);
  });

  it('forwards deltas as they arrive, whatever non-item events come between', () => {
    const decoder = new ResponsesStreamDecoder();
    const feed = (event: Record<string, unknown>) => decoder.decode({ event: String(event.type), data: JSON.stringify(event) });
    feed({ type: 'response.created', response: { id: 'resp_5', model: 'm', created_at: 5 } });
    expect(feed({ type: 'codex.rate_limits', primary: { used_percent: 3 } })).toEqual([]);
    expect(feed({ type: 'response.metadata', note: 'x' })).toEqual([]);
    feed({ type: 'response.output_item.added', output_index: 0, item: { id: 'msg_5', type: 'message', content: [] } });
    expect(feed({ type: 'response.output_text.delta', output_index: 0, item_id: 'msg_5', content_index: 0, delta: 'now' })).toEqual([
      { type: 'text-start', index: 0, extensions: { 'openai-responses': { id: 'msg_5' } } },
      { type: 'text-delta', index: 0, delta: 'now' },
    ]);
  });

  it('ignores keep-alives, [DONE] and events after the end', () => {
    const text = `: keep-alive\n\ndata: [DONE]\n\n${readFixture('text.sse')}event: response.output_text.delta\ndata: {"type":"response.output_text.delta","output_index":0,"delta":"late"}\n\n`;
    const parts = decodeSse(text);
    expect(parts.at(-1)?.type).toBe('finish');
    expect(parts.filter((part) => part.type === 'text-delta')).toHaveLength(3);
  });
});
