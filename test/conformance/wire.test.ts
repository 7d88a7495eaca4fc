import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueTag } from './support/fixtures.ts';
import { CONFORMANCE_KEY, type ConformanceHarness, startConformanceHarness } from './support/harness.ts';
import { UPSTREAMS, type UpstreamCase } from './support/upstreams.ts';

/**
 * Byte-level checks of what the gateway writes, over raw HTTP: framing, event names and order,
 * ids, terminators. The SDK suites prove the SDKs accept the answers; this proves the bytes are
 * the ones clients that parse by hand (agents, proxies) rely on.
 */

type Json = Record<string, any>;

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

interface WireDialect {
  name: string;
  /** Path, headers and body of a request for `model` saying `prompt`. */
  request(model: string, prompt: string, stream: boolean): { path: string; headers?: Record<string, string>; body: Json };
  /** Checks a streamed answer's bytes and returns the answer text it carried. */
  readStream(answer: RawAnswer, names: string[]): string;
  /** Checks a plain answer and returns its text. */
  readJson(body: Json, names: string[]): string;
}

/** SSE events as `event`/`data` pairs, splitting on the given frame terminator. */
function sseEvents(text: string, terminator = '\n\n'): Array<{ event?: string; data: string }> {
  expect(text.endsWith(terminator), 'the stream ends on a frame boundary').toBe(true);
  return text
    .slice(0, -terminator.length)
    .split(terminator)
    .map((frame) => {
      const lines = frame.split(terminator === '\n\n' ? '\n' : '\r\n');
      const event = lines.find((line) => line.startsWith('event: '))?.slice(7);
      const data = lines.filter((line) => line.startsWith('data: ')).map((line) => line.slice(6));
      expect(data, `one data line per frame: ${JSON.stringify(frame)}`).toHaveLength(1);
      return { event, data: data[0]! };
    });
}

function expectEventStream(answer: RawAnswer): void {
  expect(answer.status).toBe(200);
  expect(String(answer.headers['content-type'])).toMatch(/^text\/event-stream/);
}

