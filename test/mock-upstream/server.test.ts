import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { gzipSync, zstdCompressSync } from 'node:zlib';
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type MockUpstream, startMockUpstream } from './server.ts';
import { parseMockSse, parseMockSseJson, sendRaw } from './test-helpers.ts';

let mock: MockUpstream;
const auth = { authorization: 'Bearer test-key' };
const chat = (content: string, extra: Record<string, unknown> = {}) => ({
  body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content }], ...extra },
  headers: auth,
});
const chatUrl = () => `${mock.url}/v1/chat/completions`;
const replyText = (text: string) => JSON.parse(text).choices[0].message.content as string;

beforeAll(async () => {
  mock = await startMockUpstream();
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

describe('recording', () => {
  it('records method, path, query, headers and the parsed body of every request', async () => {
    await sendRaw(`${chatUrl()}?trace=1`, chat('hi'));
    await sendRaw(`${mock.url}/nowhere`, { body: 'not json' });
    expect(mock.requests).toHaveLength(2);
    expect(mock.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v1/chat/completions',
      query: { trace: '1' },
      headers: { authorization: 'Bearer test-key' },
      body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] },
      provider: 'openai-chat',
    });
    expect(mock.requests[1]).toMatchObject({ path: '/nowhere', body: 'not json', provider: undefined });
  });

  it('records what it answered: usage, the rendered answer, a format-neutral summary, and when the response closed', async () => {
    const before = performance.now();
    const messages = [
      { role: 'system', content: 'be brief' },
      { role: 'user', content: '[[mock:cache read=2]] hi' },
    ];
    await sendRaw(chatUrl(), { headers: auth, body: { model: 'gpt-4o-mini', messages } });
    const [seen] = mock.requests;
    expect(seen!.usage).toEqual({ input: expect.any(Number), cacheRead: 2, cacheWrite: 0, output: 2, reasoning: 0 });
    expect(JSON.parse(seen!.answer!).choices[0].message.content).toBe('echo: hi');
    expect(seen!.summarize!()).toMatchObject({ system: 'be brief', turns: ['user: [[mock:cache read=2]] hi'] });
    expect(seen!.receivedAt).toBeGreaterThanOrEqual(before);
    await vi.waitFor(() => expect(seen!.closedAt).toBeGreaterThanOrEqual(seen!.receivedAt));
    expect(seen!.completed).toBe(true);
  });

  it('records a response the client abandoned as closed before completion', async () => {
    const controller = new AbortController();
    const res = await request(chatUrl(), {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify(chat('[[mock:slow 20]] [[mock:long 200]]', { stream: true }).body),
      signal: controller.signal,
    });
    for await (const _chunk of res.body) break;
    const abortedAt = performance.now();
    controller.abort();
    const [seen] = mock.requests;
    await vi.waitFor(() => expect(seen!.closedAt).toBeDefined());
    expect(seen!.completed).toBe(false);
    expect(seen!.closedAt! - abortedAt).toBeLessThan(1000);
  });

  it('decodes compressed request bodies, as Codex sends zstd', async () => {
    const body = JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'packed' }] });
    for (const [encoding, packed] of [
      ['zstd', zstdCompressSync(body)],
      ['gzip', gzipSync(body)],
    ] as const) {
      const raw = await request(chatUrl(), { method: 'POST', body: packed, headers: { ...auth, 'content-encoding': encoding } });
      expect(replyText(await raw.body.text())).toBe('echo: packed');
    }
  });

  it('answers unknown routes with 404', async () => {
    const res = await sendRaw(`${mock.url}/v2/unknown`, { body: {} });
    expect(res.status).toBe(404);
    expect(JSON.parse(res.text).error.message).toBe('Invalid URL (POST /v2/unknown)');
  });
});

