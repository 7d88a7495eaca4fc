import { clipMockText, mockContentText, mockHasText, mockLastPartText } from './content-text.ts';
import { mockId } from './ids.ts';
import { mockMissingParameter, mockOpenAiErrorAnswer, mockOpenAiErrorFields, mockOpenAiRequestId, renderMockOpenAiAuthError, renderMockOpenAiError } from './openai-errors.ts';
import { mockBearerToken, mockJsonAnswer, type MockProvider } from './provider.ts';
import { splitMockChunks } from './tokens.ts';
import type { MockJsonSchema, MockReply, MockTool, MockUsage, RequestSummary } from './types.ts';

type Json = Record<string, any>;

const OPENAI_MODELS = ['gpt-4o-mini', 'gpt-4.1', 'gpt-5', 'gpt-5-codex'];
const MODEL_CREATED = 1_715_367_049;
const MODELS_BODY = `${JSON.stringify(
  { object: 'list', data: OPENAI_MODELS.map((id) => ({ id, object: 'model', created: MODEL_CREATED, owned_by: 'system' })) },
  null,
  2,
)}\n`;
const FINGERPRINT = 'fp_mock0001';
const DONE = 'data: [DONE]\n\n';
const STREAM_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' };

export const mockOpenAiChatProvider: MockProvider = {
  name: 'openai-chat',

  credential: (headers) => mockBearerToken(headers),
  authError: (key) => renderMockOpenAiAuthError(key),

  validate(body) {
    if (typeof body.model !== 'string' || body.model === '') {
      return mockOpenAiErrorAnswer(400, { message: 'you must provide a model parameter', type: 'invalid_request_error', param: null, code: null });
    }
    if (!Array.isArray(body.messages)) return mockMissingParameter('messages');
    return undefined;
  },

  readRequest(body, _route, bodyChars) {
    const messages = body.messages as Json[];
    const toolResults: string[] = [];
    for (let i = messages.length - 1; i >= 0 && messages[i]?.role === 'tool'; i--) toolResults.unshift(mockContentText(messages[i].content));
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
    if (Array.isArray(body.tools)) {
      for (const t of body.tools as Json[]) {
        if (t?.type === 'function' && t.function?.name) tools.push({ name: t.function.name, schema: t.function.parameters ?? {}, kind: 'function' });
      }
    }
    const choice = body.tool_choice as Json | string | undefined;
    const format = body.response_format as Json | undefined;
    return {
      body,
      model: body.model as string,
      stream: body.stream === true,
      directiveText,
      echoText,
      toolResults: toolResults.length > 0 ? toolResults : undefined,
      tools,
      forcedTool: choice === 'required' ? true : typeof choice === 'object' && choice?.function?.name ? choice.function.name : undefined,
      responseSchema: format?.type === 'json_schema' ? (format.json_schema?.schema as MockJsonSchema | undefined) : undefined,
      jsonMode: format?.type === 'json_object',
      maxOutputTokens: (body.max_completion_tokens ?? body.max_tokens) as number | undefined,
      inputChars: bodyChars,
      summarize: () => summarize(body),
    };
  },

  renderJson(reply, facts) {
    const message: Json = { role: 'assistant', content: reply.text || (reply.toolCalls.length > 0 ? null : ''), refusal: null, annotations: [] };
    if (reply.reasoning) message.reasoning_content = reply.reasoning.text;
    if (reply.toolCalls.length > 0) {
      message.tool_calls = reply.toolCalls.map((call) => ({
        id: mockId('call_', 24),
        type: 'function',
        function: { name: call.name, arguments: call.input },
      }));
    }
    const body = {
      id: mockId('chatcmpl-', 29),
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: facts.model,
      choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason(reply) }],
      usage: usage(reply.usage),
      service_tier: 'default',
      system_fingerprint: FINGERPRINT,
    };
    return mockJsonAnswer(200, `${JSON.stringify(body, null, 2)}\n`, { 'x-request-id': mockOpenAiRequestId() });
  },

  renderStream(reply, facts, _route, tokensPerChunk) {
    const options = (facts.body.stream_options ?? {}) as Json;
    const includeUsage = options.include_usage === true;
    const obfuscate = options.include_obfuscation !== false;
    const head =
      `data: {"id":"${mockId('chatcmpl-', 29)}","object":"chat.completion.chunk","created":${Math.floor(Date.now() / 1000)},` +
      `"model":${JSON.stringify(facts.model)},"service_tier":"default","system_fingerprint":"${FINGERPRINT}","choices":`;
    const tail = `${includeUsage ? ',"usage":null' : ''}${obfuscate ? ',"obfuscation":"' : ''}`;
    const frame = (delta: string, finish = 'null'): string =>
      `${head}[{"index":0,"delta":${delta},"logprobs":null,"finish_reason":${finish}}]${tail}${obfuscate ? `${obfuscation(delta)}"}` : '}'}\n\n`;

    const frames: string[] = [];
    const toolOnly = !reply.text && !reply.reasoning && reply.toolCalls.length > 0;
    if (!toolOnly) frames.push(frame(`{"role":"assistant","content":${reply.text ? '""' : 'null'},"refusal":null}`));
    if (reply.reasoning) {
      for (const piece of splitMockChunks(reply.reasoning.text, tokensPerChunk)) frames.push(frame(`{"reasoning_content":${JSON.stringify(piece)}}`));
    }
    for (const piece of splitMockChunks(reply.text, tokensPerChunk)) frames.push(frame(`{"content":${JSON.stringify(piece)}}`));
    reply.toolCalls.forEach((call, index) => {
      const start = `{"index":${index},"id":"${mockId('call_', 24)}","type":"function","function":{"name":${JSON.stringify(call.name)},"arguments":""}}`;
      frames.push(frame(toolOnly && index === 0 ? `{"role":"assistant","content":null,"tool_calls":[${start}],"refusal":null}` : `{"tool_calls":[${start}]}`));
      for (const piece of splitMockChunks(call.input, tokensPerChunk * 4)) {
        frames.push(frame(`{"tool_calls":[{"index":${index},"function":{"arguments":${JSON.stringify(piece)}}}]}`));
      }
    });
    frames.push(frame('{}', `"${finishReason(reply)}"`));
    if (includeUsage) {
      frames.push(
        `${head}[],"usage":${JSON.stringify(usage(reply.usage))}${obfuscate ? `,"obfuscation":"${obfuscation('usage')}"` : ''}}\n\n`,
      );
    }
    frames.push(DONE);
    return {
      headers: { ...STREAM_HEADERS, 'x-request-id': mockOpenAiRequestId() },
      frames,
      errorFrame: (error) => `data: ${JSON.stringify({ error: mockOpenAiErrorFields(error, facts.model) })}\n\n`,
    };
  },

  renderError: (error, route) => renderMockOpenAiError(error, route.model ?? 'gpt-4o-mini'),

  answerOther(route) {
    if (route.action === 'get-model') {
      const body = { id: route.model, object: 'model', created: MODEL_CREATED, owned_by: 'system' };
      return mockJsonAnswer(200, `${JSON.stringify(body, null, 2)}\n`);
    }
    return mockJsonAnswer(200, MODELS_BODY);
  },
};