const WIRE_DIALECTS: WireDialect[] = [
  {
    name: 'openai-chat',
    request: (model, prompt, stream) => ({
      path: '/v1/chat/completions',
      body: { model, messages: [{ role: 'user', content: prompt }], ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}) },
    }),
    readStream(answer, names) {
      expectEventStream(answer);
      const events = sseEvents(answer.text);
      expect(events.at(-1)!.data).toBe('[DONE]');
      const chunks = events.slice(0, -1).map((event) => JSON.parse(event.data) as Json);
      expect(new Set(chunks.map((chunk) => chunk.id)).size, 'one id for the whole stream').toBe(1);
      expect(chunks[0]!.id).toMatch(/^chatcmpl-/);
      for (const chunk of chunks) {
        expect(chunk.object).toBe('chat.completion.chunk');
        expect(names).toContain(chunk.model);
      }
      expect(chunks[0]!.choices[0].delta.role).toBe('assistant');
      // With include_usage: `"usage": null` on every chunk, then one last chunk with no choices and the usage.
      const usage = chunks.at(-1)!;
      expect(usage.choices).toEqual([]);
      expect(usage.usage.total_tokens).toBeGreaterThan(0);
      for (const chunk of chunks.slice(0, -1)) expect(chunk.usage).toBeNull();
      expect(chunks.filter((chunk) => chunk.choices[0]?.finish_reason).map((chunk) => chunk.choices[0].finish_reason)).toEqual(['stop']);
      return chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? '').join('');
    },
    readJson(body, names) {
      expect(body.object).toBe('chat.completion');
      expect(body.id).toMatch(/^chatcmpl-/);
      expect(names).toContain(body.model);
      expect(body.choices[0].finish_reason).toBe('stop');
      return body.choices[0].message.content;
    },
  },
  {
    name: 'openai-completions',
    request: (model, prompt, stream) => ({
      path: '/v1/completions',
      body: { model, prompt, ...(stream ? { stream: true } : {}) },
    }),
    readStream(answer, names) {
      expectEventStream(answer);
      const events = sseEvents(answer.text);
      expect(events.at(-1)!.data).toBe('[DONE]');
      const chunks = events.slice(0, -1).map((event) => JSON.parse(event.data) as Json);
      expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
      expect(chunks[0]!.id).toMatch(/^cmpl-/);
      for (const chunk of chunks) {
        expect(chunk.object).toBe('text_completion');
        expect(names).toContain(chunk.model);
      }
      expect(chunks.at(-1)!.choices[0].finish_reason).toBe('stop');
      return chunks.map((chunk) => chunk.choices[0]?.text ?? '').join('');
    },
    readJson(body, names) {
      expect(body.object).toBe('text_completion');
      expect(body.id).toMatch(/^cmpl-/);
      expect(names).toContain(body.model);
      return body.choices[0].text;
    },
  },
  {
    name: 'openai-responses',
    request: (model, prompt, stream) => ({ path: '/v1/responses', body: { model, input: prompt, ...(stream ? { stream: true } : {}) } }),
    readStream(answer, names) {
      expectEventStream(answer);
      const events = sseEvents(answer.text);
      const data = events.map((event) => JSON.parse(event.data) as Json);
      events.forEach((event, i) => {
        expect(event.event, 'the event line names the data type').toBe(data[i]!.type);
        expect(data[i]!.sequence_number).toBe(i);
      });
      expect(data.slice(0, 2).map((event) => event.type)).toEqual(['response.created', 'response.in_progress']);
      const last = data.at(-1)!;
      expect(last.type).toBe('response.completed');
      expect(last.response.id).toBe(data[0]!.response.id);
      expect(last.response.id).toMatch(/^resp_/);
      expect(names).toContain(last.response.model);
      const text = data.filter((event) => event.type === 'response.output_text.delta').map((event) => event.delta).join('');
      expect(data.find((event) => event.type === 'response.output_text.done')?.text).toBe(text);
      return text;
    },
    readJson(body, names) {
      expect(body.object).toBe('response');
      expect(body.id).toMatch(/^resp_/);
      expect(body.status).toBe('completed');
      expect(names).toContain(body.model);
      const message = body.output.find((item: Json) => item.type === 'message');
      return message.content.map((part: Json) => part.text).join('');
    },
  },
  {
    name: 'anthropic-messages',
    request: (model, prompt, stream) => ({
      path: '/v1/messages',
      headers: { 'anthropic-version': '2023-06-01' },
      body: { model, max_tokens: 256, messages: [{ role: 'user', content: prompt }], ...(stream ? { stream: true } : {}) },
    }),
    readStream(answer, names) {
      expectEventStream(answer);
      const events = sseEvents(answer.text);
      const data = events.map((event) => JSON.parse(event.data) as Json);
      events.forEach((event, i) => expect(event.event, 'the event line names the data type').toBe(data[i]!.type));
      const types = data.map((event) => event.type).filter((type) => type !== 'ping');
      expect(types[0]).toBe('message_start');
      expect(types.slice(-2)).toEqual(['message_delta', 'message_stop']);
      expect(types.slice(1, -2)).toEqual(['content_block_start', ...types.slice(2, -3).map(() => 'content_block_delta'), 'content_block_stop']);
      expect(data[0]!.message.id).toMatch(/^msg_/);
      expect(names).toContain(data[0]!.message.model);
      expect(data.find((event) => event.type === 'message_delta')!.delta.stop_reason).toBe('end_turn');
      return data.filter((event) => event.type === 'content_block_delta').map((event) => event.delta.text).join('');
    },
    readJson(body, names) {
      expect(body.type).toBe('message');
      expect(body.id).toMatch(/^msg_/);
      expect(body.role).toBe('assistant');
      expect(names).toContain(body.model);
      expect(body.stop_reason).toBe('end_turn');
      return body.content.map((block: Json) => block.text).join('');
    },
  },
  {
    name: 'gemini (SSE)',
    request: (model, prompt, stream) => ({
      path: `/v1beta/models/${model}:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`,
      body: { contents: [{ role: 'user', parts: [{ text: prompt }] }] },
    }),
    readStream(answer) {
      expectEventStream(answer);
      // Google ends every SSE frame with CRLF CRLF.
      const chunks = sseEvents(answer.text, '\r\n\r\n').map((event) => JSON.parse(event.data) as Json);
      expect(chunks.at(-1)!.candidates[0].finishReason).toBe('STOP');
      for (const chunk of chunks) expect(chunk.candidates[0].content.role).toBe('model');
      expect(chunks.at(-1)!.usageMetadata.totalTokenCount).toBeGreaterThan(0);
      return chunks.flatMap((chunk) => chunk.candidates[0].content.parts ?? []).map((part: Json) => part.text ?? '').join('');
    },
    readJson(body) {
      expect(body.candidates[0].finishReason).toBe('STOP');
      expect(body.usageMetadata.totalTokenCount).toBeGreaterThan(0);
      return body.candidates[0].content.parts.map((part: Json) => part.text ?? '').join('');
    },
  },
];

