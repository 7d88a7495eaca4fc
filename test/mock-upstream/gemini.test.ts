import { FunctionCallingConfigMode, GoogleGenAI } from '@google/genai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type MockUpstream, startMockUpstream } from './server.ts';
import { sendRaw } from './test-helpers.ts';

let mock: MockUpstream;
let ai: GoogleGenAI;
const key = { 'x-goog-api-key': 'test-key' };
const shell = {
  name: 'run_shell_command',
  parametersJsonSchema: { type: 'object', properties: { command: { type: 'string' }, description: { type: 'string' } }, required: ['command'] },
};
const url = (method: string, query = '') => `${mock.url}/v1beta/models/gemini-2.5-flash:${method}${query}`;

beforeAll(async () => {
  mock = await startMockUpstream();
  ai = new GoogleGenAI({ apiKey: 'test-key', httpOptions: { baseUrl: mock.url } });
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

describe('Gemini, raw HTTP', () => {
  it('streams SSE chunks the way Google writes them: "key": value, CRLF blank lines, escaped <>&', async () => {
    const body = { contents: [{ role: 'user', parts: [{ text: 'a<b' }] }] };
    const res = await sendRaw(url('streamGenerateContent', '?alt=sse'), { body, headers: key });
    expect(res.headers['content-type']).toBe('text/event-stream');
    const frames = res.text.split('\r\n\r\n');
    expect(frames.at(-1)).toBe('');
    expect(frames[0]).toMatch(/^data: \{"candidates": \[\{"content": \{"parts": \[\{"text": "echo"\}\],"role": "model"\},"index": 0\}\],"usageMetadata": \{/);
    const chunks = frames.slice(0, -1).map((f) => JSON.parse(f.slice('data: '.length)));
    expect(chunks.map((c) => c.candidates[0].content.parts[0].text).join('')).toBe('echo: a<b');
    expect(res.text).toContain('\\u003c');
    expect(chunks.at(-1).candidates[0].finishReason).toBe('STOP');
    expect(chunks.at(-1).modelVersion).toBe('gemini-2.5-flash');
  });

  it('streams a pretty-printed JSON array without alt=sse', async () => {
    const res = await sendRaw(url('streamGenerateContent'), { body: { contents: [{ parts: [{ text: 'hello' }] }] }, headers: key });
    expect(res.headers['content-type']).toBe('application/json; charset=UTF-8');
    expect(res.text.startsWith('[{\n  "candidates": [')).toBe(true);
    expect(res.text).toContain('}\n,\r\n{\n');
    expect(res.text.endsWith('}\n]')).toBe(true);
    const chunks = JSON.parse(res.text);
    expect(chunks.map((c: any) => c.candidates[0].content.parts[0].text).join('')).toBe('echo: hello');
  });

  it('answers a wrong key with 400 API_KEY_INVALID and a missing one with 403, like the real API', async () => {
    const body = { contents: [{ parts: [{ text: 'x' }] }] };
    const wrong = await sendRaw(url('generateContent', '?key=AIza-wrong'), { body });
    expect(wrong.status).toBe(400);
    expect(JSON.parse(wrong.text).error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT', details: [{ reason: 'API_KEY_INVALID' }, {}] });
    const missing = await sendRaw(url('generateContent'), { body });
    expect(missing.status).toBe(403);
    expect(JSON.parse(missing.text).error.status).toBe('PERMISSION_DENIED');
    expect((await sendRaw(url('generateContent', '?key=test-q'), { body })).status).toBe(200);
  });

  it('accepts its own thought signatures and the documented bypass value, and refuses others', async () => {
    const first = JSON.parse((await sendRaw(url('generateContent'), { body: { contents: [{ parts: [{ text: '[[mock:think]] hi' }] }] }, headers: key })).text);
    const turn = first.candidates[0].content;
    expect(turn.parts.at(-1).thoughtSignature).toEqual(expect.any(String));
    const followUp = (signature: string) => ({
      contents: [{ role: 'user', parts: [{ text: 'hi' }] }, { role: 'model', parts: [{ text: 'answer', thoughtSignature: signature }] }, { role: 'user', parts: [{ text: 'again' }] }],
    });
    for (const accepted of [turn.parts.at(-1).thoughtSignature, 'skip_thought_signature_validator']) {
      expect((await sendRaw(url('generateContent'), { body: followUp(accepted), headers: key })).status).toBe(200);
    }
    // A signature another provider issued (here an Anthropic one) is not Gemini's.
    const foreign = Buffer.from('anthropic:12:abc').toString('base64');
    const res = await sendRaw(url('generateContent'), { body: followUp(foreign), headers: key });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text).error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT', message: 'Corrupted thought signature.' });
  });

  it('puts the retry delay of a 429 in RetryInfo', async () => {
    const body = { contents: [{ parts: [{ text: '[[mock:error 429 retry-after=9]]' }] }] };
    const res = await sendRaw(url('generateContent'), { body, headers: key });
    expect(res.status).toBe(429);
    expect(JSON.parse(res.text).error).toMatchObject({
      code: 429,
      status: 'RESOURCE_EXHAUSTED',
      details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '9s' }],
    });
    const streamed = await sendRaw(url('streamGenerateContent'), { body, headers: key });
    expect(JSON.parse(streamed.text)[0].error.code).toBe(429);
  });

  it('excludes thoughts from candidatesTokenCount and counts cached tokens inside promptTokenCount', async () => {
    const body = { contents: [{ parts: [{ text: `${'y'.repeat(200)} [[mock:think 10]] [[mock:cache read=20]]` }] }] };
    const json = JSON.parse((await sendRaw(url('generateContent'), { body, headers: key })).text);
    const prompt = Math.ceil(JSON.stringify(body).length / 4);
    const visible = Math.ceil(`echo: ${'y'.repeat(200)}`.length / 4);
    expect(json.usageMetadata).toMatchObject({
      promptTokenCount: prompt,
      cachedContentTokenCount: 20,
      candidatesTokenCount: visible,
      thoughtsTokenCount: 10,
      totalTokenCount: prompt + visible + 10,
    });
    expect(json.candidates[0].content.parts).toEqual([{ text: `echo: ${'y'.repeat(200)}`, thoughtSignature: expect.any(String) }]);
  });

  it('serves the Vertex AI publisher path with a bearer token', async () => {
    const path = `${mock.url}/v1/projects/p/locations/us-central1/publishers/google/models/gemini-2.5-pro:generateContent`;
    const res = await sendRaw(path, { body: { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }, headers: { authorization: 'Bearer test-token' } });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toMatchObject({ modelVersion: 'gemini-2.5-pro', createTime: expect.any(String) });
  });

  it('counts tokens, embeds and lists models', async () => {
    const count = JSON.parse((await sendRaw(url('countTokens'), { body: { contents: [{ parts: [{ text: 'abc' }] }] }, headers: key })).text);
    expect(count.totalTokens).toBeGreaterThan(0);
    const embedUrl = `${mock.url}/v1beta/models/gemini-embedding-001:embedContent`;
    const embed = JSON.parse((await sendRaw(embedUrl, { body: { content: { parts: [{ text: 'x' }] }, outputDimensionality: 8 }, headers: key })).text);
    expect(embed.embedding.values).toHaveLength(8);
    const models = JSON.parse((await sendRaw(`${mock.url}/v1beta/models`, { headers: key })).text);
    expect(models.models[0].name).toBe('models/gemini-2.5-flash');
  });
});

describe('Gemini through the official @google/genai SDK', () => {
  it('parses generateContent', async () => {
    const res = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'ping' });
    expect(res.text).toBe('echo: ping');
    expect(res.usageMetadata?.totalTokenCount).toBeGreaterThan(0);
  });

  it('streams thoughts and a function call with its signature', async () => {
    const stream = await ai.models.generateContentStream({
      model: 'gemini-2.5-flash',
      contents: '[[mock:think 3]] [[mock:tool cmd="ls"]]',
      config: { tools: [{ functionDeclarations: [shell] }], thinkingConfig: { includeThoughts: true } },
    });
    const parts: any[] = [];
    let last: any;
    for await (const chunk of stream) {
      parts.push(...(chunk.candidates?.[0]?.content?.parts ?? []));
      last = chunk;
    }
    expect(parts.filter((p) => p.thought).map((p) => p.text).join('')).toBe('the fox ran ');
    const call = parts.find((p) => p.functionCall);
    expect(call.functionCall).toEqual({ name: 'run_shell_command', args: { command: 'ls' } });
    expect(call.thoughtSignature).toEqual(expect.any(String));
    expect(last.usageMetadata.thoughtsTokenCount).toBe(3);
  });

  it('calls the tool a forcing toolConfig names, and answers the function response', async () => {
    const res = await ai.models.generateContent({
      model: 'gemini-2.5-flash',
      contents: 'whatever',
      config: {
        tools: [{ functionDeclarations: [{ name: 'other', parametersJsonSchema: { type: 'object' } }, shell] }],
        toolConfig: { functionCallingConfig: { mode: FunctionCallingConfigMode.ANY, allowedFunctionNames: ['run_shell_command'] } },
      },
    });
    expect(res.functionCalls?.[0].name).toBe('run_shell_command');
    const next = await ai.models.generateContent({
      model: 'gemini-2.5-flash',
      contents: [
        { role: 'user', parts: [{ text: 'go' }] },
        { role: 'model', parts: [{ functionCall: { name: 'run_shell_command', args: { command: 'ls' } } }] },
        { role: 'user', parts: [{ functionResponse: { name: 'run_shell_command', response: { output: 'a.txt' } } }] },
      ],
    });
    expect(next.text).toBe('tool result: {"output":"a.txt"}');
  });

  it('answers structured output with a value of the schema', async () => {
    const res = await ai.models.generateContent({
      model: 'gemini-2.5-flash',
      contents: 'who speaks next?',
      config: {
        responseMimeType: 'application/json',
        responseJsonSchema: { type: 'object', properties: { next_speaker: { type: 'string', enum: ['user', 'model'] } }, required: ['next_speaker'] },
      },
    });
    expect(JSON.parse(res.text ?? '')).toEqual({ next_speaker: 'user' });
  });

  it('answers a side call that wants JSON with JSON even when the prompt asks for a tool', async () => {
    // Gemini CLI routes each prompt through a classifier that has a schema and no tools.
    const res = await ai.models.generateContent({
      model: 'gemini-2.5-flash-lite',
      contents: 'go [[mock:tool name=run_shell_command]]',
      config: {
        responseMimeType: 'application/json',
        responseJsonSchema: { type: 'OBJECT', properties: { model_choice: { type: 'STRING', enum: ['flash', 'pro'] } }, required: ['model_choice'] },
      },
    });
    expect(JSON.parse(res.text ?? '')).toEqual({ model_choice: 'flash' });
  });

  it('counts tokens and embeds', async () => {
    const count = await ai.models.countTokens({ model: 'gemini-2.5-flash', contents: 'hello' });
    expect(count.totalTokens).toBeGreaterThan(0);
    const embed = await ai.models.embedContent({ model: 'gemini-embedding-001', contents: 'hello', config: { outputDimensionality: 16 } });
    expect(embed.embeddings?.[0].values).toHaveLength(16);
  });

  it('raises the in-stream error chunk', async () => {
    const stream = await ai.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'abcdefghijkl [[mock:error 503 after=2]]' });
    const err = await (async () => {
      for await (const _ of stream);
    })().catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 503 });
  });
});
