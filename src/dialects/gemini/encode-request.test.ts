import { describe, expect, it } from 'vitest';
import type { CanonicalRequest } from '../../ir/request.ts';
import { geminiCodec } from './index.ts';

const encode = (request: CanonicalRequest, model = 'gemini-2.5-flash') => geminiCodec.encodeRequest(request, { model, stream: true });

/** What an Anthropic or OpenAI client's tool loop looks like once decoded. */
const foreignRequest: CanonicalRequest = {
  model: 'claude-sonnet-4-5',
  stream: true,
  messages: [
    { role: 'system', content: [{ type: 'text', text: 'You are Claude Code.' }] },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'What is in these?' },
        { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' } },
        { type: 'image', source: { kind: 'url', url: 'data:image/jpeg;base64,/9j/4AAQ' } },
        { type: 'file', source: { kind: 'url', url: 'https://example.com/spec.pdf?download=1' }, filename: 'spec.pdf' },
      ],
    },
    {
      role: 'assistant',
      content: [
        { type: 'reasoning', text: 'Let me look.', signature: 'ErUBCkYIBxgCKkAnthropicSignature' },
        { type: 'text', text: 'Reading both.' },
        { type: 'tool-call', id: 'toolu_01A', name: 'Read', arguments: '{"file_path":"/a.txt"}' },
        { type: 'tool-call', id: 'toolu_01B', name: 'Read', arguments: '{"file_path":"/b.txt"' },
      ],
    },
    {
      role: 'tool',
      content: [
        { type: 'tool-result', toolCallId: 'toolu_01A', content: [{ type: 'text', text: 'alpha' }] },
        {
          type: 'tool-result',
          toolCallId: 'toolu_01B',
          content: [
            { type: 'text', text: 'no such file' },
            { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'AAAA' } },
          ],
          isError: true,
        },
      ],
    },
    { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
    { role: 'user', content: [{ type: 'text', text: 'Summarise.' }] },
  ],
  tools: [
    {
      name: 'Read',
      description: 'Reads a file',
      parameters: {
        $schema: 'http://json-schema.org/draft-07/schema#',
        type: 'object',
        properties: { file_path: { type: 'string' }, limit: { type: ['integer', 'null'], exclusiveMinimum: 0 } },
        required: ['file_path'],
        additionalProperties: false,
      },
    },
    { name: 'Now', parameters: { type: 'object', properties: {} } },
  ],
  toolChoice: { type: 'tool', name: 'Read' },
  parallelToolCalls: true,
  maxOutputTokens: 1024,
  temperature: 0.2,
  stopSequences: ['###'],
  user: 'user-123',
};

