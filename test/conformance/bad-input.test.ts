import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientAdapter, HttpCapture } from './support/client.ts';
import { parseJsonOr } from './support/client.ts';
import { anthropicMessagesAdapter } from './support/clients/anthropic-messages.ts';
import { geminiAdapter } from './support/clients/gemini.ts';
import { openaiChatAdapter } from './support/clients/openai-chat.ts';
import { openaiCompletionsAdapter } from './support/clients/openai-completions.ts';
import { openaiResponsesAdapter } from './support/clients/openai-responses.ts';
import { uniqueTag } from './support/fixtures.ts';
import { CONFORMANCE_KEY, type ConformanceHarness, startConformanceHarness } from './support/harness.ts';

/**
 * What the gateway does with requests it cannot serve: every mistake gets a 4xx (or the documented
 * 502 for a model no provider serves) in the dialect of the route, never a 500 or a crash, and the
 * gateway keeps serving. Also client authentication, in each SDK's own header style.
 */

type Json = Record<string, any>;

const MODEL = 'conf-openai';
const BODY_LIMIT_MB = 1;

interface RouteCase {
  name: string;
  /** Asserts the dialect's error shape. */
  adapter: ClientAdapter;
  path(model: string): string;
  headers?: Record<string, string>;
  valid(model: string): Json;
  /** Bodies with a field of the wrong JSON type, and the field the error must name. */
  wrongTypes: Array<{ body: Json; mentions: RegExp }>;
  /** Where the request names no model: a body without one, or (Gemini) a path without one. */
  missingModel: { path?: string; body: Json; status: number };
  missingMessages: { body: Json; mentions: RegExp };
}

const userTurn = [{ role: 'user', content: 'hi' }];
const geminiContents = [{ role: 'user', parts: [{ text: 'hi' }] }];

const ROUTES: RouteCase[] = [
  {
    name: 'openai-chat',
    adapter: openaiChatAdapter,
    path: () => '/v1/chat/completions',
    valid: (model) => ({ model, messages: userTurn }),
    wrongTypes: [
      { body: { model: MODEL, messages: userTurn, temperature: 'hot' }, mentions: /temperature/ },
      { body: { model: MODEL, messages: 'hi' }, mentions: /messages/ },
    ],
    missingModel: { body: { messages: userTurn }, status: 400 },
    missingMessages: { body: { model: MODEL }, mentions: /messages/ },
  },
  {
    name: 'openai-completions',
    adapter: openaiCompletionsAdapter,
    path: () => '/v1/completions',
    valid: (model) => ({ model, prompt: 'hi' }),
    wrongTypes: [
      { body: { model: MODEL, prompt: 'hi', max_tokens: 'many' }, mentions: /max_tokens/ },
      { body: { model: MODEL, prompt: 42 }, mentions: /prompt/ },
    ],
    missingModel: { body: { prompt: 'hi' }, status: 400 },
    missingMessages: { body: { model: MODEL }, mentions: /prompt/ },
  },
  {
    name: 'openai-responses',
    adapter: openaiResponsesAdapter,
    path: () => '/v1/responses',
    valid: (model) => ({ model, input: 'hi' }),
    wrongTypes: [
      { body: { model: MODEL, input: 42 }, mentions: /input/ },
      { body: { model: MODEL, input: 'hi', tools: 'all' }, mentions: /tools/ },
    ],
    missingModel: { body: { input: 'hi' }, status: 400 },
    missingMessages: { body: { model: MODEL }, mentions: /input/ },
  },
  {
    name: 'anthropic-messages',
    adapter: anthropicMessagesAdapter,
    path: () => '/v1/messages',
    headers: { 'anthropic-version': '2023-06-01' },
    valid: (model) => ({ model, max_tokens: 64, messages: userTurn }),
    wrongTypes: [
      { body: { model: MODEL, max_tokens: 'many', messages: userTurn }, mentions: /max_tokens/ },
      { body: { model: MODEL, max_tokens: 64, messages: 'hi' }, mentions: /messages/ },
    ],
    missingModel: { body: { max_tokens: 64, messages: userTurn }, status: 400 },
    missingMessages: { body: { model: MODEL, max_tokens: 64 }, mentions: /messages/ },
  },
  {
    name: 'gemini',
    adapter: geminiAdapter,
    path: (model) => `/v1beta/models/${model}:generateContent`,
    valid: () => ({ contents: geminiContents }),
    wrongTypes: [
      { body: { contents: geminiContents, generationConfig: { temperature: 'hot' } }, mentions: /temperature/ },
      { body: { contents: 'hi' }, mentions: /contents/ },
    ],
    // The model is part of the path: a path without one names no model action at all.
    missingModel: { path: '/v1beta/models/:generateContent', body: { contents: geminiContents }, status: 404 },
    missingMessages: { body: {}, mentions: /contents/ },
  },
];

