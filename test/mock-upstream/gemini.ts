import { clipMockText, mockContentText, mockHasText, mockLastPartText } from './content-text.ts';
import { mockGeminiChunkJson, mockGeminiPrettyJson } from './gemini-json.ts';
import { isMockSignature, mockId } from './ids.ts';
import { mockBearerToken, mockHeader, type MockProvider, type MockRoute } from './provider.ts';
import { countMockTokens, splitMockChunks } from './tokens.ts';
import type { MockHttpAnswer, MockJsonSchema, MockErrorSpec, MockReply, MockTool, MockUsage, RequestFacts, RequestSummary } from './types.ts';

type Json = Record<string, any>;


const JSON_TYPE = 'application/json; charset=UTF-8';
/** The value Google documents for history whose signatures were lost (e.g. written by another model). */
const SKIP_SIGNATURE = 'skip_thought_signature_validator';
const SSE_HEADERS = {
  'content-type': 'text/event-stream',
  'content-disposition': 'attachment',
  vary: 'Origin, X-Origin, Referer',
  'x-content-type-options': 'nosniff',
};

const CHAT_METHODS = ['generateContent', 'countTokens', 'createCachedContent', 'batchGenerateContent'];
const GEMINI_MODELS: Json[] = [
  chatModel('gemini-2.5-flash', 'Gemini 2.5 Flash'),
  chatModel('gemini-2.5-pro', 'Gemini 2.5 Pro'),
  chatModel('gemini-2.5-flash-lite', 'Gemini 2.5 Flash-Lite'),
  {
    name: 'models/gemini-embedding-001',
    version: '001',
    displayName: 'Gemini Embedding 001',
    description: 'Obtain a distributed representation of a text.',
    inputTokenLimit: 2048,
    outputTokenLimit: 1,
    supportedGenerationMethods: ['embedContent', 'countTextTokens', 'countTokens', 'asyncBatchEmbedContent'],
  },
];
const MODELS_BODY = `${mockGeminiPrettyJson({ models: GEMINI_MODELS })}\n`;

