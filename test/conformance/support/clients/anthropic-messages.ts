import { performance } from 'node:perf_hooks';
import Anthropic from '@anthropic-ai/sdk';
import { expect } from 'vitest';
import type { ClientAdapter, ClientReply, Conversation, HttpCapture, ToolCallSeen, TurnOptions, UserPart } from '../client.ts';
import { lastCapture, recordingFetch } from '../client.ts';
import { abortAtFirstContent, abortWhilePending } from '../abort-request.ts';

type Json = Record<string, any>;

const THINKING_BUDGET = 2048;
const MAX_TOKENS = 4096;

function wirePart(part: UserPart): Json {
  if (part.type === 'text') return { type: 'text', text: part.text };
  if (part.type === 'image') return { type: 'image', source: { type: 'base64', media_type: part.mediaType, data: part.data } };
  return { type: 'image', source: { type: 'url', url: part.url } };
}

function replyOf(message: Json): ClientReply {
  let text = '';
  let reasoningText = '';
  let reasoningSignature: string | undefined;
  const toolCalls: ToolCallSeen[] = [];
  for (const block of message.content ?? []) {
    if (block.type === 'text') text += block.text;
    else if (block.type === 'thinking') {
      reasoningText += block.thinking;
      if (block.signature) reasoningSignature = block.signature;
    } else if (block.type === 'redacted_thinking') reasoningSignature ??= block.data;
    else if (block.type === 'tool_use') toolCalls.push({ id: block.id, name: block.name, args: block.input });
  }
  return { text, reasoningText, reasoningSignature, finish: message.stop_reason, usage: message.usage, toolCalls };
}

class MessagesConversation implements Conversation {
  private readonly messages: Json[] = [];
  private readonly client: Anthropic;

  constructor(client: Anthropic) {
    this.client = client;
  }

  user(parts: string | UserPart[]): void {
    this.messages.push({ role: 'user', content: typeof parts === 'string' ? parts : parts.map(wirePart) });
  }

  toolResults(results: Array<{ call: ToolCallSeen; output: string }>): void {
    this.messages.push({
      role: 'user',
      content: results.map(({ call, output }) => ({ type: 'tool_result', tool_use_id: call.id, content: output })),
    });
  }

  private body(options: TurnOptions): Json {
    const body: Json = { model: options.model, max_tokens: options.sampling?.maxTokens ?? MAX_TOKENS, messages: [...this.messages] };
    if (options.system) body.system = options.system;
    if (options.sampling) {
      body.temperature = options.sampling.temperature;
      body.top_p = options.sampling.topP;
      body.stop_sequences = [...options.sampling.stop];
    }
    if (options.reasoning) body.thinking = { type: 'enabled', budget_tokens: THINKING_BUDGET };
    if (options.tools) body.tools = options.tools.map((tool) => ({ name: tool.name, description: tool.description, input_schema: tool.parameters }));
    return body;
  }

  async send(options: TurnOptions): Promise<ClientReply> {
    const body = this.body(options);
    const message = options.stream
      ? ((await this.client.messages.stream(body as any).finalMessage()) as Json)
      : ((await this.client.messages.create(body as any)) as Json);
    this.messages.push({ role: 'assistant', content: message.content });
    return replyOf(message);
  }

  async abort(options: TurnOptions, ready: () => Promise<void>): Promise<number> {
    const controller = new AbortController();
    const body = this.body(options);
    if (options.stream) {
      const stream = this.client.messages.stream(body as any, { signal: controller.signal }) as AsyncIterable<Json>;
      return abortAtFirstContent(controller, stream, (event) => event.type === 'content_block_delta' && event.delta?.type === 'text_delta');
    }
    return abortWhilePending(controller, this.client.messages.create(body as any, { signal: controller.signal }), ready);
  }
}

/** Anthropic's error shape: `{"type":"error","error":{"type","message"}}`. */
function assertAnthropicError(capture: HttpCapture, body: any, status: number, type: string | RegExp): void {
  expect(capture.status).toBe(status);
  expect(body?.type).toBe('error');
  expect(body.error.type).toEqual(typeof type === 'string' ? type : expect.stringMatching(type));
  expect(body.error.message).toEqual(expect.stringMatching(/\S/));
}

const CLIENT_ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
};

export const anthropicMessagesAdapter: ClientAdapter = {
  dialect: 'anthropic-messages',
  connect(baseUrl, apiKey) {
    const http: { last?: HttpCapture } = {};
    const client = new Anthropic({ apiKey, baseURL: baseUrl, maxRetries: 0, fetch: recordingFetch(http) });
    return { conversation: () => new MessagesConversation(client), lastHttp: () => lastCapture(http) };
  },
  finishTerms: { stop: 'end_turn', toolCalls: 'tool_use', length: 'max_tokens' },
  // Anthropic's input_tokens leaves out the tokens read from or written to the cache.
  expectedUsage: (u) => ({
    input_tokens: u.input - u.cacheRead - u.cacheWrite,
    cache_read_input_tokens: u.cacheRead,
    cache_creation_input_tokens: u.cacheWrite,
    output_tokens: u.output,
  }),
  maxTokens: MAX_TOKENS,
  reasoningRequest: { budget: THINKING_BUDGET },
  limits: {},
  assertRateLimited(capture, body, retryAfterSeconds) {
    assertAnthropicError(capture, body, 429, 'rate_limit_error');
    expect(capture.headers.get('retry-after')).toBe(String(retryAfterSeconds));
  },
  assertServerError(capture, body) {
    assertAnthropicError(capture, body, 500, 'api_error');
  },
  assertClientError(capture, body, status) {
    assertAnthropicError(capture, body, status, CLIENT_ERROR_TYPES[status] ?? /_error$/);
  },
};