describe('canned responses', () => {
  it('override the directive logic one request at a time, in order', async () => {
    mock.setNextResponses([
      { status: 418, body: { custom: true }, headers: { 'x-mock': 'yes' } },
      { error: { status: 503, message: 'down for a bit' } },
      { prompt: '[[mock:reply "scripted"]]' },
    ]);
    const first = await sendRaw(chatUrl(), chat('a'));
    expect([first.status, first.headers['x-mock'], JSON.parse(first.text)]).toEqual([418, 'yes', { custom: true }]);
    const second = await sendRaw(chatUrl(), chat('b'));
    expect([second.status, JSON.parse(second.text).error.message]).toEqual([503, 'down for a bit']);
    expect(replyText((await sendRaw(chatUrl(), chat('c'))).text)).toBe('scripted');
    expect(replyText((await sendRaw(chatUrl(), chat('d'))).text)).toBe('echo: d');
  });

  it('are consumed only by generation requests unless a path is given', async () => {
    mock.setNextResponses([{ status: 500, body: 'models down', path: '/v1/models' }, { status: 202, body: 'gen' }]);
    expect((await sendRaw(chatUrl(), chat('x'))).status).toBe(202);
    expect((await sendRaw(`${mock.url}/v1/models`, { headers: auth })).text).toBe('models down');
  });

  it('delay and drop the connection', async () => {
    mock.setNextResponses([{ delayMs: 120 }, { drop: true }]);
    const started = Date.now();
    expect((await sendRaw(chatUrl(), chat('slow'))).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
    await expect(sendRaw(chatUrl(), chat('dropped'))).rejects.toThrow();
  });
});

describe('load options', () => {
  it('answer the given shares of generation requests with the provider\'s 429 and 500, in every format', async () => {
    const rolls = [0.05, 0.15, 0.5, 0.95];
    let next = 0;
    const loaded = await startMockUpstream({ rateLimitRate: 0.1, errorRate: 0.2, random: () => rolls[next++ % rolls.length]! });
    try {
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await sendRaw(`${loaded.url}/v1/chat/completions`, chat('hi'))).status);
      expect(statuses).toEqual([429, 500, 200, 200]);
      next = 0;
      const limited = await sendRaw(`${loaded.url}/v1/messages`, {
        body: { model: 'claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] },
        headers: { 'x-api-key': 'test-key', 'anthropic-version': '2023-06-01' },
      });
      expect(limited.status).toBe(429);
      expect(limited.headers['retry-after']).toBe('1');
      expect(JSON.parse(limited.text)).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    } finally {
      await loaded.close();
    }
  });

  it('add an exponentially distributed delay to the fixed latency', async () => {
    const loaded = await startMockUpstream({ latencyMs: 20, latencyJitterMs: 30, random: () => 1 - Math.exp(-1) });
    try {
      const started = performance.now();
      expect((await sendRaw(`${loaded.url}/v1/chat/completions`, chat('hi'))).status).toBe(200);
      // -ln(1 - roll) is 1 here, so the jitter is its mean: 20 + 30 ms.
      expect(performance.now() - started).toBeGreaterThanOrEqual(48);
    } finally {
      await loaded.close();
    }
  });
});