/** Gemini's streamGenerateContent without `alt=sse`: one JSON array, written as it goes. */
const GEMINI_ARRAY_STREAM: WireDialect = {
  name: 'gemini (JSON array)',
  request: (model, prompt) => ({ path: `/v1beta/models/${model}:streamGenerateContent`, body: { contents: [{ role: 'user', parts: [{ text: prompt }] }] } }),
  readStream(answer) {
    expect(answer.status).toBe(200);
    expect(String(answer.headers['content-type'])).toMatch(/^application\/json/);
    expect(answer.text.startsWith('[')).toBe(true);
    expect(answer.text.trimEnd().endsWith(']')).toBe(true);
    const chunks = JSON.parse(answer.text) as Json[];
    expect(chunks.at(-1)!.candidates[0].finishReason).toBe('STOP');
    return chunks.flatMap((chunk) => chunk.candidates[0].content.parts ?? []).map((part: Json) => part.text ?? '').join('');
  },
  readJson: () => {
    throw new Error('the JSON-array form is a stream only');
  },
};

let harness: ConformanceHarness;

beforeAll(async () => {
  harness = await startConformanceHarness();
});
afterAll(() => harness?.close());

async function send(dialect: WireDialect, upstream: UpstreamCase, stream: boolean, tag: string): Promise<RawAnswer> {
  const { path, headers, body } = dialect.request(upstream.alias, `hi ${tag}`, stream);
  const response = await request(`${harness.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${CONFORMANCE_KEY}`, ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.statusCode, headers: response.headers, text: await response.body.text() };
}

describe.each(WIRE_DIALECTS)('$name wire format', (dialect) => {
  it.each(UPSTREAMS)('streamed from $id', async (upstream) => {
    const tag = uniqueTag();
    const answer = await send(dialect, upstream, true, tag);
    expect(dialect.readStream(answer, [upstream.alias, upstream.model])).toBe(`echo: hi ${tag}`);
  });

  it.each(UPSTREAMS)('plain from $id', async (upstream) => {
    const tag = uniqueTag();
    const answer = await send(dialect, upstream, false, tag);
    expect(answer.status).toBe(200);
    expect(String(answer.headers['content-type'])).toMatch(/^application\/json/);
    expect(Number(answer.headers['content-length'])).toBe(Buffer.byteLength(answer.text));
    expect(dialect.readJson(JSON.parse(answer.text), [upstream.alias, upstream.model])).toBe(`echo: hi ${tag}`);
  });
});

describe('gemini (JSON array) wire format', () => {
  it.each(UPSTREAMS)('streamed from $id', async (upstream) => {
    const tag = uniqueTag();
    const answer = await send(GEMINI_ARRAY_STREAM, upstream, true, tag);
    expect(GEMINI_ARRAY_STREAM.readStream(answer, [])).toBe(`echo: hi ${tag}`);
  });
});
