import type { IncomingHttpHeaders } from 'node:http';
import type { MockHttpAnswer, MockErrorSpec, MockProviderName, MockReply, RequestFacts, MockStreamAnswer } from './types.ts';

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
  authError(credential: string | undefined, route: MockRoute, headers: IncomingHttpHeaders): MockHttpAnswer;
  /** Rejections the real API makes before generating: missing fields, headers, bad signatures. */
  validate(body: Record<string, unknown>, headers: IncomingHttpHeaders, route: MockRoute): MockHttpAnswer | undefined;
  readRequest(body: Record<string, unknown>, route: MockRoute, bodyChars: number): RequestFacts;
  renderJson(reply: MockReply, facts: RequestFacts, route: MockRoute): MockHttpAnswer;
  renderStream(reply: MockReply, facts: RequestFacts, route: MockRoute, tokensPerChunk: number): MockStreamAnswer;
  renderError(error: MockErrorSpec, route: MockRoute): MockHttpAnswer;
  /** Routes other than generation: model lists, token counting, embeddings. */
  answerOther(route: MockRoute, body: Record<string, unknown>, bodyChars: number): MockHttpAnswer;
}

export function mockJsonAnswer(status: number, body: string, headers: Record<string, string> = {}): MockHttpAnswer {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body };
}

export function mockHeader(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function mockBearerToken(headers: IncomingHttpHeaders): string | undefined {
  const value = mockHeader(headers, 'authorization');
  if (!value) return undefined;
  return value.toLowerCase().startsWith('bearer ') ? value.slice(7).trim() : undefined;
}
