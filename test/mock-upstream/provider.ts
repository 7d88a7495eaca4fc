import type { IncomingHttpHeaders } from 'node:http';
import type { HttpAnswer, MockErrorSpec, MockProviderName, MockReply, RequestFacts, StreamAnswer } from './types.ts';

export type MockAction = 'generate' | 'list-models' | 'get-model' | 'count-tokens' | 'embed' | 'batch-embed';

export interface MockRoute {
  provider: MockProvider;
  action: MockAction;
  /** Model from the URL (Gemini, model lookups). */
  model?: string;
  /** Gemini and Vertex carry streaming in the method name. */
  stream?: boolean;
  /** Gemini streaming without `?alt=sse`: a JSON array. */
  jsonArray?: boolean;
  /** The ChatGPT Codex backend (`/backend-api/codex/responses`). */
  codex?: boolean;
  /** Vertex AI path: OAuth bearer tokens are accepted too. */
  vertex?: boolean;
}

/** One upstream wire format, as the real provider speaks it. */
export interface MockProvider {
  name: MockProviderName;
  /** The credential the request carries, if any. */
  credential(headers: IncomingHttpHeaders, query: URLSearchParams, route: MockRoute): string | undefined;
  /** The real API's answer to a missing (undefined) or rejected credential. */
  authError(credential: string | undefined, route: MockRoute, headers: IncomingHttpHeaders): HttpAnswer;
  /** Rejections the real API makes before generating: missing fields, headers, bad signatures. */
  validate(body: Record<string, unknown>, headers: IncomingHttpHeaders, route: MockRoute): HttpAnswer | undefined;
  readRequest(body: Record<string, unknown>, route: MockRoute, bodyChars: number): RequestFacts;
  renderJson(reply: MockReply, facts: RequestFacts, route: MockRoute): HttpAnswer;
  renderStream(reply: MockReply, facts: RequestFacts, route: MockRoute, tokensPerChunk: number): StreamAnswer;
  renderError(error: MockErrorSpec, route: MockRoute): HttpAnswer;
  /** Routes other than generation: model lists, token counting, embeddings. */
  answerOther(route: MockRoute, body: Record<string, unknown>, bodyChars: number): HttpAnswer;
}

export function jsonAnswer(status: number, body: string, headers: Record<string, string> = {}): HttpAnswer {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body };
}

export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function bearer(headers: IncomingHttpHeaders): string | undefined {
  const value = headerValue(headers, 'authorization');
  if (!value) return undefined;
  return value.toLowerCase().startsWith('bearer ') ? value.slice(7).trim() : undefined;
}
