import { describe, expect, it } from 'vitest';
import type { DialectId } from '../../ir/dialect-id.ts';
import { responseToStreamParts } from '../../ir/collect-stream.ts';
import type { CanonicalRequest } from '../../ir/request.ts';
import type { StreamPart } from '../../ir/stream-part.ts';
import { parseSseText } from '../../transport/sse-parser.ts';
import { dialectCodecs } from '../index.ts';

/**
 * A conversation across dialects: an upstream answers with signed reasoning, a client of any dialect
 * receives it (whole or streamed), keeps the turn as its SDK would and sends it back on the next
 * request, which goes to the same upstream. That upstream must get back exactly the signatures and
 * opaque data it issued, raw, and nothing else.
 */

type Json = Record<string, any>;

interface UpstreamCase {
  dialect: DialectId;
  /** A non-streamed answer with signed reasoning, as the provider writes it. */
  answer: Json;
  issued: string[];
  /** Signatures / opaque reasoning data the upstream request carries back. */
  replayed(body: Json): string[];
}

const UPSTREAMS: UpstreamCase[] = [
  {
    dialect: 'anthropic-messages',
    answer: {
      id: 'msg_01',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [
        { type: 'thinking', thinking: 'Claude thinks.', signature: 'EqQBCkYIBxgCKkAnthropic==' },
        { type: 'redacted_thinking', data: 'EmwKAhgBEgyRedacted==' },
        { type: 'text', text: 'Answer.' },
      ],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 5, output_tokens: 7 },
    },
    // Claude checks a signature against the thinking it signed: the text must come back with it.
    issued: ['Claude thinks. EqQBCkYIBxgCKkAnthropic==', 'EmwKAhgBEgyRedacted=='],
    replayed: (body) =>
      body.messages.flatMap((message: Json) =>
        (Array.isArray(message.content) ? message.content : []).flatMap((block: Json) =>
          block.type === 'thinking' ? [`${block.thinking} ${block.signature}`] : block.type === 'redacted_thinking' ? [block.data] : [],
        ),
      ),
  },
  {
    dialect: 'gemini',
    answer: {
      candidates: [
        {
          content: { role: 'model', parts: [{ text: 'Gemini thinks.', thought: true }, { text: 'Answer.', thoughtSignature: 'CtGeminiTextSignature==' }] },
          finishReason: 'STOP',
          index: 0,
        },
      ],
      usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 2, thoughtsTokenCount: 5, totalTokenCount: 12 },
      modelVersion: 'gemini-2.5-flash',
      responseId: 'resp_g1',
    },
    // The signature goes back on the text part it came with.
    issued: ['Answer. CtGeminiTextSignature=='],
    replayed: (body) =>
      body.contents.flatMap((content: Json) =>
        content.parts.flatMap((part: Json) => (typeof part.thoughtSignature === 'string' ? [`${part.text} ${part.thoughtSignature}`] : [])),
      ),
  },
  {
    dialect: 'openai-responses',
    answer: {
      id: 'resp_1',
      object: 'response',
      created_at: 1,
      model: 'gpt-5-codex',
      status: 'completed',
      output: [
        { id: 'rs_1', type: 'reasoning', summary: [{ type: 'summary_text', text: 'OpenAI thinks.' }], encrypted_content: 'gAAAAABoEncryptedReasoning' },
        { id: 'msg_1', type: 'message', status: 'completed', role: 'assistant', content: [{ type: 'output_text', annotations: [], text: 'Answer.' }] },
      ],
      usage: { input_tokens: 5, output_tokens: 7, total_tokens: 12 },
    },
    issued: ['gAAAAABoEncryptedReasoning'],
    replayed: (body) => body.input.flatMap((item: Json) => (item.type === 'reasoning' && item.encrypted_content ? [item.encrypted_content] : [])),
  },
];

interface ClientCase {
  dialect: DialectId;
  /** The assistant turn as the client keeps it, from a whole response or from its stream. */
  turn(body: Json): unknown;
  streamedTurn(sse: string): unknown;
  nextRequest(turn: unknown): Json;
}

const events = (sse: string): Json[] => parseSseText(sse).map((event) => JSON.parse(event.data));