const STATUS_NAMES: Record<number, [string, string]> = {
  400: ['INVALID_ARGUMENT', 'Request contains an invalid argument.'],
  401: [
    'UNAUTHENTICATED',
    'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
  ],
  403: ['PERMISSION_DENIED', 'The caller does not have permission'],
  404: ['NOT_FOUND', 'Requested entity was not found.'],
  429: [
    'RESOURCE_EXHAUSTED',
    'You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.',
  ],
  500: ['INTERNAL', 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting'],
  503: ['UNAVAILABLE', 'The model is overloaded. Please try again later.'],
  504: ['DEADLINE_EXCEEDED', 'The request timed out. Please try again.'],
};

export const mockGeminiProvider: MockProvider = {
  name: 'gemini',

  credential(headers, query, route) {
    return mockHeader(headers, 'x-goog-api-key') ?? query.get('key') ?? (route.vertex ? mockBearerToken(headers) : undefined);
  },

  authError(key, route, headers) {
    if (key === undefined) {
      return geminiError(
        route,
        403,
        'PERMISSION_DENIED',
        "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
      );
    }
    if (route.vertex && mockBearerToken(headers) === key) return geminiError(route, 401, ...STATUS_NAMES[401]);
    // The real API answers a wrong key with 400, not 401; the reason is only in the details.
    const message = 'API key not valid. Please pass a valid API key.';
    return geminiError(route, 400, 'INVALID_ARGUMENT', message, [
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: 'API_KEY_INVALID',
        domain: 'googleapis.com',
        metadata: { service: 'generativelanguage.googleapis.com' },
      },
      { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US', message },
    ]);
  },

  validate(body, _headers, route) {
    if (route.action !== 'generate') return undefined;
    if (!Array.isArray(body.contents) || body.contents.length === 0) {
      return geminiError(route, 400, 'INVALID_ARGUMENT', '* GenerateContentRequest.contents: contents is not specified\n');
    }
    // Signatures are validated as the real API does: only its own, or the documented bypass value.
    for (const content of body.contents as Json[]) {
      for (const part of (content?.parts ?? []) as Json[]) {
        const signature = part?.thoughtSignature ?? part?.thought_signature;
        if (signature !== undefined && signature !== SKIP_SIGNATURE && !isMockSignature('gemini', signature)) {
          return geminiError(route, 400, 'INVALID_ARGUMENT', 'Corrupted thought signature.');
        }
      }
    }
    return undefined;
  },

  readRequest(body, route, bodyChars) {
    const contents = body.contents as Json[];
    const last = contents[contents.length - 1];
    let toolResults: string[] | undefined;
    const responses = ((last?.parts ?? []) as Json[]).filter((p) => p?.functionResponse);
    if (responses.length > 0) toolResults = responses.map((p) => JSON.stringify(p.functionResponse.response ?? {}));
    let directiveText = '';
    let echoText = '';
    for (let i = contents.length - 1; i >= 0; i--) {
      const c = contents[i];
      if ((c?.role ?? 'user') === 'user' && mockHasText(c?.parts)) {
        directiveText = mockContentText(c.parts);
        echoText = mockLastPartText(c.parts);
        break;
      }
    }
    const tools: MockTool[] = [];
    for (const group of (body.tools ?? []) as Json[]) {
      for (const d of (group?.functionDeclarations ?? group?.function_declarations ?? []) as Json[]) {
        if (d?.name) tools.push({ name: d.name, schema: d.parametersJsonSchema ?? d.parameters ?? {}, kind: 'function' });
      }
    }
    const calling = ((body.toolConfig ?? body.tool_config) as Json | undefined)?.functionCallingConfig as Json | undefined;
    const allowed = calling?.allowedFunctionNames as string[] | undefined;
    const config = generationConfig(body);
    const schema = (config.responseJsonSchema ?? config.responseSchema) as MockJsonSchema | undefined;
    return {
      body,
      model: route.model ?? '',
      stream: route.stream === true,
      directiveText,
      echoText,
      toolResults,
      tools,
      forcedTool: calling?.mode === 'ANY' ? (allowed?.length === 1 ? allowed[0] : true) : undefined,
      responseSchema: schema,
      jsonMode: config.responseMimeType === 'application/json',
      maxOutputTokens: config.maxOutputTokens as number | undefined,
      inputChars: bodyChars,
      summarize: () => summarize(body, route),
    };
  },

  renderJson(reply, facts, route) {
    const shape = new CandidateShape(facts, reply);
    const parts = shape.parts();
    const body = shape.chunk(parts, reply.usage.output - reply.usage.reasoning, true);
    return { status: 200, headers: { 'content-type': JSON_TYPE }, body: `${mockGeminiPrettyJson(route.vertex ? vertexBody(body) : body)}\n` };
  },

  renderStream(reply, facts, route, tokensPerChunk) {
    const shape = new CandidateShape(facts, reply);
    const chunks: Json[][] = [];
    if (reply.reasoning && shape.includeThoughts) {
      for (const text of splitMockChunks(reply.reasoning.text, tokensPerChunk)) chunks.push([{ text, thought: true }]);
    }
    const firstText = chunks.length;
    for (const text of splitMockChunks(reply.text, tokensPerChunk)) chunks.push([{ text }]);
    const calls = shape.functionCallParts();
    if (calls.length > 0) chunks.push(calls);
    else if (reply.reasoning) chunks.push([{ text: '', thoughtSignature: reply.reasoning.signature }]);
    if (chunks.length === 0) chunks.push([{ text: '' }]);

    const visibleTotal = reply.usage.output - reply.usage.reasoning;
    let textChars = 0;
    const counts = chunks.map((parts, i) => {
      if (i >= firstText) for (const p of parts) textChars += typeof p.text === 'string' ? p.text.length : 0;
      return i === chunks.length - 1 ? visibleTotal : Math.min(visibleTotal, countMockTokens(textChars));
    });
    const last = chunks.length - 1;
    if (!route.jsonArray) {
      return {
        headers: SSE_HEADERS,
        frames: chunks.map((parts, i) => shape.sseFrame(parts, counts[i], i === last)),
        errorFrame: (error) => `data: ${mockGeminiChunkJson(errorBody(error, route))}\r\n\r\n`,
      };
    }
    const bodies = chunks.map((parts, i) => shape.chunk(parts, counts[i], i === last));
    const frames = bodies.map((b, i) => `${i === 0 ? '[' : '\n,\r\n'}${mockGeminiPrettyJson(b)}`);
    frames.push('\n]');
    return {
      headers: { 'content-type': JSON_TYPE },
      frames,
      errorFrame: (error, sent) => `${sent === 0 ? '[' : '\n,\r\n'}${mockGeminiPrettyJson(errorBody(error, route))}\n]`,
    };
  },

  renderError(error, route) {
    const [status, message] = STATUS_NAMES[error.status] ?? (error.status >= 500 ? STATUS_NAMES[500] : STATUS_NAMES[400]);
    const details =
      error.status === 429 && error.retryAfter !== undefined
        ? [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${error.retryAfter}s` }]
        : undefined;
    const text = error.message ?? (error.status === 404 ? notFound(route) : message);
    return geminiError(route, error.status, status, text, details);
  },

  answerOther(route, body, bodyChars) {
    switch (route.action) {
      case 'list-models':
        return { status: 200, headers: { 'content-type': JSON_TYPE }, body: MODELS_BODY };
      case 'get-model': {
        const model = GEMINI_MODELS.find((m) => m.name === `models/${route.model}`);
        if (!model) return geminiError(route, 404, 'NOT_FOUND', `models/${route.model} is not found for API version v1beta`);
        return pretty(model);
      }
      case 'count-tokens': {
        const total = Math.max(1, countMockTokens(bodyChars));
        return pretty({ totalTokens: total, promptTokensDetails: [{ modality: 'TEXT', tokenCount: total }] });
      }
      case 'embed':
        return pretty({ embedding: { values: embedding(body) } });
      case 'batch-embed':
        return pretty({ embeddings: ((body.requests ?? []) as Json[]).map((r) => ({ values: embedding(r) })) });
      default:
        return geminiError(route, 404, 'NOT_FOUND', notFound(route));
    }
  },
};

/** Parts and chunks of one answer; the signature rides on the first function call, else the last text. */
class CandidateShape {
  readonly includeThoughts: boolean;
  private readonly responseId = mockId('', 22);
  private frameTail: string | undefined;
  private readonly facts: RequestFacts;
  private readonly reply: MockReply;

  constructor(facts: RequestFacts, reply: MockReply) {
    this.facts = facts;
    this.reply = reply;
    this.includeThoughts = generationConfig(facts.body).thinkingConfig?.includeThoughts === true;
  }

  functionCallParts(): Json[] {
    return this.reply.toolCalls.map((call, i) => {
      const part: Json = { functionCall: { name: call.name, args: parseArgs(call.input) } };
      if (i === 0 && this.reply.reasoning) part.thoughtSignature = this.reply.reasoning.signature;
      return part;
    });
  }

  parts(): Json[] {
    const { reply } = this;
    const parts: Json[] = [];
    if (reply.reasoning && this.includeThoughts) parts.push({ text: reply.reasoning.text, thought: true });
    const calls = this.functionCallParts();
    if (reply.text) {
      const part: Json = { text: reply.text };
      if (reply.reasoning && calls.length === 0) part.thoughtSignature = reply.reasoning.signature;
      parts.push(part);
    }
    parts.push(...calls);
    return parts;
  }

  /** The same chunk as `chunk`, serialised from a template: streams are the load-test hot path. */
  sseFrame(parts: Json[], candidatesTokens: number, finished: boolean): string {
    this.frameTail ??= `,"modelVersion": ${mockGeminiChunkJson(this.facts.model)},"responseId": "${this.responseId}"}\r\n\r\n`;
    const finish = finished ? (this.reply.finish === 'length' ? '"finishReason": "MAX_TOKENS",' : '"finishReason": "STOP",') : '';
    return (
      `data: {"candidates": [{"content": {"parts": ${mockGeminiChunkJson(parts)},"role": "model"},${finish}"index": 0}],` +
      `"usageMetadata": ${mockGeminiChunkJson(usage(this.reply.usage, candidatesTokens))}${this.frameTail}`
    );
  }

  chunk(parts: Json[], candidatesTokens: number, finished: boolean): Json {
    const candidate: Json = { content: { parts, role: 'model' } };
    if (finished) candidate.finishReason = this.reply.finish === 'length' ? 'MAX_TOKENS' : 'STOP';
    candidate.index = 0;
    return {
      candidates: [candidate],
      usageMetadata: usage(this.reply.usage, candidatesTokens),
      modelVersion: this.facts.model,
      responseId: this.responseId,
    };
  }
}

/** `candidatesTokenCount` leaves thoughts out; `promptTokenCount` includes cached tokens. */
function usage(u: MockUsage, candidates: number): Json {
  const meta: Json = {
    promptTokenCount: u.input,
    candidatesTokenCount: candidates,
    totalTokenCount: u.input + candidates + u.reasoning,
  };
  if (u.cacheRead > 0) meta.cachedContentTokenCount = u.cacheRead;
  meta.promptTokensDetails = [{ modality: 'TEXT', tokenCount: u.input }];
  if (u.cacheRead > 0) meta.cacheTokensDetails = [{ modality: 'TEXT', tokenCount: u.cacheRead }];
  if (u.reasoning > 0) meta.thoughtsTokenCount = u.reasoning;
  return meta;
}

function vertexBody(body: Json): Json {
  return { ...body, createTime: new Date().toISOString() };
}

function generationConfig(body: Json): Json {
  return (body.generationConfig ?? body.generation_config ?? {}) as Json;
}

function errorBody(error: MockErrorSpec, route: MockRoute): Json {
  const [status, message] = STATUS_NAMES[error.status] ?? STATUS_NAMES[500];
  return { error: { code: error.status, message: error.message ?? (error.status === 404 ? notFound(route) : message), status } };
}

/** Errors are pretty-printed; a JSON-array stream wraps them in the array. */
function geminiError(route: MockRoute, code: number, status: string, message: string, details?: Json[]): MockHttpAnswer {
  const error: Json = { code, message, status };
  if (details) error.details = details;
  const text = mockGeminiPrettyJson({ error });
  return { status: code, headers: { 'content-type': JSON_TYPE }, body: route.jsonArray ? `[${text}\n]` : `${text}\n` };
}

function notFound(route: MockRoute): string {
  return `models/${route.model} is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.`;
}

function pretty(body: Json): MockHttpAnswer {
  return { status: 200, headers: { 'content-type': JSON_TYPE }, body: `${mockGeminiPrettyJson(body)}\n` };
}

function parseArgs(input: string): unknown {
  try {
    return JSON.parse(input);
  } catch {
    return {};
  }
}

/** A deterministic unit-length vector derived from the text, so equal texts embed equally. */
function embedding(request: Json): number[] {
  const text = mockContentText(request?.content?.parts);
  const dims = Number(request?.outputDimensionality ?? request?.output_dimensionality ?? 768);
  let state = 2166136261;
  for (let i = 0; i < text.length; i++) state = Math.imul(state ^ text.charCodeAt(i), 16777619);
  const values: number[] = [];
  let norm = 0;
  for (let i = 0; i < dims; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const v = ((state >>> 0) / 0xffffffff) * 2 - 1;
    values.push(v);
    norm += v * v;
  }
  norm = Math.sqrt(norm) || 1;
  return values.map((v) => Math.round((v / norm) * 1e6) / 1e6);
}

function chatModel(id: string, displayName: string): Json {
  return {
    name: `models/${id}`,
    version: '001',
    displayName,
    description: `Mock of ${displayName}.`,
    inputTokenLimit: 1048576,
    outputTokenLimit: 65536,
    supportedGenerationMethods: CHAT_METHODS,
    temperature: 1,
    topP: 0.95,
    topK: 64,
    maxTemperature: 2,
    thinking: true,
  };
}

function summarize(body: Json, route: MockRoute): RequestSummary {
  const system = body.systemInstruction ?? body.system_instruction;
  const turns: string[] = [];
  for (const c of (body.contents ?? []) as Json[]) {
    const role = c?.role === 'model' ? 'assistant' : 'user';
    const texts: string[] = [];
    const flush = (): void => {
      if (texts.length > 0) turns.push(`${role}: ${clipMockText(texts.join('\n'))}`);
      texts.length = 0;
    };
    for (const p of (c?.parts ?? []) as Json[]) {
      if (typeof p?.text === 'string' && p.thought !== true) texts.push(p.text);
      else if (p?.inlineData || p?.fileData) texts.push('[image]');
      else {
        flush();
        if (p?.functionCall) turns.push(`assistant: [tool ${p.functionCall.name} ${clipMockText(JSON.stringify(p.functionCall.args ?? {}))}]`);
        else if (p?.functionResponse) turns.push(`tool: ${clipMockText(JSON.stringify(p.functionResponse.response ?? {}))}`);
        else if (p?.thought === true) turns.push('assistant: [reasoning]');
      }
    }
    flush();
  }
  const config = generationConfig(body);
  const calling = (body.toolConfig ?? body.tool_config)?.functionCallingConfig as Json | undefined;
  return {
    model: route.model ?? '',
    stream: route.stream === true,
    system: system === undefined ? '' : typeof system === 'string' ? system : mockContentText(system.parts),
    turns,
    tools: ((body.tools ?? []) as Json[]).flatMap((g) =>
      ((g?.functionDeclarations ?? g?.function_declarations ?? []) as Json[]).map((d) => d.name),
    ),
    toolChoice: calling?.mode,
    maxOutputTokens: config.maxOutputTokens,
    temperature: config.temperature,
    reasoning: config.thinkingConfig,
  };
}