describe('gemini encodeRequest', () => {
  it('encodes a foreign tool loop: hoisted system, merged turns, names for responses, the signature sentinel', () => {
    expect(encode(foreignRequest)).toEqual({
      contents: [
        {
          role: 'user',
          parts: [
            { text: 'What is in these?' },
            { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } },
            { inlineData: { mimeType: 'image/jpeg', data: '/9j/4AAQ' } },
            { fileData: { mimeType: 'application/pdf', fileUri: 'https://example.com/spec.pdf?download=1' } },
          ],
        },
        {
          role: 'model',
          parts: [
            { text: 'Reading both.' },
            { functionCall: { name: 'Read', args: { file_path: '/a.txt' } }, thoughtSignature: 'skip_thought_signature_validator' },
            { functionCall: { name: 'Read', args: {} } },
          ],
        },
        {
          role: 'user',
          parts: [
            { functionResponse: { name: 'Read', response: { output: 'alpha' } } },
            { functionResponse: { name: 'Read', response: { error: 'no such file' } } },
            { inlineData: { mimeType: 'image/png', data: 'AAAA' } },
            { text: 'Summarise.' },
          ],
        },
      ],
      systemInstruction: { parts: [{ text: 'You are Claude Code.' }, { text: 'Be brief.' }] },
      tools: [
        {
          functionDeclarations: [
            {
              name: 'Read',
              description: 'Reads a file',
              parameters: {
                type: 'object',
                properties: { file_path: { type: 'string' }, limit: { type: 'integer', nullable: true } },
                required: ['file_path'],
              },
            },
            { name: 'Now' },
          ],
        },
      ],
      toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['Read'] } },
      generationConfig: { temperature: 0.2, maxOutputTokens: 1024, stopSequences: ['###'] },
    });
  });

  it('keeps Gemini signatures and ids from a Gemini client instead of the sentinel', () => {
    const body = encode({
      model: 'gemini-3-pro-preview',
      stream: false,
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'go' }] },
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'Plan.', signature: 'THOUGHTSIG', extensions: { gemini: { thought: true } } },
            { type: 'tool-call', id: 'fc_1', name: 'run', arguments: '{}', extensions: { gemini: { id: 'fc_1', thoughtSignature: 'CALLSIG' } } },
          ],
        },
        {
          role: 'tool',
          content: [{ type: 'tool-result', toolCallId: 'fc_1', name: 'run', content: [], extensions: { gemini: { id: 'fc_1', response: { exitCode: 0 } } } }],
        },
      ],
    });
    expect(body.contents).toEqual([
      { role: 'user', parts: [{ text: 'go' }] },
      {
        role: 'model',
        parts: [
          { text: 'Plan.', thought: true, thoughtSignature: 'THOUGHTSIG' },
          { functionCall: { id: 'fc_1', name: 'run', args: {} }, thoughtSignature: 'CALLSIG' },
        ],
      },
      { role: 'user', parts: [{ functionResponse: { id: 'fc_1', name: 'run', response: { exitCode: 0 } } }] },
    ]);
  });

  it('rejects a tool result whose tool name cannot be found', () => {
    expect(() =>
      encode({
        model: 'm',
        stream: false,
        messages: [{ role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_x', content: [] }] }],
      }),
    ).toThrow(/tool result "call_x" has no matching tool call/);
  });

  it.each([
    ['gemini-2.5-flash', { enabled: true, effort: 'high' }, { thinkingBudget: 24576, includeThoughts: true }],
    ['gemini-2.5-flash', { enabled: true, effort: 'max' }, { thinkingBudget: 24576, includeThoughts: true }],
    ['gemini-2.5-pro', { enabled: true, budgetTokens: 50 }, { thinkingBudget: 128, includeThoughts: true }],
    ['gemini-2.5-pro', { enabled: true, budgetTokens: 10000, includeThoughts: false }, { thinkingBudget: 10000, includeThoughts: false }],
    ['gemini-2.5-flash', { enabled: false }, { thinkingBudget: 0 }],
    ['gemini-2.5-pro', { enabled: true, adaptive: true }, { thinkingBudget: -1, includeThoughts: true }],
    ['gemini-2.5-pro', { enabled: true }, { thinkingBudget: -1, includeThoughts: true }],
    ['gemini-3-pro-preview', { enabled: true, effort: 'medium' }, { thinkingLevel: 'HIGH', includeThoughts: true }],
    ['gemini-3-flash-preview', { enabled: true, effort: 'medium' }, { thinkingLevel: 'MEDIUM', includeThoughts: true }],
    ['gemini-3-pro-preview', { enabled: true, effort: 'low' }, { thinkingLevel: 'LOW', includeThoughts: true }],
    ['gemini-3-flash-preview', { enabled: false }, { thinkingLevel: 'MINIMAL' }],
    ['gemini-3-pro-preview', { enabled: false }, { thinkingLevel: 'LOW' }],
    ['gemini-3-pro-preview', { enabled: true, budgetTokens: 4096 }, { thinkingBudget: 4096, includeThoughts: true }],
  ] as const)('encodes reasoning for %s: %j', (model, reasoning, thinkingConfig) => {
    const body = encode({ model, stream: false, messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }], reasoning }, model);
    expect(body.generationConfig).toEqual({ thinkingConfig });
  });

  it('encodes response formats and tool choices', () => {
    const base: CanonicalRequest = { model: 'm', stream: false, messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }] };
    expect(encode({ ...base, responseFormat: { type: 'json' } }).generationConfig).toEqual({ responseMimeType: 'application/json' });
    const schema = { type: 'object', properties: { n: { const: 3 } }, additionalProperties: false, required: ['n'] };
    expect(encode({ ...base, responseFormat: { type: 'json-schema', name: 'answer', schema, strict: true } }).generationConfig).toEqual({
      responseMimeType: 'application/json',
      responseSchema: { type: 'object', properties: { n: { type: 'string', enum: ['3'] } }, required: ['n'] },
    });
    expect(
      encode({ ...base, responseFormat: { type: 'json-schema', schema }, extensions: { gemini: { responseJsonSchema: true } } }).generationConfig,
    ).toEqual({ responseMimeType: 'application/json', responseJsonSchema: schema });
    const tools = [{ name: 't', parameters: { type: 'object', properties: { a: { type: 'string' } } } }];
    expect(encode({ ...base, tools, toolChoice: { type: 'required' } }).toolConfig).toEqual({ functionCallingConfig: { mode: 'ANY' } });
    expect(encode({ ...base, tools, toolChoice: { type: 'none' } }).toolConfig).toEqual({ functionCallingConfig: { mode: 'NONE' } });
    expect(encode({ ...base, tools, toolChoice: { type: 'auto' } }).toolConfig).toEqual({ functionCallingConfig: { mode: 'AUTO' } });
    expect(encode({ ...base, toolChoice: { type: 'required' } }).toolConfig).toBeUndefined();
  });

  it('round-trips a Gemini CLI request', () => {
    const body = {
      contents: [
        { role: 'user', parts: [{ text: 'List src' }] },
        {
          role: 'model',
          parts: [
            { text: 'Thinking about it.', thought: true },
            { functionCall: { id: 'list_directory__c1', name: 'list_directory', args: { dir_path: 'src' } }, thoughtSignature: 'SIG1' },
          ],
        },
        { role: 'user', parts: [{ functionResponse: { id: 'list_directory__c1', name: 'list_directory', response: { output: 'a.ts' } } }] },
        { role: 'model', parts: [{ executableCode: { language: 'PYTHON', code: 'print(1)' } }, { text: 'Done.', thoughtSignature: 'SIG2' }] },
      ],
      systemInstruction: { parts: [{ text: 'You are an interactive CLI agent.' }] },
      tools: [
        {
          functionDeclarations: [
            {
              name: 'list_directory',
              description: 'Lists a directory.',
              parameters: { type: 'object', properties: { dir_path: { type: 'string' } }, required: ['dir_path'] },
            },
          ],
        },
        { googleSearch: {} },
      ],
      toolConfig: { functionCallingConfig: { mode: 'VALIDATED' } },
      generationConfig: {
        temperature: 1,
        topP: 0.95,
        topK: 64,
        responseModalities: ['TEXT'],
        thinkingConfig: { thinkingBudget: 8192, includeThoughts: true },
      },
      safetySettings: [{ category: 'HARM_CATEGORY_HATE_SPEECH', threshold: 'OFF' }],
    };
    const request = geminiCodec.decodeRequest(body, { model: 'gemini-2.5-pro', stream: true });
    expect(geminiCodec.encodeRequest(request, { model: 'gemini-2.5-pro', stream: true })).toEqual(body);
  });
});
