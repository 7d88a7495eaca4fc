import { describe, expect, it } from 'vitest';
import type { CanonicalRequest } from '../../ir/request.ts';
import type { CanonicalResponse } from '../../ir/response.ts';
import { wrapReasoning } from '../shared/reasoning-envelope.ts';
import { encodeGeminiResponse } from './encode-response.ts';
import { geminiCodec } from './index.ts';

const request: CanonicalRequest = { model: 'gemini-2.5-pro', messages: [], stream: false };

const geminiResponse = {
  candidates: [
    {
      content: {
        parts: [
          { text: '**Checking the forecast**\n\nI should call the tool.', thought: true },
          { text: 'Let me check.' },
          { functionCall: { name: 'get_weather', args: { city: 'Lyon' } }, thoughtSignature: 'CpMBAdHtim9x' },
        ],
        role: 'model',
      },
      finishReason: 'STOP',
      index: 0,
      groundingMetadata: { webSearchQueries: ['lyon weather'] },
    },
  ],
  usageMetadata: {
    promptTokenCount: 120,
    candidatesTokenCount: 30,
    totalTokenCount: 250,
    cachedContentTokenCount: 100,
    thoughtsTokenCount: 90,
    toolUsePromptTokenCount: 10,
  },
  modelVersion: 'gemini-2.5-pro',
  responseId: 'mJU3aZ2wGvGsvr0P1ovIqQk',
};

describe('gemini decodeResponse', () => {
  it('decodes thoughts, text, function calls, usage and grounding', () => {
    const response = geminiCodec.decodeResponse(geminiResponse);
    expect(response).toEqual({
      id: 'mJU3aZ2wGvGsvr0P1ovIqQk',
      model: 'gemini-2.5-pro',
      created: expect.any(Number),
      content: [
        { type: 'reasoning', text: '**Checking the forecast**\n\nI should call the tool.', extensions: { gemini: { thought: true } } },
        { type: 'text', text: 'Let me check.' },
        {
          type: 'tool-call',
          id: expect.stringMatching(/^call_[0-9a-f]{24}$/),
          name: 'get_weather',
          arguments: '{"city":"Lyon"}',
          extensions: { gemini: { thoughtSignature: 'CpMBAdHtim9x' } },
        },
      ],
      finishReason: { unified: 'tool-calls', raw: 'STOP' },
      usage: { inputTokens: 130, cachedInputTokens: 100, cacheWriteTokens: 0, outputTokens: 120, reasoningTokens: 90 },
      extensions: { gemini: { candidate: { groundingMetadata: { webSearchQueries: ['lyon weather'] } } } },
    });
  });

  it('maps finish reasons and blocked prompts', () => {
    const finish = (finishReason: string) =>
      geminiCodec.decodeResponse({ candidates: [{ content: { parts: [{ text: 'x' }], role: 'model' }, finishReason }] }).finishReason;
    expect(finish('MAX_TOKENS')).toEqual({ unified: 'length', raw: 'MAX_TOKENS' });
    expect(finish('SAFETY')).toEqual({ unified: 'content-filter', raw: 'SAFETY' });
    expect(finish('RECITATION')).toEqual({ unified: 'content-filter', raw: 'RECITATION' });
    expect(finish('MALFORMED_FUNCTION_CALL')).toEqual({ unified: 'error', raw: 'MALFORMED_FUNCTION_CALL' });
    expect(finish('LANGUAGE')).toEqual({ unified: 'other', raw: 'LANGUAGE' });
    expect(finish('SOMETHING_NEW')).toEqual({ unified: 'other', raw: 'SOMETHING_NEW' });
    const blocked = geminiCodec.decodeResponse({ promptFeedback: { blockReason: 'SAFETY' }, usageMetadata: { promptTokenCount: 4, totalTokenCount: 4 } });
    expect(blocked.content).toEqual([]);
    expect(blocked.finishReason).toEqual({ unified: 'content-filter', raw: 'SAFETY' });
    expect(() => geminiCodec.decodeResponse('oops')).toThrow('Gemini response is not a JSON object');
  });
});

describe('gemini encodeResponse', () => {
  it('encodes a response from another provider', () => {
    const response: CanonicalResponse = {
      id: 'msg_01XYZ',
      model: 'claude-sonnet-4-5',
      created: 1,
      content: [
        { type: 'reasoning', text: 'Thinking.', signature: 'AnthropicSig', origin: 'anthropic-messages' },
        { type: 'reasoning', text: '', redactedData: 'opaque', origin: 'anthropic-messages' },
        { type: 'text', text: 'Calling.' },
        { type: 'tool-call', id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Lyon"}' },
      ],
      finishReason: { unified: 'tool-calls', raw: 'tool_use' },
      usage: { inputTokens: 50, cachedInputTokens: 40, cacheWriteTokens: 5, outputTokens: 25, reasoningTokens: 10 },
    };
    expect(geminiCodec.encodeResponse(response, { model: 'gemini-2.5-pro', request })).toEqual({
      candidates: [
        {
          content: {
            parts: [
              { text: 'Thinking.', thought: true, thoughtSignature: wrapReasoning({ origin: 'anthropic-messages', signature: 'AnthropicSig' }) },
              { text: '', thought: true, thoughtSignature: wrapReasoning({ origin: 'anthropic-messages', redactedData: 'opaque' }) },
              { text: 'Calling.' },
              { functionCall: { name: 'get_weather', args: { city: 'Lyon' } } },
            ],
            role: 'model',
          },
          finishReason: 'STOP',
          index: 0,
        },
      ],
      usageMetadata: { promptTokenCount: 50, candidatesTokenCount: 15, totalTokenCount: 75, cachedContentTokenCount: 40, thoughtsTokenCount: 10 },
      modelVersion: 'gemini-2.5-pro',
      responseId: 'msg_01XYZ',
    });
  });

  it.each([
    [{ unified: 'length', raw: 'length' }, 'MAX_TOKENS'],
    [{ unified: 'content-filter', raw: 'content_filter' }, 'SAFETY'],
    [{ unified: 'content-filter', raw: 'RECITATION' }, 'RECITATION'],
    [{ unified: 'stop', raw: 'end_turn' }, 'STOP'],
    [{ unified: 'error' }, 'OTHER'],
    [{ unified: 'stop', raw: 'MAX_TOKENS' }, 'STOP'],
  ] as const)('encodes finish reason %j as %s', (finishReason, expected) => {
    const response: CanonicalResponse = {
      id: 'r',
      model: 'm',
      created: 1,
      content: [{ type: 'text', text: 'x' }],
      finishReason,
      usage: { inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 },
    };
    expect(encodeGeminiResponse(response, { model: 'm', request }).candidates[0].finishReason).toBe(expected);
  });

  it('round-trips a Gemini response', () => {
    const withId = structuredClone(geminiResponse);
    (withId.candidates[0].content.parts[2].functionCall as Record<string, unknown>).id = 'fc_7';
    withId.usageMetadata.toolUsePromptTokenCount = 0;
    withId.usageMetadata.promptTokenCount = 130;
    withId.usageMetadata.totalTokenCount = 250;
    const decoded = geminiCodec.decodeResponse(withId);
    expect(decoded.content[2]).toMatchObject({ id: 'fc_7' });
    const { toolUsePromptTokenCount: _, ...usageMetadata } = withId.usageMetadata;
    expect(geminiCodec.encodeResponse(decoded, { model: 'gemini-2.5-pro', request })).toEqual({ ...withId, usageMetadata });
  });
});
