import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../ir/gateway-error.ts';
import { geminiCodec } from './index.ts';

const decode = (body: unknown, context: { model?: string; stream?: boolean } = { model: 'gemini-2.5-pro', stream: true }) =>
  geminiCodec.decodeRequest(body, context);

/** The shape of a Gemini CLI request in the middle of a tool loop. */
const geminiCliBody = {
  contents: [
    { role: 'user', parts: [{ text: 'This is the Gemini CLI. We are setting up the context for our chat.' }, { text: 'List the files in src' }] },
    {
      role: 'model',
      parts: [
        { text: '**Listing the directory**\n\nI will call list_directory.', thought: true },
        {
          functionCall: { id: 'list_directory__list_directory_1760000000000_0', name: 'list_directory', args: { dir_path: 'src' } },
          thoughtSignature: 'CiQBjz1rX2mP4PQ0mcC8Ezt5HPV1XJ6AvYl2Z3RftPMO9C1d4xsKYgGPPWtf',
        },
      ],
    },
    {
      role: 'user',
      parts: [
        {
          functionResponse: {
            id: 'list_directory__list_directory_1760000000000_0',
            name: 'list_directory',
            response: { output: 'Directory listing for src:\nindex.ts' },
          },
        },
      ],
    },
    { role: 'model', parts: [{ text: 'src contains index.ts.', thoughtSignature: 'Ej4KPAGPPWtfSig' }] },
    { role: 'user', parts: [{ text: 'Read it' }] },
  ],
  systemInstruction: { role: 'user', parts: [{ text: 'You are an interactive CLI agent specializing in software engineering tasks.' }] },
  tools: [
    {
      functionDeclarations: [
        {
          name: 'list_directory',
          description: 'Lists the names of files and subdirectories directly within a specified directory path.',
          parametersJsonSchema: {
            type: 'object',
            properties: { dir_path: { type: 'string', description: 'The path to the directory to list' } },
            required: ['dir_path'],
          },
        },
        {
          name: 'read_file',
          description: 'Reads and returns the content of a specified file.',
          parametersJsonSchema: {
            type: 'object',
            properties: { file_path: { type: 'string' }, offset: { type: 'number' }, limit: { type: 'number' } },
            required: ['file_path'],
          },
        },
      ],
    },
  ],
  generationConfig: { temperature: 1, topP: 0.95, topK: 64, thinkingConfig: { includeThoughts: true, thinkingBudget: 8192 } },
};

