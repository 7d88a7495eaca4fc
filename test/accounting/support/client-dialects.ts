import { request } from 'undici';
import type { HttpAnswer } from './management-client.ts';

export type ClientDialect = 'openai-chat' | 'openai-responses' | 'anthropic-messages' | 'gemini';

export const CLIENT_DIALECTS: readonly ClientDialect[] = ['openai-chat', 'openai-responses', 'anthropic-messages', 'gemini'];

/** Token figures as accounting keeps them: input counts cached and cache-write tokens, output counts reasoning. */
export interface InclusiveTokens {
  in: number;
  out: number;
  cacheRead: number;
  cacheWrite: number;
  reasoning: number;
}

export interface ClientCall {
  dialect: ClientDialect;
  model: string;
  prompt: string;
  stream: boolean;
  /** The client key, sent where that dialect's clients put it. */
  key: string;
  /** OpenAI Chat streams: ask for the usage chunk (`stream_options.include_usage`); default true. */
  includeUsage?: boolean;
}

/** The HTTP request a client of `dialect` makes. Gemini streams pass the key as `?key=`, the others in headers. */
export function clientRequest(call: ClientCall): { path: string; headers: Record<string, string>; body: unknown } {
  const { model, prompt, stream, key } = call;
  switch (call.dialect) {
    case 'openai-chat':
      return {
        path: '/v1/chat/completions',
        headers: { authorization: `Bearer ${key}` },
        body: { model, stream, ...(stream && call.includeUsage !== false ? { stream_options: { include_usage: true } } : {}), messages: [{ role: 'user', content: prompt }] },
      };
    case 'openai-responses':
      return { path: '/v1/responses', headers: { authorization: `Bearer ${key}` }, body: { model, stream, input: prompt } };
    case 'anthropic-messages':
      return {
        path: '/v1/messages',
        headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01' },
        body: { model, stream, max_tokens: 512, messages: [{ role: 'user', content: prompt }] },
      };
    case 'gemini':
      return stream
        ? { path: `/v1beta/models/${model}:streamGenerateContent?alt=sse&key=${key}`, headers: {}, body: { contents: [{ role: 'user', parts: [{ text: prompt }] }] } }
        : { path: `/v1beta/models/${model}:generateContent`, headers: { 'x-goog-api-key': key }, body: { contents: [{ role: 'user', parts: [{ text: prompt }] }] } };
  }
}

export async function sendClientCall(gatewayUrl: string, call: ClientCall): Promise<HttpAnswer> {
  const { path, headers, body } = clientRequest(call);
  const response = await request(`${gatewayUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.statusCode, headers: response.headers, text: await response.body.text() };
}

/** The JSON payloads of an SSE body, `[DONE]` left out. */
function ssePayloads(text: string): Array<Record<string, any>> {
  const payloads: Array<Record<string, any>> = [];
  for (const frame of text.split(/\r?\n\r?\n/)) {
    const data = frame
      .split(/\r?\n/)
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).trimStart())
      .join('\n');
    if (data && data !== '[DONE]') payloads.push(JSON.parse(data) as Record<string, any>);
  }
  return payloads;
}

const n = (value: unknown): number => (typeof value === 'number' ? value : 0);

/**
 * The usage the client was told, in its own dialect's terms, converted to inclusive totals by
 * that dialect's rules: Anthropic's `input_tokens` leaves cache reads and writes out, Gemini's
 * `candidatesTokenCount` leaves thoughts out; OpenAI's figures are inclusive already. Only the
 * fields the dialect carries are returned.
 */
export function clientUsage(dialect: ClientDialect, text: string, stream: boolean): Partial<InclusiveTokens> {
  switch (dialect) {
    case 'openai-chat': {
      const usage = stream ? ssePayloads(text).findLast((chunk) => chunk.usage)?.usage : JSON.parse(text).usage;
      return {
        in: n(usage?.prompt_tokens),
        out: n(usage?.completion_tokens),
        cacheRead: n(usage?.prompt_tokens_details?.cached_tokens),
        reasoning: n(usage?.completion_tokens_details?.reasoning_tokens),
      };
    }
    case 'openai-responses': {
      const usage = stream ? ssePayloads(text).findLast((event) => event.type === 'response.completed')?.response?.usage : JSON.parse(text).usage;
      return {
        in: n(usage?.input_tokens),
        out: n(usage?.output_tokens),
        cacheRead: n(usage?.input_tokens_details?.cached_tokens),
        reasoning: n(usage?.output_tokens_details?.reasoning_tokens),
      };
    }
    case 'anthropic-messages': {
      // A stream reports input in message_start and the final output in message_delta; later figures win.
      let usage: Record<string, any> = {};
      if (stream) {
        for (const event of ssePayloads(text)) {
          const part = event.type === 'message_start' ? event.message?.usage : event.type === 'message_delta' ? event.usage : undefined;
          if (part) usage = { ...usage, ...Object.fromEntries(Object.entries(part).filter(([, value]) => value !== null && value !== 0)) };
        }
      } else {
        usage = JSON.parse(text).usage;
      }
      return {
        in: n(usage.input_tokens) + n(usage.cache_read_input_tokens) + n(usage.cache_creation_input_tokens),
        out: n(usage.output_tokens),
        cacheRead: n(usage.cache_read_input_tokens),
        cacheWrite: n(usage.cache_creation_input_tokens),
      };
    }
    case 'gemini': {
      const metadata = stream ? ssePayloads(text).findLast((chunk) => chunk.usageMetadata)?.usageMetadata : JSON.parse(text).usageMetadata;
      return {
        in: n(metadata?.promptTokenCount),
        out: n(metadata?.candidatesTokenCount) + n(metadata?.thoughtsTokenCount),
        cacheRead: n(metadata?.cachedContentTokenCount),
        reasoning: n(metadata?.thoughtsTokenCount),
      };
    }
  }
}
