import type { IncomingHttpHeaders } from 'node:http';
import { mockAnthropicProvider } from './anthropic-messages.ts';
import { mockGeminiProvider } from './gemini.ts';
import { mockOpenAiChatProvider } from './openai-chat.ts';
import { mockOpenAiResponsesProvider } from './openai-responses.ts';
import type { MockAction, MockRoute } from './provider.ts';

const GEMINI_METHODS: Record<string, { action: MockAction; stream?: boolean }> = {
  generateContent: { action: 'generate', stream: false },
  streamGenerateContent: { action: 'generate', stream: true },
  countTokens: { action: 'count-tokens' },
  embedContent: { action: 'embed' },
  batchEmbedContents: { action: 'batch-embed' },
};

/** Gemini API (`/v1beta/models/...`, `/v1/models/...`) and Vertex AI publisher paths. */
const GEMINI_PATH = /^\/(v1beta|v1|v1beta1)\/(?:projects\/[^/]+\/locations\/[^/]+\/)?(publishers\/google\/)?models(?:\/(.+))?$/;

/** Which wire format answers a request; undefined when no real provider has this route. */
export function matchMockRoute(method: string, path: string, query: URLSearchParams, headers: IncomingHttpHeaders): MockRoute | undefined {
  if (method === 'POST') {
    switch (path) {
      case '/v1/chat/completions':
        return { provider: mockOpenAiChatProvider, action: 'generate' };
      case '/v1/responses':
        return { provider: mockOpenAiResponsesProvider, action: 'generate' };
      case '/backend-api/codex/responses':
        return { provider: mockOpenAiResponsesProvider, action: 'generate', codex: true };
      case '/v1/messages':
        return { provider: mockAnthropicProvider, action: 'generate' };
      case '/v1/messages/count_tokens':
        return { provider: mockAnthropicProvider, action: 'count-tokens' };
    }
  }
  const geminiKey = headers['x-goog-api-key'] !== undefined || query.has('key');
  if (method === 'GET' && !geminiKey && (path === '/v1/models' || path.startsWith('/v1/models/'))) {
    // OpenAI and Anthropic share the path; only Anthropic clients send these headers.
    const anthropic = headers['anthropic-version'] !== undefined || headers['x-api-key'] !== undefined;
    const model = path.length > '/v1/models/'.length ? decodeURIComponent(path.slice('/v1/models/'.length)) : undefined;
    return { provider: anthropic ? mockAnthropicProvider : mockOpenAiChatProvider, action: model ? 'get-model' : 'list-models', model };
  }
  const match = GEMINI_PATH.exec(path);
  if (!match) return undefined;
  const vertex = match[2] !== undefined;
  const rest = match[3] ? decodeURIComponent(match[3]) : undefined;
  if (method === 'GET') return { provider: mockGeminiProvider, action: rest ? 'get-model' : 'list-models', model: rest, vertex };
  if (method !== 'POST' || !rest) return undefined;
  const colon = rest.lastIndexOf(':');
  const known = colon === -1 ? undefined : GEMINI_METHODS[rest.slice(colon + 1)];
  if (!known) return undefined;
  const stream = known.stream === true;
  return {
    provider: mockGeminiProvider,
    action: known.action,
    model: rest.slice(0, colon),
    stream,
    jsonArray: stream && query.get('alt') !== 'sse',
    vertex,
  };
}