describe('gemini decodeRequest', () => {
  it('decodes a Gemini CLI tool-loop request', () => {
    expect(decode(geminiCliBody)).toEqual({
      model: 'gemini-2.5-pro',
      stream: true,
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'You are an interactive CLI agent specializing in software engineering tasks.' }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'This is the Gemini CLI. We are setting up the context for our chat.' },
            { type: 'text', text: 'List the files in src' },
          ],
        },
        {
          role: 'assistant',
          content: [
            {
              type: 'reasoning',
              text: '**Listing the directory**\n\nI will call list_directory.',
              extensions: { gemini: { thought: true } },
            },
            {
              type: 'tool-call',
              id: 'list_directory__list_directory_1760000000000_0',
              name: 'list_directory',
              arguments: '{"dir_path":"src"}',
              extensions: {
                gemini: {
                  thoughtSignature: 'CiQBjz1rX2mP4PQ0mcC8Ezt5HPV1XJ6AvYl2Z3RftPMO9C1d4xsKYgGPPWtf',
                  id: 'list_directory__list_directory_1760000000000_0',
                },
              },
            },
          ],
        },
        {
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: 'list_directory__list_directory_1760000000000_0',
              name: 'list_directory',
              content: [{ type: 'text', text: 'Directory listing for src:\nindex.ts' }],
              extensions: {
                gemini: { response: { output: 'Directory listing for src:\nindex.ts' }, id: 'list_directory__list_directory_1760000000000_0' },
              },
            },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'src contains index.ts.' },
            { type: 'reasoning', text: '', signature: 'Ej4KPAGPPWtfSig', origin: 'gemini' },
          ],
        },
        { role: 'user', content: [{ type: 'text', text: 'Read it' }] },
      ],
      tools: [
        {
          name: 'list_directory',
          description: 'Lists the names of files and subdirectories directly within a specified directory path.',
          parameters: geminiCliBody.tools[0].functionDeclarations[0].parametersJsonSchema,
        },
        {
          name: 'read_file',
          description: 'Reads and returns the content of a specified file.',
          parameters: geminiCliBody.tools[0].functionDeclarations[1].parametersJsonSchema,
        },
      ],
      temperature: 1,
      topP: 0.95,
      topK: 64,
      reasoning: { enabled: true, budgetTokens: 8192, includeThoughts: true },
    });
  });

  it('pairs id-less calls and responses by name, in order, with the same synthetic ids', () => {
    const request = decode({
      contents: [
        { role: 'user', parts: [{ text: 'Weather in Tokyo and Paris?' }] },
        {
          role: 'model',
          parts: [
            { functionCall: { name: 'get_weather', args: { city: 'Tokyo' } } },
            { functionCall: { name: 'get_weather', args: { city: 'Paris' } } },
            { functionCall: { name: 'mcp.time/now', args: {} } },
          ],
        },
        {
          role: 'user',
          parts: [
            { functionResponse: { name: 'get_weather', response: { output: 'sunny' } } },
            // Gemini CLI writes its own id on the response even when the call had none.
            { functionResponse: { id: 'get_weather-1755-abc', name: 'get_weather', response: { output: 'rain' } } },
            { functionResponse: { name: 'mcp.time/now', response: { error: 'clock unavailable' } } },
            { text: 'Summarise.' },
          ],
        },
      ],
    });
    const calls = request.messages[1].content.map((part) => (part.type === 'tool-call' ? part.id : ''));
    expect(calls).toEqual(['call_get_weather_0', 'call_get_weather_1', 'call_mcp_time_now_2']);
    expect(request.messages[2]).toEqual({
      role: 'tool',
      content: [
        { type: 'tool-result', toolCallId: 'call_get_weather_0', name: 'get_weather', content: [{ type: 'text', text: 'sunny' }], extensions: { gemini: { response: { output: 'sunny' } } } },
        {
          type: 'tool-result',
          toolCallId: 'call_get_weather_1',
          name: 'get_weather',
          content: [{ type: 'text', text: 'rain' }],
          extensions: { gemini: { response: { output: 'rain' }, id: 'get_weather-1755-abc' } },
        },
        {
          type: 'tool-result',
          toolCallId: 'call_mcp_time_now_2',
          name: 'mcp.time/now',
          content: [{ type: 'text', text: 'clock unavailable' }],
          isError: true,
          extensions: { gemini: { response: { error: 'clock unavailable' } } },
        },
      ],
    });
    expect(request.messages[3]).toEqual({ role: 'user', content: [{ type: 'text', text: 'Summarise.' }] });
    // The same history decodes to the same ids on the next turn.
    expect(decode({ contents: [{ role: 'model', parts: [{ functionCall: { name: 'get_weather' } }] }] }).messages[0]).toEqual({
      role: 'assistant',
      content: [{ type: 'tool-call', id: 'call_get_weather_0', name: 'get_weather', arguments: '{}' }],
    });
  });

  it('accepts snake_case fields, media, JSON mode with a Gemini schema and keeps Gemini-only fields', () => {
    const request = decode(
      {
        system_instruction: { parts: [{ text: 'Label images.' }] },
        contents: [
          {
            parts: [
              { inline_data: { mime_type: 'image/png', data: 'iVBORw0KGgo=' } },
              { file_data: { mime_type: 'application/pdf', file_uri: 'https://generativelanguage.googleapis.com/v1beta/files/abc123' } },
              { fileData: { fileUri: 'gs://bucket/cat.jpg' } },
              { text: 'What is this?' },
            ],
          },
        ],
        generation_config: {
          max_output_tokens: 256,
          stop_sequences: ['END'],
          candidate_count: 1,
          response_mime_type: 'application/json',
          response_schema: { type: 'OBJECT', properties: { label: { type: 'STRING', nullable: true } }, required: ['label'] },
          presence_penalty: 0.5,
          seed: 7,
        },
        safety_settings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }],
        cachedContent: 'cachedContents/xyz',
        tools: [{ google_search: {} }, { codeExecution: {} }],
        tool_config: { function_calling_config: { mode: 'any', allowed_function_names: ['a', 'b'] }, retrievalConfig: { languageCode: 'en' } },
      },
      { model: 'gemini-2.5-flash' },
    );
    expect(request).toEqual({
      model: 'gemini-2.5-flash',
      stream: false,
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Label images.' }] },
        {
          role: 'user',
          content: [
            { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' } },
            {
              type: 'file',
              source: { kind: 'url', url: 'https://generativelanguage.googleapis.com/v1beta/files/abc123' },
              extensions: { gemini: { mimeType: 'application/pdf' } },
            },
            { type: 'image', source: { kind: 'url', url: 'gs://bucket/cat.jpg' } },
            { type: 'text', text: 'What is this?' },
          ],
        },
      ],
      toolChoice: { type: 'required' },
      maxOutputTokens: 256,
      stopSequences: ['END'],
      responseFormat: {
        type: 'json-schema',
        schema: { type: 'object', properties: { label: { type: ['string', 'null'] } }, required: ['label'] },
      },
      extensions: {
        gemini: {
          builtInTools: [{ google_search: {} }, { codeExecution: {} }],
          toolConfig: { retrievalConfig: { languageCode: 'en' } },
          allowedFunctionNames: ['a', 'b'],
          generationConfig: { presence_penalty: 0.5, seed: 7 },
          request: { safety_settings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }], cachedContent: 'cachedContents/xyz' },
        },
      },
    });
  });

  it('maps thinking configs and tool modes', () => {
    const withConfig = (generationConfig: unknown, toolConfig?: unknown) =>
      decode({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }], generationConfig, toolConfig });
    expect(withConfig({ thinkingConfig: { thinkingBudget: 0 } }).reasoning).toEqual({ enabled: false });
    expect(withConfig({ thinkingConfig: { thinkingBudget: -1, includeThoughts: true } }).reasoning).toEqual({
      enabled: true,
      adaptive: true,
      includeThoughts: true,
    });
    expect(withConfig({ thinkingConfig: { thinkingLevel: 'HIGH', includeThoughts: true } }).reasoning).toEqual({
      enabled: true,
      effort: 'high',
      includeThoughts: true,
    });
    expect(withConfig({ thinkingConfig: { thinking_level: 'low' } }).reasoning).toEqual({ enabled: true, effort: 'low' });
    expect(withConfig({ thinkingConfig: { includeThoughts: true } }).reasoning).toEqual({ enabled: true, adaptive: true, includeThoughts: true });
    expect(withConfig({ responseMimeType: 'application/json' }).responseFormat).toEqual({ type: 'json' });
    expect(withConfig({ responseMimeType: 'text/x.enum', responseSchema: { type: 'STRING', enum: ['a'] } }).extensions).toEqual({
      gemini: { generationConfig: { responseMimeType: 'text/x.enum', responseSchema: { type: 'STRING', enum: ['a'] } } },
    });
    const jsonSchema = { type: 'object', properties: { n: { type: 'integer' } }, additionalProperties: false };
    const json = withConfig({ responseMimeType: 'application/json', responseJsonSchema: jsonSchema });
    expect(json.responseFormat).toEqual({ type: 'json-schema', schema: jsonSchema });
    expect(json.extensions).toEqual({ gemini: { responseJsonSchema: true } });
    expect(withConfig({}, { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] } }).toolChoice).toEqual({
      type: 'tool',
      name: 'get_weather',
    });
    expect(withConfig({}, { functionCallingConfig: { mode: 'NONE' } }).toolChoice).toEqual({ type: 'none' });
    const validated = withConfig({}, { functionCallingConfig: { mode: 'VALIDATED' } });
    expect(validated.toolChoice).toEqual({ type: 'auto' });
    expect(validated.extensions).toEqual({ gemini: { functionCallingMode: 'VALIDATED' } });
  });

  it('converts Gemini OpenAPI parameters to JSON Schema', () => {
    const request = decode({
      contents: [{ parts: [{ text: 'x' }] }],
      tools: [
        {
          functionDeclarations: [
            {
              name: 'set_light',
              parameters: {
                type: 'OBJECT',
                properties: {
                  level: { type: 'INTEGER', format: 'int32' },
                  mode: { type: 'STRING', format: 'enum', enum: ['on', 'off'] },
                  tags: { type: 'ARRAY', items: { type: 'STRING' }, max_items: 3 },
                },
                required: ['mode'],
                propertyOrdering: ['mode', 'level', 'tags'],
              },
            },
            { name: 'ping' },
          ],
        },
      ],
    });
    expect(request.tools).toEqual([
      {
        name: 'set_light',
        parameters: {
          type: 'object',
          properties: {
            level: { type: 'integer', format: 'int32' },
            mode: { type: 'string', enum: ['on', 'off'] },
            tags: { type: 'array', items: { type: 'string' }, maxItems: 3 },
          },
          required: ['mode'],
        },
      },
      { name: 'ping', parameters: { type: 'object', properties: {} } },
    ]);
  });

  it('keeps unknown model parts and legacy function roles', () => {
    const code = { executableCode: { language: 'PYTHON', code: 'print(1)' } };
    const request = decode({
      contents: [
        { role: 'user', parts: [{ text: 'run it' }] },
        { role: 'model', parts: [code, { functionCall: { name: 'f', args: { a: 1 } } }] },
        { role: 'function', parts: [{ functionResponse: { name: 'f', response: { result: { rows: 2 } } } }] },
      ],
    });
    expect(request.messages[1].content[0]).toEqual({ type: 'text', text: '```python\nprint(1)\n```', extensions: { gemini: { part: code } } });
    expect(request.messages[2]).toMatchObject({
      role: 'tool',
      content: [{ toolCallId: 'call_f_0', content: [{ type: 'text', text: '{"result":{"rows":2}}' }] }],
    });
  });

  it.each([
    [null, 'body: must be a JSON object'],
    [{}, 'contents: must be a non-empty array'],
    [{ contents: [] }, 'contents: must be a non-empty array'],
    [{ contents: ['hi'] }, 'contents[0]: must be an object'],
    [{ contents: [{ role: 'assistant', parts: [{ text: 'x' }] }] }, 'contents[0].role: must be "user" or "model"'],
    [{ contents: [{ parts: { text: 'x' } }] }, 'contents[0].parts: must be an array'],
    [{ contents: [{ parts: [{ text: 42 }] }] }, 'contents[0].parts[0].text: must be a string'],
    [{ contents: [{ role: 'model', parts: [{ functionCall: { args: {} } }] }] }, 'contents[0].parts[0].functionCall.name: must be a non-empty string'],
    [{ contents: [{ parts: [{ functionResponse: { response: {} } }] }] }, 'contents[0].parts[0].functionResponse.name: is required'],
    [{ contents: [{ parts: [{ inlineData: { data: 'x' } }] }] }, 'contents[0].parts[0].inlineData: mimeType and data are required'],
    [{ contents: [{ parts: [{ text: 'x' }] }], generationConfig: { candidateCount: 2 } }, 'generationConfig.candidateCount: only one candidate is supported'],
    [{ contents: [{ parts: [{ text: 'x' }] }], generationConfig: { temperature: 'hot' } }, 'generationConfig.temperature: must be a number'],
    [{ contents: [{ parts: [{ text: 'x' }] }], tools: {} }, 'tools: must be an array'],
    [{ contents: [{ parts: [{ text: 'x' }] }], tools: [{ functionDeclarations: [{ description: 'no name' }] }] }, 'tools[0].functionDeclarations[0].name: is required'],
    [{ contents: [{ parts: [{ text: 'x' }] }], toolConfig: { functionCallingConfig: { mode: 'SOMETIMES' } } }, 'toolConfig.functionCallingConfig.mode: unknown mode "SOMETIMES"'],
  ])('rejects %j with a 400', (body, message) => {
    let caught: unknown;
    try {
      decode(body);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(GatewayError);
    expect(caught).toMatchObject({ status: 400, code: 'invalid_request', message });
  });

  it('needs a model from the URL (or a countTokens body)', () => {
    expect(() => decode({ contents: [{ parts: [{ text: 'x' }] }] }, {})).toThrow('model: missing');
    expect(decode({ model: 'models/gemini-2.5-flash', contents: [{ parts: [{ text: 'x' }] }] }, {}).model).toBe('gemini-2.5-flash');
  });
});