const CLIENTS: ClientCase[] = [
  {
    dialect: 'anthropic-messages',
    turn: (body) => body.content,
    streamedTurn(sse) {
      const blocks: Json[] = [];
      for (const event of events(sse)) {
        if (event.type === 'content_block_start') blocks[event.index] = { ...event.content_block };
        else if (event.type === 'content_block_delta') {
          const block = blocks[event.index];
          if (event.delta.type === 'text_delta') block.text += event.delta.text;
          else if (event.delta.type === 'thinking_delta') block.thinking += event.delta.thinking;
          else if (event.delta.type === 'signature_delta') block.signature = event.delta.signature;
        }
      }
      return blocks;
    },
    nextRequest: (turn) => ({
      model: 'm',
      max_tokens: 1000,
      messages: [
        { role: 'user', content: 'q' },
        { role: 'assistant', content: turn },
        { role: 'user', content: 'again' },
      ],
    }),
  },
  {
    dialect: 'gemini',
    turn: (body) => body.candidates[0].content.parts,
    // The SDK's stream gives each chunk's parts; a chat history keeps them all, in order.
    streamedTurn: (sse) => events(sse).flatMap((chunk) => chunk.candidates?.[0]?.content?.parts ?? []),
    nextRequest: (turn) => ({
      contents: [
        { role: 'user', parts: [{ text: 'q' }] },
        { role: 'model', parts: turn },
        { role: 'user', parts: [{ text: 'again' }] },
      ],
    }),
  },
  {
    dialect: 'openai-responses',
    turn: (body) => body.output,
    // Codex keeps the items of output_item.done events as its history.
    streamedTurn: (sse) => events(sse).flatMap((event) => (event.type === 'response.output_item.done' ? [event.item] : [])),
    nextRequest: (turn) => ({ model: 'm', input: [{ role: 'user', content: 'q' }, ...(turn as Json[]), { role: 'user', content: 'again' }] }),
  },
  {
    dialect: 'openai-chat',
    turn: (body) => body.choices[0].message,
    streamedTurn(sse) {
      const message: Json = { role: 'assistant', content: '' };
      for (const chunk of events(sse.replace(/data: \[DONE\]\n\n$/, ''))) {
        const delta = chunk.choices?.[0]?.delta ?? {};
        if (typeof delta.content === 'string') message.content += delta.content;
        if (typeof delta.reasoning_content === 'string') message.reasoning_content = (message.reasoning_content ?? '') + delta.reasoning_content;
      }
      return message;
    },
    nextRequest: (turn) => ({
      model: 'm',
      messages: [{ role: 'user', content: 'q' }, turn, { role: 'user', content: 'again' }],
    }),
  },
];

const request: CanonicalRequest = { model: 'm', messages: [], stream: false };

/** The upstream's answer as its own SSE, decoded by its stream decoder. */
function upstreamStreamParts(upstream: UpstreamCase): StreamPart[] {
  const codec = dialectCodecs[upstream.dialect];
  const encoder = codec.createStreamEncoder({ model: 'm', request });
  const sse = responseToStreamParts(codec.decodeResponse(upstream.answer)).map((part) => encoder.encode(part)).join('') + encoder.end();
  const decoder = codec.createStreamDecoder();
  const parts: StreamPart[] = [];
  for (const event of parseSseText(sse)) parts.push(...decoder.decode(event));
  parts.push(...decoder.flush());
  return parts;
}

function replayed(upstream: UpstreamCase, client: ClientCase, turn: unknown): string[] {
  const next = dialectCodecs[client.dialect].decodeRequest(client.nextRequest(turn), { model: 'm', stream: false });
  return upstream.replayed(dialectCodecs[upstream.dialect].encodeRequest(next, { model: 'm', stream: false }));
}

describe.each(UPSTREAMS)('reasoning signatures issued by a $dialect upstream', (upstream) => {
  describe.each(CLIENTS)('come back from a $dialect client', (client) => {
    // Chat Completions has no field for signatures or opaque reasoning: they cannot survive its round trip.
    const expected = client.dialect === 'openai-chat' ? [] : upstream.issued;

    it('after a whole response', () => {
      const response = dialectCodecs[upstream.dialect].decodeResponse(upstream.answer);
      const body = dialectCodecs[client.dialect].encodeResponse(response, { model: 'm', request }) as Json;
      expect(replayed(upstream, client, client.turn(body))).toEqual(expected);
    });

    it('after a streamed response', () => {
      const encoder = dialectCodecs[client.dialect].createStreamEncoder({ model: 'm', request: { ...request, stream: true } });
      const sse = upstreamStreamParts(upstream).map((part) => encoder.encode(part)).join('') + encoder.end();
      expect(replayed(upstream, client, client.streamedTurn(sse))).toEqual(expected);
    });
  });
});
