import { clipMockText, mockContentText, mockHasText, mockLastPartText } from './content-text.ts';
import { isMockSignature, mockId, anthropicMockRequestId } from './ids.ts';
import { mockBearerToken, mockHeader, mockJsonAnswer, type MockProvider } from './provider.ts';
import { countMockTokens, splitMockChunks } from './tokens.ts';
import type { MockHttpAnswer, MockJsonSchema, MockErrorSpec, MockReply, MockTool, MockUsage, RequestSummary } from './types.ts';

type Json = Record<string, any>;


const ANTHROPIC_MODELS = [
  { id: 'claude-sonnet-4-5-20250929', display_name: 'Claude Sonnet 4.5', created_at: '2025-09-29T00:00:00Z' },
  { id: 'claude-opus-4-1-20250805', display_name: 'Claude Opus 4.1', created_at: '2025-08-05T00:00:00Z' },
  { id: 'claude-haiku-4-5-20251001', display_name: 'Claude Haiku 4.5', created_at: '2025-10-01T00:00:00Z' },
];
const MODELS_BODY = JSON.stringify({
  data: ANTHROPIC_MODELS.map((m) => ({ type: 'model', ...m })),
  has_more: false,
  first_id: ANTHROPIC_MODELS[0].id,
  last_id: ANTHROPIC_MODELS[ANTHROPIC_MODELS.length - 1].id,
});
/** The real ping carries a space after the colon. */
const PING = 'event: ping\ndata: {"type": "ping"}\n\n';
const MESSAGE_STOP = 'event: message_stop\ndata: {"type":"message_stop"}\n\n';

const ERROR_TYPES: Record<number, [string, string]> = {
  400: ['invalid_request_error', 'Invalid request.'],
  401: ['authentication_error', 'invalid x-api-key'],
  403: ['permission_error', 'Your API key does not have permission to use the specified resource.'],
  404: ['not_found_error', 'Not found.'],
  413: ['request_too_large', 'Request exceeds the maximum allowed number of bytes.'],
  429: [
    'rate_limit_error',
    'This request would exceed the rate limit for your organization of 50 requests per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits.',
  ],
  500: ['api_error', 'Internal server error'],
  529: ['overloaded_error', 'Overloaded'],
};