function finishReason(reply: MockReply): string {
  if (reply.finish === 'tool') return 'tool_calls';
  return reply.finish;
}

function usage(u: MockUsage): Json {
  return {
    prompt_tokens: u.input,
    completion_tokens: u.output,
    total_tokens: u.input + u.output,
    prompt_tokens_details: { cached_tokens: u.cacheRead, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: u.reasoning, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

/** OpenAI pads deltas with random characters against length side channels; any short string does here. */
function obfuscation(delta: string): string {
  return 'mockpadding'.slice(0, 1 + (delta.length % 10));
}

function summarize(body: Json): RequestSummary {
  const system: string[] = [];
  const turns: string[] = [];
  for (const m of body.messages as Json[]) {
    if (m?.role === 'system' || m?.role === 'developer') {
      system.push(mockContentText(m.content));
    } else if (m?.role === 'assistant') {
      if (mockHasText(m.content) && mockContentText(m.content)) turns.push(`assistant: ${clipMockText(mockContentText(m.content))}`);
      for (const call of (m.tool_calls ?? []) as Json[]) turns.push(`assistant: [tool ${call.function?.name} ${clipMockText(call.function?.arguments ?? '')}]`);
    } else {
      turns.push(`${m?.role}: ${clipMockText(mockContentText(m?.content))}`);
    }
  }
  const choice = body.tool_choice;
  return {
    model: body.model,
    stream: body.stream === true,
    system: system.join('\n'),
    turns,
    tools: ((body.tools ?? []) as Json[]).map((t) => t.function?.name ?? t.type),
    toolChoice: choice === undefined ? undefined : typeof choice === 'string' ? choice : `tool:${choice.function?.name}`,
    maxOutputTokens: body.max_completion_tokens ?? body.max_tokens,
    temperature: body.temperature,
    reasoning: body.reasoning_effort,
  };
}