let harness: ConformanceHarness;

beforeAll(async () => {
  harness = await startConformanceHarness({ extraConfig: `body-limit-mb: ${BODY_LIMIT_MB}\n` });
});
afterAll(() => harness?.close());

async function post(path: string, body: string | Json | AsyncIterable<Buffer>, headers: Record<string, string> = {}): Promise<{ capture: HttpCapture; body: any }> {
  const response = await request(`${harness.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${CONFORMANCE_KEY}`, ...headers },
    body: typeof body === 'string' || Symbol.asyncIterator in body ? (body as string) : JSON.stringify(body),
  });
  const text = await response.body.text();
  return { capture: { status: response.statusCode, headers: new Headers(response.headers as Record<string, string>), errorBody: text }, body: parseJsonOr(text) };
}

function errorMessage(body: any): string {
  const root = Array.isArray(body) ? body[0] : body;
  return String(root?.error?.message ?? '');
}

function expectServing(): void {
  expect(harness.gateway.process.exitCode, 'the gateway process is still running').toBeNull();
}

describe.each(ROUTES)('$name: bad input', (route) => {
  const headers = route.headers ?? {};

  it('malformed JSON is a 400 in the dialect’s shape', async () => {
    const { capture, body } = await post(route.path(MODEL), '{"model": "conf-openai", "messages": [', headers);
    route.adapter.assertClientError(capture, body, 400);
    expect(errorMessage(body)).toMatch(/JSON/);
  });

  it('a JSON value that is not an object is a 400', async () => {
    const { capture, body } = await post(route.path(MODEL), '[1, 2, 3]', headers);
    route.adapter.assertClientError(capture, body, 400);
  });

  it.each(route.wrongTypes)('a field of the wrong type is a 400 naming the field ($mentions)', async ({ body: sent, mentions }) => {
    const { capture, body } = await post(route.path(MODEL), sent, headers);
    route.adapter.assertClientError(capture, body, 400);
    expect(errorMessage(body)).toMatch(mentions);
  });

  it('a request without a model is refused in the dialect’s shape', async () => {
    const { capture, body } = await post(route.missingModel.path ?? route.path(MODEL), route.missingModel.body, headers);
    route.adapter.assertClientError(capture, body, route.missingModel.status);
    if (route.missingModel.status === 400) expect(errorMessage(body)).toMatch(/model/);
  });

  it('a request without messages is a 400 naming the field', async () => {
    const { capture, body } = await post(route.path(MODEL), route.missingMessages.body, headers);
    route.adapter.assertClientError(capture, body, 400);
    expect(errorMessage(body)).toMatch(route.missingMessages.mentions);
  });

  it('an unknown model is the documented 502 "unknown provider for model X"', async () => {
    const { capture, body } = await post(route.path('no-such-model'), route.valid('no-such-model'), headers);
    route.adapter.assertClientError(capture, body, 502);
    expect(errorMessage(body)).toBe('unknown provider for model no-such-model');
    expect(harness.upstreamRequests('no-such-model')).toEqual([]);
  });

  it.each([
    { how: 'declared in content-length', chunked: false },
    { how: 'sent chunked', chunked: true },
  ])(`a body over body-limit-mb (${BODY_LIMIT_MB} MB, $how) is a 413`, async ({ chunked }) => {
    const tag = uniqueTag();
    const big = JSON.stringify({ ...route.valid(MODEL), padding: `${tag}${'x'.repeat(1.5 * 1024 * 1024)}` });
    const payload = chunked
      ? (async function* () {
          for (let at = 0; at < big.length; at += 64 * 1024) yield Buffer.from(big.slice(at, at + 64 * 1024));
        })()
      : big;
    const { capture, body } = await post(route.path(MODEL), payload, headers);
    route.adapter.assertClientError(capture, body, 413);
    expect(errorMessage(body)).toMatch(/body-limit-mb/);
    expect(harness.upstreamRequests(tag)).toEqual([]);
  });

  it('keeps serving afterwards', async () => {
    const tag = uniqueTag();
    const valid = route.valid(MODEL);
    if (route.name === 'gemini') valid.contents = [{ role: 'user', parts: [{ text: `hi ${tag}` }] }];
    else if (route.name === 'openai-completions') valid.prompt = `hi ${tag}`;
    else if (route.name === 'openai-responses') valid.input = `hi ${tag}`;
    else valid.messages = [{ role: 'user', content: `hi ${tag}` }];
    const { capture } = await post(route.path(MODEL), valid, headers);
    expect(capture.status).toBe(200);
    expect(harness.upstreamRequests(tag)).toHaveLength(1);
    expectServing();
  });
});

