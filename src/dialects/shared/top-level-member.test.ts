import { describe, expect, it } from 'vitest';
import { dialectCodecs } from '../index.ts';
import { responseUsageReader } from './top-level-member.ts';

const readUsage = responseUsageReader('usage', (member) => member as never);
const bytes = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

describe('responseUsageReader', () => {
  it('reads the top-level member wherever it stands, with any spacing', () => {
    expect(readUsage(bytes({ id: 'x', usage: { a: 1 }, tail: [1, { b: '}' }] }))).toEqual({ a: 1 });
    expect(readUsage(bytes('{ "usage" :\n { "a" : [1, 2] } \n}\n'))).toEqual({ a: [1, 2] });
    expect(readUsage(bytes({ usage: { nested: { deep: '"usage":{}' } } }))).toEqual({ nested: { deep: '"usage":{}' } });
  });

  it('keeps the last of duplicate keys, as JSON.parse does', () => {
    expect(readUsage(bytes('{"usage":{"a":1},"x":0,"usage":{"a":2}}'))).toEqual({ a: 2 });
  });

  it('is not fooled by the key inside a string', () => {
    const body = bytes({ content: 'say "usage": {"a": 9} please', usage: { a: 1 }, after: 'the "usage":{"a":7} again' });
    expect(readUsage(body)).toEqual({ a: 1 });
    expect(readUsage(bytes({ content: 'only "usage": {"a": 9} in text' }))).toBeUndefined();
    expect(readUsage(bytes({ 'x\\"usage': { a: 9 } }))).toBeUndefined();
    expect(readUsage(bytes({ 'x\\': 0, usage: { a: 3 } }))).toEqual({ a: 3 });
  });

  it('gives up on a nested key, a non-object value and malformed bytes', () => {
    expect(readUsage(bytes({ choices: [{ usage: { a: 9 } }] }))).toBeUndefined();
    expect(readUsage(bytes({ meta: { usage: { a: 9 } }, id: 'x' }))).toBeUndefined();
    expect(readUsage(bytes([{ usage: { a: 9 } }]))).toBeUndefined();
    expect(readUsage(bytes({ usage: null }))).toBeUndefined();
    expect(readUsage(bytes({ usage: [1] }))).toBeUndefined();
    expect(readUsage(bytes('{"usage":{"a":1}'))).toBeUndefined();
    expect(readUsage(bytes('{"usage":{"a":1}}}'))).toBeUndefined();
    expect(readUsage(bytes('{"usage":{"a":1,}}'))).toBeUndefined();
    expect(readUsage(bytes('{"usage":{"a":"open}}'))).toBeUndefined();
    expect(readUsage(bytes(''))).toBeUndefined();
  });
});

/** One real-shaped plain answer per dialect: the reader must agree with the full decode. */
const ANSWERS = {
  'openai-chat': {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    model: 'gpt-4o-mini',
    choices: [{ index: 0, message: { role: 'assistant', content: 'The "usage": {"prompt_tokens": 999} is text.' }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 76, completion_tokens: 27, total_tokens: 103, prompt_tokens_details: { cached_tokens: 12 }, completion_tokens_details: { reasoning_tokens: 5 } },
    system_fingerprint: 'fp_1',
  },
  'anthropic-messages': {
    id: 'msg_1',
    type: 'message',
    role: 'assistant',
    model: 'claude-sonnet-4-5',
    content: [{ type: 'text', text: 'hello' }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 40, cache_read_input_tokens: 30, cache_creation_input_tokens: 6, output_tokens: 12 },
  },
  gemini: {
    candidates: [{ content: { role: 'model', parts: [{ text: 'hi' }] }, finishReason: 'STOP', index: 0 }],
    usageMetadata: { promptTokenCount: 50, candidatesTokenCount: 8, thoughtsTokenCount: 4, totalTokenCount: 62 },
    modelVersion: 'gemini-2.5-flash',
    responseId: 'r1',
  },
  'openai-responses': {
    id: 'resp_1',
    object: 'response',
    status: 'completed',
    model: 'gpt-5',
    output: [{ type: 'message', id: 'msg_1', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'ok', annotations: [] }] }],
    usage: { input_tokens: 20, input_tokens_details: { cached_tokens: 4 }, output_tokens: 9, output_tokens_details: { reasoning_tokens: 3 }, total_tokens: 29 },
    user: null,
    metadata: {},
  },
} as const;

describe('readResponseUsage of each dialect', () => {
  for (const [dialect, answer] of Object.entries(ANSWERS)) {
    it(`${dialect}: the same usage as decoding the whole answer`, () => {
      const codec = dialectCodecs[dialect as keyof typeof ANSWERS];
      const usage = codec.readResponseUsage(bytes(answer));
      expect(usage).toBeDefined();
      expect(usage).toEqual(codec.decodeResponse(answer).usage);
    });
  }
});
