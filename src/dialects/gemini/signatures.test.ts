import { describe, expect, it } from 'vitest';
import type { AssistantContentPart } from '../../ir/content.ts';
import type { CanonicalMessage } from '../../ir/message.ts';
import { unwrapReasoning, wrapReasoning } from '../shared/reasoning-envelope.ts';
import { geminiCodec } from './index.ts';

const user: CanonicalMessage = { role: 'user', content: [{ type: 'text', text: 'hi' }] };

function modelTurn(parts: Array<Record<string, unknown>>): CanonicalMessage {
  const request = geminiCodec.decodeRequest({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }, { role: 'model', parts }] }, { model: 'm' });
  return request.messages[1];
}

function upstreamParts(content: AssistantContentPart[]): unknown {
  const body = geminiCodec.encodeRequest({ model: 'm', stream: false, messages: [user, { role: 'assistant', content }] }, { model: 'm', stream: false });
  return (body.contents as Array<{ parts: unknown }>)[1].parts;
}

function clientParts(content: AssistantContentPart[]): Array<Record<string, unknown>> {
  const body = geminiCodec.encodeResponse(
    { id: 'r', model: 'm', created: 1, content, finishReason: { unified: 'stop' }, usage: { inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 } },
    { model: 'm', request: { model: 'm', messages: [], stream: false } },
  ) as { candidates: Array<{ content: { parts: Array<Record<string, unknown>> } }> };
  return body.candidates[0].content.parts;
}

describe('gemini thought signatures and their origin', () => {
  it('decodes the signature of a text part into a signature-only reasoning part after the text', () => {
    const response = geminiCodec.decodeResponse({
      candidates: [{ content: { parts: [{ text: 'Hm.', thought: true }, { text: 'Answer.', thoughtSignature: 'GSIG' }], role: 'model' }, finishReason: 'STOP' }],
    });
    expect(response.content).toEqual([
      { type: 'reasoning', text: 'Hm.', extensions: { gemini: { thought: true } } },
      { type: 'text', text: 'Answer.' },
      { type: 'reasoning', text: '', signature: 'GSIG', origin: 'gemini' },
    ]);
  });

  it('puts a text signature back on its text part, for a client and for the upstream', () => {
    const content: AssistantContentPart[] = [
      { type: 'text', text: 'Answer.' },
      { type: 'reasoning', text: '', signature: 'GSIG', origin: 'gemini' },
    ];
    expect(clientParts(content)).toEqual([{ text: 'Answer.', thoughtSignature: 'GSIG' }]);
    expect(upstreamParts(content)).toEqual([{ text: 'Answer.', thoughtSignature: 'GSIG' }]);
    // Came back through a client that kept it apart from the text (or there was no text): an empty part.
    expect(upstreamParts([{ type: 'reasoning', text: '', signature: 'GSIG', origin: 'gemini' }])).toEqual([{ text: '', thoughtSignature: 'GSIG' }]);
  });

  it("gives a Gemini client other dialects' data in an envelope and takes it back with its origin", () => {
    const parts = clientParts([
      { type: 'reasoning', text: 'Claude thinks.', signature: 'EqClaude', origin: 'anthropic-messages' },
      { type: 'reasoning', text: 'Summary.', redactedData: 'gAAAAAenc', origin: 'openai-responses' },
      { type: 'text', text: 'Answer.' },
    ]);
    expect(parts[0]).toEqual({ text: 'Claude thinks.', thought: true, thoughtSignature: expect.stringMatching(/^switchyard\.reasoning\.v1:/) });
    expect(unwrapReasoning(parts[1].thoughtSignature as string)).toEqual({ origin: 'openai-responses', redactedData: 'gAAAAAenc' });
    expect(modelTurn(parts).content).toEqual([
      { type: 'reasoning', text: 'Claude thinks.', signature: 'EqClaude', origin: 'anthropic-messages', extensions: { gemini: { thought: true } } },
      { type: 'reasoning', text: 'Summary.', redactedData: 'gAAAAAenc', origin: 'openai-responses', extensions: { gemini: { thought: true } } },
      { type: 'text', text: 'Answer.' },
    ]);
  });

  it('joins a streamed foreign thought back into the signed text its envelope closes', () => {
    const turn = modelTurn([
      { text: 'Claude ', thought: true },
      { text: 'thinks.', thought: true },
      { text: '', thought: true, thoughtSignature: wrapReasoning({ origin: 'anthropic-messages', signature: 'EqClaude' }) },
      { text: 'Answer.' },
    ]);
    expect(turn.content).toEqual([
      { type: 'reasoning', text: 'Claude thinks.', signature: 'EqClaude', origin: 'anthropic-messages', extensions: { gemini: { thought: true } } },
      { type: 'text', text: 'Answer.' },
    ]);
  });

  it('keeps streamed Gemini thoughts as they came: only a foreign signature joins them', () => {
    const turn = modelTurn([
      { text: 'A', thought: true },
      { text: '', thought: true, thoughtSignature: 'GSIG' },
    ]);
    expect(turn.content).toEqual([
      { type: 'reasoning', text: 'A', extensions: { gemini: { thought: true } } },
      { type: 'reasoning', text: '', signature: 'GSIG', origin: 'gemini', extensions: { gemini: { thought: true } } },
    ]);
  });

  it("sends the upstream only Gemini's own signatures and thoughts", () => {
    expect(
      upstreamParts([
        { type: 'reasoning', text: 'Claude thinks.', signature: 'EqClaude', origin: 'anthropic-messages' },
        { type: 'reasoning', text: '', redactedData: 'gAAAAAenc', origin: 'openai-responses' },
        // A Gemini thought that came back through another client lost its `thought` mark, not its origin.
        { type: 'reasoning', text: 'Gemini thinks.', signature: 'GTHOUGHT', origin: 'gemini' },
        { type: 'text', text: 'Answer.' },
        { type: 'reasoning', text: '', signature: 'GSIG', origin: 'gemini' },
      ]),
    ).toEqual([{ text: 'Gemini thinks.', thought: true, thoughtSignature: 'GTHOUGHT' }, { text: 'Answer.', thoughtSignature: 'GSIG' }]);
  });
});