export const mockAnthropicProvider: MockProvider = {
  name: 'anthropic',

  credential: (headers) => mockHeader(headers, 'x-api-key') ?? mockBearerToken(headers),

  authError(key, _route, headers) {
    if (key === undefined) return anthropicError(401, 'authentication_error', 'x-api-key header is required');
    const viaBearer = mockHeader(headers, 'x-api-key') === undefined;
    return anthropicError(401, 'authentication_error', viaBearer ? 'Invalid bearer token' : 'invalid x-api-key');
  },

  validate(body, headers, route) {
    if (!mockHeader(headers, 'anthropic-version')) return invalid('anthropic-version: header is required');
    if (typeof body.model !== 'string') return invalid('model: Field required');
    if (!Array.isArray(body.messages)) return invalid('messages: Field required');
    if (route.action === 'generate' && body.max_tokens === undefined) return invalid('max_tokens: Field required');
    const messages = body.messages as Json[];
    for (let i = 0; i < messages.length; i++) {
      const content = messages[i]?.content;
      if (messages[i]?.role !== 'assistant' || !Array.isArray(content)) continue;
      for (let j = 0; j < content.length; j++) {
        if (content[j]?.type !== 'thinking') continue;
        if (content[j].signature === undefined) return invalid(`messages.${i}.content.${j}.thinking.signature: Field required`);
        if (!isMockSignature('anthropic', content[j].signature)) {
          return invalid(`messages.${i}.content.${j}: Invalid \`signature\` in \`thinking\` block`);
        }
      }
    }
    return undefined;
  },

  readRequest(body, _route, bodyChars) {
    const messages = body.messages as Json[];
    const last = messages[messages.length - 1];
    let toolResults: string[] | undefined;
    if (last?.role === 'user' && Array.isArray(last.content)) {
      const results = (last.content as Json[]).filter((b) => b?.type === 'tool_result');
      if (results.length > 0) toolResults = results.map((b) => mockContentText(b.content));
    }
    let directiveText = '';
    let echoText = '';
    for (let i = messages.length - 1; i >= 0; i--) {
      const m = messages[i];
      if (m?.role === 'user' && mockHasText(m.content)) {
        directiveText = mockContentText(m.content);
        echoText = mockLastPartText(m.content);
        break;
      }
    }
    const tools: MockTool[] = [];
    for (const t of (body.tools ?? []) as Json[]) {
      const clientTool = t?.type === undefined || t.type === 'custom' || /^(bash|text_editor)_/.test(t.type);
      if (clientTool && t.name) tools.push({ name: t.name, schema: t.input_schema ?? {}, kind: 'function' });
    }
    const choice = body.tool_choice as Json | undefined;
    const format = (body.output_format ?? (body.output_config as Json | undefined)?.format) as Json | undefined;
    return {
      body,
      model: body.model as string,
      stream: body.stream === true,
      directiveText,
      echoText,
      toolResults,
      tools,
      forcedTool: choice?.type === 'any' ? true : choice?.type === 'tool' ? choice.name : undefined,
      responseSchema: format?.type === 'json_schema' ? (format.schema as MockJsonSchema | undefined) : undefined,
      jsonMode: false,
      maxOutputTokens: body.max_tokens as number | undefined,
      inputChars: bodyChars,
      summarize: () => summarize(body),
    };
  },

  renderJson(reply, facts) {
    const content: Json[] = [];
    if (reply.reasoning) content.push({ type: 'thinking', thinking: shownThinking(facts.body, reply.reasoning.text), signature: reply.reasoning.signature });
    if (reply.text) content.push({ type: 'text', text: reply.text });
    for (const call of reply.toolCalls) content.push({ type: 'tool_use', id: mockId('toolu_01', 22), name: call.name, input: parseInput(call.input) });
    const body = {
      id: mockId('msg_01', 22),
      type: 'message',
      role: 'assistant',
      model: facts.model,
      content,
      stop_reason: stopReason(reply),
      stop_sequence: null,
      usage: {
        ...inputUsage(reply.usage),
        ...cacheCreation(reply.usage),
        output_tokens: reply.usage.output,
        ...outputDetails(reply.usage),
        service_tier: 'standard',
      },
    };
    return mockJsonAnswer(200, JSON.stringify(body), { 'request-id': anthropicMockRequestId() });
  },

  renderStream(reply, facts, _route, tokensPerChunk) {
    const frames: string[] = [];
    const start = {
      type: 'message_start',
      message: {
        id: mockId('msg_01', 22),
        type: 'message',
        role: 'assistant',
        model: facts.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...inputUsage(reply.usage), ...cacheCreation(reply.usage), output_tokens: 1, service_tier: 'standard' },
      },
    };
    frames.push(event('message_start', start));
    let index = 0;
    const block = (contentBlock: Json, deltas: Json[]): void => {
      frames.push(event('content_block_start', { type: 'content_block_start', index, content_block: contentBlock }));
      if (index === 0) frames.push(PING);
      for (const delta of deltas) frames.push(event('content_block_delta', { type: 'content_block_delta', index, delta }));
      frames.push(event('content_block_stop', { type: 'content_block_stop', index }));
      index++;
    };
    if (reply.reasoning) {
      const text = shownThinking(facts.body, reply.reasoning.text);
      const deltas: Json[] = splitMockChunks(text, tokensPerChunk).map((thinking) => ({ type: 'thinking_delta', thinking }));
      deltas.push({ type: 'signature_delta', signature: reply.reasoning.signature });
      block({ type: 'thinking', thinking: '', signature: '' }, deltas);
    }
    if (reply.text) {
      block({ type: 'text', text: '' }, splitMockChunks(reply.text, tokensPerChunk).map((text) => ({ type: 'text_delta', text })));
    }
    for (const call of reply.toolCalls) {
      // The real API opens every tool input with an empty partial_json.
      const pieces = ['', ...splitMockChunks(call.input, tokensPerChunk * 4)];
      block(
        { type: 'tool_use', id: mockId('toolu_01', 22), name: call.name, input: {} },
        pieces.map((partial_json) => ({ type: 'input_json_delta', partial_json })),
      );
    }
    if (index === 0) frames.push(PING);
    frames.push(
      event('message_delta', {
        type: 'message_delta',
        delta: { stop_reason: stopReason(reply), stop_sequence: null },
        usage: { ...inputUsage(reply.usage), output_tokens: reply.usage.output, ...outputDetails(reply.usage) },
      }),
    );
    frames.push(MESSAGE_STOP);
    return {
      headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'request-id': anthropicMockRequestId() },
      frames,
      errorFrame: (error) => {
        const [type, message] = errorFields(error);
        return event('error', { type: 'error', error: { type, message } });
      },
    };
  },

  renderError(error) {
    const [type, message] = errorFields(error);
    const headers: Record<string, string> = {};
    if (error.retryAfter !== undefined) headers['retry-after'] = String(error.retryAfter);
    if (error.status === 429) {
      headers['anthropic-ratelimit-requests-limit'] = '50';
      headers['anthropic-ratelimit-requests-remaining'] = '0';
      headers['anthropic-ratelimit-requests-reset'] = new Date(Date.now() + (error.retryAfter ?? 60) * 1000).toISOString();
    }
    return anthropicError(error.status, type, message, headers);
  },

  answerOther(route, _body, bodyChars) {
    if (route.action === 'count-tokens') {
      return mockJsonAnswer(200, JSON.stringify({ input_tokens: Math.max(1, countMockTokens(bodyChars)) }), { 'request-id': anthropicMockRequestId() });
    }
    if (route.action === 'get-model') {
      const model = ANTHROPIC_MODELS.find((m) => m.id === route.model);
      if (!model) return anthropicError(404, 'not_found_error', `model: ${route.model}`);
      return mockJsonAnswer(200, JSON.stringify({ type: 'model', ...model }));
    }
    return mockJsonAnswer(200, MODELS_BODY, { 'request-id': anthropicMockRequestId() });
  },
};