describe.each(ROUTES)('$name: client authentication', (route) => {
  const headers = route.headers ?? {};

  it('a missing key is a 401 in the dialect’s shape', async () => {
    const response = await request(`${harness.url}${route.path(MODEL)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(route.valid(MODEL)),
    });
    const text = await response.body.text();
    route.adapter.assertClientError({ status: response.statusCode, headers: new Headers(response.headers as Record<string, string>) }, parseJsonOr(text), 401);
  });

  it('a wrong key is a 401 in the dialect’s shape', async () => {
    const { capture, body } = await post(route.path(MODEL), route.valid(MODEL), { ...headers, authorization: 'Bearer sk-wrong' });
    route.adapter.assertClientError(capture, body, 401);
  });
});

describe('each SDK’s own way of sending the key', () => {
  it('OpenAI SDK: Authorization: Bearer (right key accepted, wrong key an AuthenticationError)', async () => {
    const tag = uniqueTag();
    const client = new OpenAI({ apiKey: CONFORMANCE_KEY, baseURL: `${harness.url}/v1`, maxRetries: 0 });
    const completion = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: `hi ${tag}` }] });
    expect(completion.choices[0]!.message.content).toBe(`echo: hi ${tag}`);
    const wrong = new OpenAI({ apiKey: 'sk-wrong', baseURL: `${harness.url}/v1`, maxRetries: 0 });
    await expect(wrong.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'hi' }] })).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it('Anthropic SDK: x-api-key, and Authorization: Bearer for auth tokens', async () => {
    for (const options of [{ apiKey: CONFORMANCE_KEY }, { apiKey: null, authToken: CONFORMANCE_KEY }]) {
      const tag = uniqueTag();
      const client = new Anthropic({ ...options, baseURL: harness.url, maxRetries: 0 });
      const message = await client.messages.create({ model: MODEL, max_tokens: 64, messages: [{ role: 'user', content: `hi ${tag}` }] });
      expect(message.content).toEqual([{ type: 'text', text: `echo: hi ${tag}` }]);
      const sent = harness.upstreamRequests(tag);
      expect(sent).toHaveLength(1);
    }
    const wrong = new Anthropic({ apiKey: 'sk-wrong', baseURL: harness.url, maxRetries: 0 });
    await expect(wrong.messages.create({ model: MODEL, max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] })).rejects.toBeInstanceOf(
      Anthropic.AuthenticationError,
    );
  });

  it('Google GenAI SDK: x-goog-api-key', async () => {
    const tag = uniqueTag();
    const client = new GoogleGenAI({ apiKey: CONFORMANCE_KEY, httpOptions: { baseUrl: harness.url } });
    const response = await client.models.generateContent({ model: MODEL, contents: `hi ${tag}` });
    expect(response.text).toBe(`echo: hi ${tag}`);
    const wrong = new GoogleGenAI({ apiKey: 'sk-wrong', httpOptions: { baseUrl: harness.url } });
    await expect(wrong.models.generateContent({ model: MODEL, contents: 'hi' })).rejects.toMatchObject({ status: 401 });
  });

  it('?key= in the query (Gemini REST style)', async () => {
    const tag = uniqueTag();
    const response = await request(`${harness.url}/v1beta/models/${MODEL}:generateContent?key=${CONFORMANCE_KEY}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: `hi ${tag}` }] }] }),
    });
    const body = (await response.body.json()) as Json;
    expect(response.statusCode).toBe(200);
    expect(body.candidates[0].content.parts[0].text).toBe(`echo: hi ${tag}`);
  });

  it('the client key never reaches the upstream', () => {
    const leaked = harness.mock.requests.filter((recorded) => JSON.stringify(recorded.headers).includes(CONFORMANCE_KEY));
    expect(leaked).toEqual([]);
    expectServing();
  });
});
