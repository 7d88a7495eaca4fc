import { describe, expect, it } from 'vitest';
import {
  decodeGeminiCountTokensRequest,
  decodeGeminiEmbedContentRequest,
  encodeGeminiCountTokensResponse,
  encodeGeminiEmbedContentResponse,
  encodeGeminiModelsList,
} from './index.ts';

describe('gemini countTokens', () => {
  it('decodes both body shapes', () => {
    const contents = [{ role: 'user', parts: [{ text: 'How many tokens?' }] }];
    const expected = { model: 'gemini-2.5-flash', stream: false, messages: [{ role: 'user', content: [{ type: 'text', text: 'How many tokens?' }] }] };
    expect(decodeGeminiCountTokensRequest({ contents }, 'gemini-2.5-flash')).toEqual(expected);
    expect(
      decodeGeminiCountTokensRequest(
        { generateContentRequest: { model: 'models/gemini-2.5-flash', contents, systemInstruction: { parts: [{ text: 'sys' }] } } },
        'gemini-2.5-flash',
      ),
    ).toEqual({ ...expected, messages: [{ role: 'system', content: [{ type: 'text', text: 'sys' }] }, ...expected.messages] });
    expect(encodeGeminiCountTokensResponse(42)).toEqual({ totalTokens: 42 });
  });
});

describe('gemini embedContent', () => {
  it('decodes one content into one input', () => {
    expect(
      decodeGeminiEmbedContentRequest({
        model: 'models/gemini-embedding-001',
        content: { parts: [{ text: 'What is the meaning of life?' }] },
        taskType: 'RETRIEVAL_QUERY',
        outputDimensionality: 768,
      }),
    ).toEqual({ texts: ['What is the meaning of life?'], dimensions: 768 });
    expect(decodeGeminiEmbedContentRequest({ content: { parts: [{ text: 'a' }, { text: 'b' }] } })).toEqual({ texts: ['a\nb'] });
    expect(() => decodeGeminiEmbedContentRequest({ content: { parts: [{ inlineData: {} }] } })).toThrow('only text parts can be embedded');
    expect(() => decodeGeminiEmbedContentRequest({})).toThrow('content.parts: must be an array');
    expect(encodeGeminiEmbedContentResponse([0.1, -0.2])).toEqual({ embedding: { values: [0.1, -0.2] } });
  });
});

describe('gemini models list', () => {
  it('lists models the way /v1beta/models does', () => {
    expect(encodeGeminiModelsList([{ id: 'gemini-2.5-pro', displayName: 'Gemini 2.5 Pro' }, { id: 'claude-sonnet-4-5' }])).toEqual({
      models: [
        {
          name: 'models/gemini-2.5-pro',
          version: '001',
          displayName: 'Gemini 2.5 Pro',
          description: 'Gemini 2.5 Pro via Switchyard',
          inputTokenLimit: 1048576,
          outputTokenLimit: 65536,
          supportedGenerationMethods: ['generateContent', 'streamGenerateContent', 'countTokens'],
        },
        {
          name: 'models/claude-sonnet-4-5',
          version: '001',
          displayName: 'claude-sonnet-4-5',
          description: 'claude-sonnet-4-5 via Switchyard',
          inputTokenLimit: 1048576,
          outputTokenLimit: 65536,
          supportedGenerationMethods: ['generateContent', 'streamGenerateContent', 'countTokens'],
        },
      ],
    });
  });
});