function event(name: string, data: Json): string {
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}

function errorFields(error: MockErrorSpec): [string, string] {
  const [type, message] = ERROR_TYPES[error.status] ?? (error.status >= 500 ? ERROR_TYPES[500] : ERROR_TYPES[400]);
  return [type, error.message ?? message];
}

function anthropicError(status: number, type: string, message: string, headers: Record<string, string> = {}): MockHttpAnswer {
  const id = anthropicMockRequestId();
  return mockJsonAnswer(status, JSON.stringify({ type: 'error', error: { type, message }, request_id: id }), { 'request-id': id, ...headers });
}

function invalid(message: string): MockHttpAnswer {
  return anthropicError(400, 'invalid_request_error', message);
}

/** `input_tokens` counts only the tokens that were neither read from nor written to the cache. */
function inputUsage(u: MockUsage): Json {
  return {
    input_tokens: u.input - u.cacheRead - u.cacheWrite,
    cache_creation_input_tokens: u.cacheWrite,
    cache_read_input_tokens: u.cacheRead,
  };
}

function cacheCreation(u: MockUsage): Json {
  return { cache_creation: { ephemeral_5m_input_tokens: u.cacheWrite, ephemeral_1h_input_tokens: 0 } };
}

function outputDetails(u: MockUsage): Json {
  return u.reasoning > 0 ? { output_tokens_details: { thinking_tokens: u.reasoning } } : {};
}

/** With `thinking.display: "omitted"` the block keeps only its signature. */
function shownThinking(body: Json, text: string): string {
  return body.thinking?.display === 'omitted' ? '' : text;
}

function stopReason(reply: MockReply): string {
  if (reply.finish === 'tool') return 'tool_use';
  if (reply.finish === 'length') return 'max_tokens';
  return 'end_turn';
}

function parseInput(input: string): unknown {
  try {
    return JSON.parse(input);
  } catch {
    return {};
  }
}

function summarize(body: Json): RequestSummary {
  const system: string[] = [];
  if (body.system !== undefined) system.push(mockContentText(body.system));
  const turns: string[] = [];
  for (const m of body.messages as Json[]) {
    if (m?.role === 'system') {
      system.push(mockContentText(m.content));
      continue;
    }
    const blocks: Json[] = typeof m?.content === 'string' ? [{ type: 'text', text: m.content }] : (m?.content ?? []);
    const texts: string[] = [];
    const flush = (): void => {
      if (texts.length > 0) turns.push(`${m.role}: ${clipMockText(texts.join('\n'))}`);
      texts.length = 0;
    };
    for (const b of blocks) {
      if (b?.type === 'text') texts.push(b.text);
      else if (b?.type === 'image' || b?.type === 'document') texts.push(`[${b.type === 'image' ? 'image' : 'file'}]`);
      else {
        flush();
        if (b?.type === 'tool_use') turns.push(`assistant: [tool ${b.name} ${clipMockText(JSON.stringify(b.input ?? {}))}]`);
        else if (b?.type === 'tool_result') turns.push(`tool: ${clipMockText(mockContentText(b.content))}`);
        else if (b?.type === 'thinking' || b?.type === 'redacted_thinking') turns.push('assistant: [reasoning]');
      }
    }
    flush();
  }
  const choice = body.tool_choice as Json | undefined;
  return {
    model: body.model,
    stream: body.stream === true,
    system: system.join('\n'),
    turns,
    tools: ((body.tools ?? []) as Json[]).map((t) => t.name ?? t.type),
    toolChoice: choice === undefined ? undefined : choice.type === 'tool' ? `tool:${choice.name}` : choice.type === 'any' ? 'required' : choice.type,
    maxOutputTokens: body.max_tokens,
    temperature: body.temperature,
    reasoning: body.thinking,
  };
}