describe('directives', () => {
  it('[[mock:error times=N]] fails only the first N requests with the same text', async () => {
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await sendRaw(chatUrl(), chat('[[mock:error 500 times=2]]'))).status);
    expect(statuses).toEqual([500, 500, 200]);
  });

  it('[[mock:error key=...]] fails only requests made with that key', async () => {
    const text = '[[mock:error 429 key=test-a]]';
    expect((await sendRaw(chatUrl(), { ...chat(text), headers: { authorization: 'Bearer test-a' } })).status).toBe(429);
    expect((await sendRaw(chatUrl(), { ...chat(text), headers: { authorization: 'Bearer test-b' } })).status).toBe(200);
  });

  it('[[mock:cut]] resets the connection mid-stream, after the frames before the cut arrived', async () => {
    const { body, headers } = chat('abcdefghijklmnop [[mock:cut after=2]]', { stream: true });
    const res = await request(chatUrl(), { method: 'POST', body: JSON.stringify(body), headers: { ...headers, 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(200);
    let received = '';
    const failure = await (async () => {
      for await (const chunk of res.body) received += chunk.toString();
    })().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(Error);
    expect(parseMockSse(received)).toHaveLength(2);
    await expect(sendRaw(chatUrl(), chat('abcdefghijklmnop [[mock:cut]]'))).rejects.toThrow();
  });

  it('[[mock:slow N]] spaces the stream chunks', async () => {
    const started = Date.now();
    const res = await sendRaw(chatUrl(), chat('abcdefgh [[mock:slow 30]]', { stream: true }));
    expect(parseMockSseJson(res.text).length).toBe(6);
    expect(Date.now() - started).toBeGreaterThanOrEqual(5 * 30 - 10);
  });

  it('[[mock:long N]] produces N output tokens and max tokens cut it with finish_reason length', async () => {
    const long = JSON.parse((await sendRaw(chatUrl(), chat('[[mock:long 300]]'))).text);
    expect(long.usage.completion_tokens).toBe(300);
    const cut = JSON.parse((await sendRaw(chatUrl(), chat('[[mock:long 300]]', { max_tokens: 10 }))).text);
    expect(cut.choices[0].finish_reason).toBe('length');
    expect(cut.usage.completion_tokens).toBe(10);
  });

  it('[[mock:inspect]] replies with the request as the mock received it', async () => {
    const seen = JSON.parse(replyText((await sendRaw(chatUrl(), chat('[[mock:inspect]]', { temperature: 0.2 }))).text));
    expect(seen).toMatchObject({ method: 'POST', path: '/v1/chat/completions', headers: { authorization: 'Bearer test-key' }, body: { temperature: 0.2 } });
  });

  it('[[mock:json]] replies with the same format-neutral summary for every wire format', async () => {
    const system = 'be terse';
    const text = 'summarize [[mock:json]]';
    const openai = await sendRaw(chatUrl(), {
      body: { model: 'm', max_tokens: 50, messages: [{ role: 'system', content: system }, { role: 'user', content: text }] },
      headers: auth,
    });
    const anthropic = await sendRaw(`${mock.url}/v1/messages`, {
      body: { model: 'm', max_tokens: 50, system, messages: [{ role: 'user', content: text }] },
      headers: { 'x-api-key': 'test-key', 'anthropic-version': '2023-06-01' },
    });
    const gemini = await sendRaw(`${mock.url}/v1beta/models/m:generateContent`, {
      body: { systemInstruction: { parts: [{ text: system }] }, contents: [{ role: 'user', parts: [{ text }] }], generationConfig: { maxOutputTokens: 50 } },
      headers: { 'x-goog-api-key': 'test-key' },
    });
    const responses = await sendRaw(`${mock.url}/v1/responses`, { body: { model: 'm', instructions: system, max_output_tokens: 50, input: text }, headers: auth });
    const summaries = [
      JSON.parse(replyText(openai.text)),
      JSON.parse(JSON.parse(anthropic.text).content[0].text),
      JSON.parse(JSON.parse(gemini.text).candidates[0].content.parts[0].text),
      JSON.parse(JSON.parse(responses.text).output[0].content[0].text),
    ];
    for (const summary of summaries) {
      expect(summary).toMatchObject({ model: 'm', stream: false, system, turns: [`user: ${text}`], tools: [], maxOutputTokens: 50 });
    }
  });

  it('reports unknown directives instead of silently echoing', async () => {
    expect(replyText((await sendRaw(chatUrl(), chat('[[mock:tools]]'))).text)).toBe('mock: unknown directive [[mock:tools]]');
  });

  it('[[mock:tool]] without a declared tool says so', async () => {
    expect(replyText((await sendRaw(chatUrl(), chat('[[mock:tool]]'))).text)).toBe('mock: no tool declared in the request');
  });
});

describe('options', () => {
  it('accepts only the configured keys and adds fixed latency', async () => {
    const strict = await startMockUpstream({ apiKeys: ['k1'], latencyMs: 80 });
    try {
      const started = Date.now();
      expect((await sendRaw(`${strict.url}/v1/chat/completions`, { ...chat('x'), headers: { authorization: 'Bearer k1' } })).status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(70);
      expect((await sendRaw(`${strict.url}/v1/chat/completions`, chat('x'))).status).toBe(401);
    } finally {
      await strict.close();
    }
  });

  it('streams several tokens per chunk and records nothing when told so', async () => {
    const quiet = await startMockUpstream({ tokensPerChunk: 4, record: false });
    try {
      const res = await sendRaw(`${quiet.url}/v1/chat/completions`, chat('0123456789abcdef', { stream: true }));
      const contents = parseMockSseJson(res.text).map((c) => c.choices[0].delta.content).filter(Boolean);
      expect(contents).toEqual(['echo: 0123456789', 'abcdef']);
      expect(quiet.requests).toHaveLength(0);
    } finally {
      await quiet.close();
    }
  });
});

describe('CLI', () => {
  it('prints its URL and serves until terminated', async () => {
    const main = fileURLToPath(new URL('./main.ts', import.meta.url));
    const child = spawn(process.execPath, [main, '--port', '0', '--tokens-per-chunk', '2'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const [line] = (await once(child.stdout, 'data')) as [Buffer];
      const url = line.toString().trim();
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await sendRaw(`${url}/v1/chat/completions`, chat('cli'));
      expect(replyText(res.text)).toBe('echo: cli');
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
});
