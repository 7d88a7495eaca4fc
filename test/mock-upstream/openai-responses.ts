import { clipMockText, mockContentText, mockHasText, mockLastPartText } from './content-text.ts';
import { isMockSignature, mockId } from './ids.ts';
import { mockMissingParameter, mockOpenAiErrorAnswer, mockOpenAiErrorFields, mockOpenAiRequestId, renderMockOpenAiAuthError, renderMockOpenAiError } from './openai-errors.ts';
import { mockBearerToken, mockJsonAnswer, type MockProvider } from './provider.ts';
import { splitMockChunks } from './tokens.ts';
import type { MockHttpAnswer, MockJsonSchema, MockReply, MockTool, MockUsage, RequestFacts, RequestSummary } from './types.ts';

type Json = Record<string, any>;

const TOOL_OUTPUT_TYPES = new Set(['function_call_output', 'custom_tool_call_output', 'local_shell_call_output']);

/** The Codex backend reports quota in headers on every answer. */
const CODEX_HEADERS = {
  'x-codex-plan-type': 'plus',
  'x-codex-primary-used-percent': '12',
  'x-codex-primary-window-minutes': '300',
  'x-codex-secondary-used-percent': '3',
  'x-codex-secondary-window-minutes': '10080',
};

export const mockOpenAiResponsesProvider: MockProvider = {
  name: 'openai-responses',

  credential: (headers) => mockBearerToken(headers),

  authError(key, route) {
    if (route.codex) return codexDetail(401, 'Could not parse your authentication token. Please try signing in again.');
    return renderMockOpenAiAuthError(key);
  },

  validate(body, _headers, route) {
    if (route.codex) {
      // The ChatGPT backend's own checks, in its `{"detail": ...}` shape. (It once also required
      // `instructions`; Codex CLI 0.171 sends its base prompt as a developer message instead.)
      if (body.stream !== true) return codexDetail(400, 'Stream must be set to true');
      if (body.store !== false) return codexDetail(400, 'Store must be set to false');
      if (Array.isArray(body.input) && (body.input as Json[]).some((item) => item?.role === 'system')) {
        return codexDetail(400, 'System messages are not allowed');
      }
    }
    if (typeof body.model !== 'string' || body.model === '') return mockMissingParameter('model');
    if (Array.isArray(body.input)) {
      for (const item of body.input as Json[]) {
        if (item?.type === 'reasoning' && item.encrypted_content && !isMockSignature('openai-responses', item.encrypted_content)) {
          return mockOpenAiErrorAnswer(400, {
            message: `The encrypted content for item ${item.id ?? 'rs_unknown'} could not be verified.`,
            type: 'invalid_request_error',
            param: null,
            code: 'invalid_encrypted_content',
          });
        }
      }
    }
    return undefined;
  },

  readRequest(body, _route, bodyChars) {
    const items: Json[] = typeof body.input === 'string' ? [{ role: 'user', content: body.input }] : ((body.input ?? []) as Json[]);
    const toolResults: string[] = [];
    for (let i = items.length - 1; i >= 0 && TOOL_OUTPUT_TYPES.has(items[i]?.type); i--) toolResults.unshift(mockContentText(items[i].output));
    let directiveText = '';
    let echoText = '';
    for (let i = items.length - 1; i >= 0; i--) {
      const item = items[i];
      if ((item?.type === undefined || item.type === 'message') && item?.role === 'user' && mockHasText(item.content)) {
        directiveText = mockContentText(item.content);
        echoText = mockLastPartText(item.content);
        break;
      }
    }
    const tools: MockTool[] = [];
    for (const t of (body.tools ?? []) as Json[]) {
      if (t?.type === 'function' && t.name) tools.push({ name: t.name, schema: t.parameters ?? {}, kind: 'function' });
      else if (t?.type === 'custom' && t.name) tools.push({ name: t.name, schema: {}, kind: 'custom' });
      else if (t?.type === 'local_shell') tools.push({ name: 'local_shell', schema: {}, kind: 'local_shell' });
    }
    const choice = body.tool_choice as Json | string | undefined;
    const format = (body.text as Json | undefined)?.format as Json | undefined;
    return {
      body,
      model: body.model as string,
      stream: body.stream === true,
      directiveText,
      echoText,
      toolResults: toolResults.length > 0 ? toolResults : undefined,
      tools,
      forcedTool: choice === 'required' ? true : typeof choice === 'object' && choice?.name ? choice.name : undefined,
      responseSchema: format?.type === 'json_schema' ? (format.schema as MockJsonSchema | undefined) : undefined,
      jsonMode: format?.type === 'json_object',
      maxOutputTokens: body.max_output_tokens as number | undefined,
      inputChars: bodyChars,
      summarize: () => summarize(body, items),
    };
  },

  renderJson(reply, facts) {
    const shape = new ResponseShape(facts, reply);
    const body = shape.response(reply.finish === 'length' ? 'incomplete' : 'completed', shape.items(true), usage(reply.usage));
    return mockJsonAnswer(200, `${JSON.stringify(body, null, 2)}\n`, { 'x-request-id': mockOpenAiRequestId() });
  },

  renderStream(reply, facts, route, tokensPerChunk) {
    const shape = new ResponseShape(facts, reply);
    const events = new EventWriter();
    events.push('response.created', { response: shape.response('in_progress', [], null) });
    events.push('response.in_progress', { response: shape.response('in_progress', [], null) });
    const done = shape.items(true);
    const started = shape.items(false);
    done.forEach((item, output_index) => {
      events.push('response.output_item.added', { output_index, item: started[output_index] });
      const item_id = item.id;
      if (item.type === 'reasoning' && item.summary.length > 0) {
        const text = item.summary[0].text;
        const at = { item_id, output_index, summary_index: 0 };
        events.push('response.reasoning_summary_part.added', { ...at, part: { type: 'summary_text', text: '' } });
        for (const delta of splitMockChunks(text, tokensPerChunk)) events.push('response.reasoning_summary_text.delta', { ...at, delta, obfuscation: pad(delta) });
        events.push('response.reasoning_summary_text.done', { ...at, text });
        events.push('response.reasoning_summary_part.done', { ...at, part: { type: 'summary_text', text } });
      } else if (item.type === 'message') {
        const at = { item_id, output_index, content_index: 0 };
        const text = item.content[0].text;
        events.push('response.content_part.added', { ...at, part: { type: 'output_text', annotations: [], logprobs: [], text: '' } });
        for (const delta of splitMockChunks(text, tokensPerChunk)) events.push('response.output_text.delta', { ...at, delta, logprobs: [], obfuscation: pad(delta) });
        events.push('response.output_text.done', { ...at, text, logprobs: [] });
        events.push('response.content_part.done', { ...at, part: item.content[0] });
      } else if (item.type === 'function_call') {
        for (const delta of splitMockChunks(item.arguments, tokensPerChunk * 4)) {
          events.push('response.function_call_arguments.delta', { item_id, output_index, delta, obfuscation: pad(delta) });
        }
        events.push('response.function_call_arguments.done', { item_id, output_index, arguments: item.arguments });
      } else if (item.type === 'custom_tool_call') {
        for (const delta of splitMockChunks(item.input, tokensPerChunk * 4)) events.push('response.custom_tool_call_input.delta', { item_id, output_index, delta });
        events.push('response.custom_tool_call_input.done', { item_id, output_index, input: item.input });
      }
      events.push('response.output_item.done', { output_index, item });
    });
    const incomplete = reply.finish === 'length';
    events.push(incomplete ? 'response.incomplete' : 'response.completed', {
      response: shape.response(incomplete ? 'incomplete' : 'completed', done, usage(reply.usage)),
    });
    // The Codex backend sends its event stream without a Content-Type header.
    const headers: Record<string, string> = route.codex
      ? { 'cache-control': 'no-cache', ...CODEX_HEADERS }
      : { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-request-id': mockOpenAiRequestId() };
    return {
      headers,
      frames: events.frames,
      errorFrame(error, framesSent) {
        const fields = mockOpenAiErrorFields(error, facts.model);
        const failed = shape.response('failed', [], null);
        failed.error = { code: fields.code ?? fields.type, message: fields.message };
        return eventFrame('response.failed', framesSent, { response: failed });
      },
    };
  },

  renderError(error, route) {
    if (route.codex && error.status === 429) {
      const wait = error.retryAfter ?? 3600;
      const body = {
        error: {
          type: 'usage_limit_reached',
          message: error.message ?? 'The usage limit has been reached',
          plan_type: 'plus',
          resets_at: Math.floor(Date.now() / 1000) + wait,
          resets_in_seconds: wait,
        },
      };
      return mockJsonAnswer(429, JSON.stringify(body), { ...CODEX_HEADERS, 'x-codex-primary-used-percent': '100' });
    }
    return renderMockOpenAiError(error, route.model ?? 'gpt-5');
  },

  answerOther: () => codexDetail(404, 'Not Found'),
};

function codexDetail(status: number, detail: string): MockHttpAnswer {
  return mockJsonAnswer(status, JSON.stringify({ detail }));
}

/** Builds the response object and its output items with stable ids across the events of one answer. */
class ResponseShape {
  private readonly id = mockId('resp_', 48);
  private readonly createdAt = Math.floor(Date.now() / 1000);
  private readonly reasoningId = mockId('rs_', 48);
  private readonly messageId = mockId('msg_', 48);
  private readonly callIds: Array<{ item: string; call: string }>;
  private readonly facts: RequestFacts;
  private readonly reply: MockReply;

  constructor(facts: RequestFacts, reply: MockReply) {
    this.facts = facts;
    this.reply = reply;
    const prefixes = { function: 'fc_', custom: 'ctc_', local_shell: 'lsh_' };
    this.callIds = reply.toolCalls.map((c) => ({ item: mockId(prefixes[c.kind], 48), call: mockId('call_', 24) }));
  }

  response(status: string, output: Json[], usageBody: Json | null): Json {
    const body = this.facts.body;
    const reasoning = (body.reasoning ?? {}) as Json;
    const text = (body.text ?? {}) as Json;
    return {
      id: this.id,
      object: 'response',
      created_at: this.createdAt,
      status,
      background: false,
      completed_at: status === 'completed' ? Math.floor(Date.now() / 1000) : null,
      error: null,
      incomplete_details: status === 'incomplete' ? { reason: 'max_output_tokens' } : null,
      instructions: body.instructions ?? null,
      max_output_tokens: body.max_output_tokens ?? null,
      max_tool_calls: body.max_tool_calls ?? null,
      model: this.facts.model,
      output,
      parallel_tool_calls: body.parallel_tool_calls ?? true,
      previous_response_id: body.previous_response_id ?? null,
      prompt_cache_key: body.prompt_cache_key ?? null,
      reasoning: { effort: reasoning.effort ?? null, summary: reasoning.summary ?? null },
      safety_identifier: body.safety_identifier ?? null,
      service_tier: 'default',
      store: body.store ?? true,
      temperature: body.temperature ?? 1,
      text: { format: text.format ?? { type: 'text' }, verbosity: text.verbosity ?? 'medium' },
      tool_choice: body.tool_choice ?? 'auto',
      tools: body.tools ?? [],
      top_logprobs: body.top_logprobs ?? 0,
      top_p: body.top_p ?? 1,
      truncation: body.truncation ?? 'disabled',
      usage: usageBody,
      user: body.user ?? null,
      metadata: body.metadata ?? {},
    };
  }

  /** The output items, finished or as first announced (empty, in progress). */
  items(finished: boolean): Json[] {
    const reply = this.reply;
    const body = this.facts.body;
    const items: Json[] = [];
    if (reply.reasoning) {
      const summaryWanted = typeof body.reasoning?.summary === 'string' && body.reasoning.summary !== 'none';
      const encrypted = Array.isArray(body.include) && body.include.includes('reasoning.encrypted_content');
      const item: Json = {
        id: this.reasoningId,
        type: 'reasoning',
        summary: finished && summaryWanted ? [{ type: 'summary_text', text: reply.reasoning.text }] : [],
      };
      if (encrypted) item.encrypted_content = reply.reasoning.signature;
      items.push(item);
    }
    if (reply.text) {
      items.push({
        id: this.messageId,
        type: 'message',
        status: finished ? 'completed' : 'in_progress',
        content: finished ? [{ type: 'output_text', annotations: [], logprobs: [], text: reply.text }] : [],
        role: 'assistant',
      });
    }
    reply.toolCalls.forEach((call, i) => {
      const status = finished ? 'completed' : 'in_progress';
      const { item: id, call: callId } = this.callIds[i];
      if (call.kind === 'custom') {
        items.push({ id, type: 'custom_tool_call', status, call_id: callId, input: finished ? call.input : '', name: call.name });
      } else if (call.kind === 'local_shell') {
        items.push({
          id,
          type: 'local_shell_call',
          status,
          call_id: callId,
          action: { type: 'exec', command: ['bash', '-lc', call.input], env: {}, timeout_ms: null, user: null, working_directory: null },
        });
      } else {
        items.push({ id, type: 'function_call', status, arguments: finished ? call.input : '', call_id: callId, name: call.name });
      }
    });
    return items;
  }
}

class EventWriter {
  readonly frames: string[] = [];

  push(type: string, fields: Json): void {
    this.frames.push(eventFrame(type, this.frames.length, fields));
  }
}

function eventFrame(type: string, sequence: number, fields: Json): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence, ...fields })}\n\n`;
}

function usage(u: MockUsage): Json {
  return {
    input_tokens: u.input,
    input_tokens_details: { cached_tokens: u.cacheRead },
    output_tokens: u.output,
    output_tokens_details: { reasoning_tokens: u.reasoning },
    total_tokens: u.input + u.output,
  };
}

function pad(delta: string): string {
  return 'mockpadding'.slice(0, 1 + (delta.length % 10));
}

function summarize(body: Json, items: Json[]): RequestSummary {
  const system: string[] = typeof body.instructions === 'string' ? [body.instructions] : [];
  const turns: string[] = [];
  for (const item of items) {
    const type = item?.type ?? 'message';
    if (type === 'message') {
      if (item.role === 'system' || item.role === 'developer') system.push(mockContentText(item.content));
      else turns.push(`${item.role}: ${clipMockText(mockContentText(item.content))}`);
    } else if (type === 'function_call') {
      turns.push(`assistant: [tool ${item.name} ${clipMockText(item.arguments ?? '')}]`);
    } else if (type === 'custom_tool_call') {
      turns.push(`assistant: [tool ${item.name} ${clipMockText(item.input ?? '')}]`);
    } else if (TOOL_OUTPUT_TYPES.has(type)) {
      turns.push(`tool: ${clipMockText(mockContentText(item.output))}`);
    } else if (type === 'reasoning') {
      turns.push('assistant: [reasoning]');
    }
  }
  const choice = body.tool_choice;
  return {
    model: body.model,
    stream: body.stream === true,
    system: system.join('\n'),
    turns,
    tools: ((body.tools ?? []) as Json[]).map((t) => t.name ?? t.type),
    toolChoice: choice === undefined ? undefined : typeof choice === 'string' ? choice : `tool:${choice.name}`,
    maxOutputTokens: body.max_output_tokens,
    temperature: body.temperature,
    reasoning: body.reasoning,
  };
}
