import type { DecodeRequestContext } from '../../ir/codec.ts';
import { invalidRequest } from '../../ir/gateway-error.ts';
import { isReasoningEffort, type ReasoningConfig } from '../../ir/reasoning.ts';
import type { CanonicalRequest, ResponseFormat } from '../../ir/request.ts';
import { decodeOpenaiChatMessages } from './decode-messages.ts';
import { decodeOpenaiChatToolChoice, decodeOpenaiChatTools } from './decode-tools.ts';
import type { OpenaiChatRequestExtensions } from './extensions.ts';
import {
  expectOpenaiChatObject,
  isOpenaiChatObject,
  optionalOpenaiChatBoolean,
  optionalOpenaiChatInteger,
  optionalOpenaiChatNumber,
  optionalOpenaiChatStop,
  optionalOpenaiChatString,
  type OpenaiChatJsonObject,
} from './json-values.ts';

/** Parameters without an IR field that an OpenAI Chat upstream understands; kept for same-dialect round trips. */
const PASSTHROUGH_FIELDS = [
  'frequency_penalty',
  'presence_penalty',
  'logit_bias',
  'logprobs',
  'top_logprobs',
  'seed',
  'service_tier',
  'store',
  'metadata',
  'prompt_cache_key',
  'prompt_cache_retention',
  'safety_identifier',
  'verbosity',
  'prediction',
  'web_search_options',
] as const;

function decodeResponseFormat(value: unknown): ResponseFormat | undefined {
  if (value === undefined || value === null) return undefined;
  const format = expectOpenaiChatObject(value, 'response_format');
  if (format.type === 'text') return { type: 'text' };
  if (format.type === 'json_object') return { type: 'json' };
  if (format.type !== 'json_schema') {
    throw invalidRequest('response_format.type: must be "text", "json_object" or "json_schema"');
  }
  const spec = expectOpenaiChatObject(format.json_schema, 'response_format.json_schema');
  const decoded: ResponseFormat = {
    type: 'json-schema',
    schema: spec.schema === undefined || spec.schema === null ? {} : expectOpenaiChatObject(spec.schema, 'response_format.json_schema.schema'),
  };
  const name = optionalOpenaiChatString(spec.name, 'response_format.json_schema.name');
  if (name !== undefined) decoded.name = name;
  const description = optionalOpenaiChatString(spec.description, 'response_format.json_schema.description');
  if (description !== undefined) decoded.description = description;
  const strict = optionalOpenaiChatBoolean(spec.strict, 'response_format.json_schema.strict');
  if (strict !== undefined) decoded.strict = strict;
  return decoded;
}

/** `reasoning_effort`, or OpenRouter's `reasoning: {effort, max_tokens, enabled}` that its clients send. */
function decodeReasoning(body: OpenaiChatJsonObject): ReasoningConfig | undefined {
  const effort = optionalOpenaiChatString(body.reasoning_effort, 'reasoning_effort');
  if (effort !== undefined) {
    if (!isReasoningEffort(effort)) throw invalidRequest(`reasoning_effort: unsupported value "${effort}"`);
    return { enabled: effort !== 'none', effort };
  }
  if (!isOpenaiChatObject(body.reasoning)) return undefined;
  const config: ReasoningConfig = { enabled: optionalOpenaiChatBoolean(body.reasoning.enabled, 'reasoning.enabled') ?? true };
  const routerEffort = optionalOpenaiChatString(body.reasoning.effort, 'reasoning.effort');
  if (routerEffort !== undefined) {
    if (!isReasoningEffort(routerEffort)) throw invalidRequest(`reasoning.effort: unsupported value "${routerEffort}"`);
    config.effort = routerEffort;
    if (routerEffort === 'none') config.enabled = false;
  }
  const budget = optionalOpenaiChatInteger(body.reasoning.max_tokens, 'reasoning.max_tokens');
  if (budget !== undefined) config.budgetTokens = budget;
  if (optionalOpenaiChatBoolean(body.reasoning.exclude, 'reasoning.exclude') === true) config.includeThoughts = false;
  return config;
}

function decodeExtensions(body: OpenaiChatJsonObject): OpenaiChatRequestExtensions | undefined {
  const extensions: OpenaiChatRequestExtensions = {};
  if (body.stream_options !== undefined && body.stream_options !== null) {
    const options = expectOpenaiChatObject(body.stream_options, 'stream_options');
    if (optionalOpenaiChatBoolean(options.include_usage, 'stream_options.include_usage') === true) extensions.includeUsage = true;
  }
  if (body.max_completion_tokens !== undefined && body.max_completion_tokens !== null) extensions.maxCompletionTokens = true;
  let passthrough: Record<string, unknown> | undefined;
  for (const field of PASSTHROUGH_FIELDS) {
    const value = body[field];
    if (value !== undefined && value !== null) (passthrough ??= {})[field] = value;
  }
  if (passthrough) extensions.passthrough = passthrough;
  return Object.keys(extensions).length > 0 ? extensions : undefined;
}

export function decodeOpenaiChatRequest(body: unknown, context: DecodeRequestContext): CanonicalRequest {
  if (!isOpenaiChatObject(body)) throw invalidRequest('body: must be a JSON object');
  const model = optionalOpenaiChatString(body.model, 'model') || context.model;
  if (!model) throw invalidRequest('model: is required');
  if (body.messages === undefined || body.messages === null) throw invalidRequest('messages: is required');
  const n = optionalOpenaiChatInteger(body.n, 'n');
  if (n !== undefined && n > 1) throw invalidRequest('n: only n=1 is supported');

  const request: CanonicalRequest = {
    model,
    messages: decodeOpenaiChatMessages(body.messages),
    stream: optionalOpenaiChatBoolean(body.stream, 'stream') ?? context.stream ?? false,
  };
  const tools = decodeOpenaiChatTools(body);
  if (tools !== undefined) request.tools = tools;
  const toolChoice = decodeOpenaiChatToolChoice(body);
  if (toolChoice !== undefined) request.toolChoice = toolChoice;
  const parallel = optionalOpenaiChatBoolean(body.parallel_tool_calls, 'parallel_tool_calls');
  if (parallel !== undefined) request.parallelToolCalls = parallel;
  const maxOutputTokens =
    optionalOpenaiChatInteger(body.max_completion_tokens, 'max_completion_tokens') ?? optionalOpenaiChatInteger(body.max_tokens, 'max_tokens');
  if (maxOutputTokens !== undefined) request.maxOutputTokens = maxOutputTokens;
  const temperature = optionalOpenaiChatNumber(body.temperature, 'temperature');
  if (temperature !== undefined) request.temperature = temperature;
  const topP = optionalOpenaiChatNumber(body.top_p, 'top_p');
  if (topP !== undefined) request.topP = topP;
  // Not OpenAI, but vLLM, llama.cpp and OpenRouter clients send it.
  const topK = optionalOpenaiChatInteger(body.top_k, 'top_k');
  if (topK !== undefined) request.topK = topK;
  const stop = optionalOpenaiChatStop(body.stop, 'stop');
  if (stop !== undefined) request.stopSequences = stop;
  const responseFormat = decodeResponseFormat(body.response_format);
  if (responseFormat !== undefined) request.responseFormat = responseFormat;
  const reasoning = decodeReasoning(body);
  if (reasoning !== undefined) request.reasoning = reasoning;
  const user = optionalOpenaiChatString(body.user, 'user');
  if (user !== undefined) request.user = user;
  const extensions = decodeExtensions(body);
  if (extensions !== undefined) request.extensions = { 'openai-chat': { ...extensions } };
  return request;
}
