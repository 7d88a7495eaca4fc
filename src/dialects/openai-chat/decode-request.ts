import type { DecodeRequestContext } from '../../ir/codec.ts';
import { invalidRequest } from '../../ir/gateway-error.ts';
import { isReasoningEffort, type ReasoningConfig } from '../../ir/reasoning.ts';
import type { CanonicalRequest, ResponseFormat } from '../../ir/request.ts';
import { expectRecord, isRecord, optionalJsonBoolean, optionalJsonString } from '../shared/json-fields.ts';
import { decodeOpenaiChatMessages } from './decode-messages.ts';
import {
  decodeOpenaiChatModel,
  decodeOpenaiChatSampling,
  decodeOpenaiChatUserAndExtensions,
  type OpenaiChatEndpointFields,
} from './decode-shared-fields.ts';
import { decodeOpenaiChatToolChoice, decodeOpenaiChatTools } from './decode-tools.ts';
import { optionalOpenaiChatInteger } from './json-values.ts';

const CHAT_FIELDS: OpenaiChatEndpointFields = {
  content: 'messages',
  maxCompletionTokens: true,
  topK: true,
  // Kept for same-dialect round trips.
  passthrough: [
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
  ],
};

function decodeResponseFormat(value: unknown): ResponseFormat | undefined {
  if (value === undefined || value === null) return undefined;
  const format = expectRecord(value, 'response_format');
  if (format.type === 'text') return { type: 'text' };
  if (format.type === 'json_object') return { type: 'json' };
  if (format.type !== 'json_schema') {
    throw invalidRequest('response_format.type: must be "text", "json_object" or "json_schema"');
  }
  const spec = expectRecord(format.json_schema, 'response_format.json_schema');
  const decoded: ResponseFormat = {
    type: 'json-schema',
    schema: spec.schema === undefined || spec.schema === null ? {} : expectRecord(spec.schema, 'response_format.json_schema.schema'),
  };
  const name = optionalJsonString(spec.name, 'response_format.json_schema.name');
  if (name !== undefined) decoded.name = name;
  const description = optionalJsonString(spec.description, 'response_format.json_schema.description');
  if (description !== undefined) decoded.description = description;
  const strict = optionalJsonBoolean(spec.strict, 'response_format.json_schema.strict');
  if (strict !== undefined) decoded.strict = strict;
  return decoded;
}

/** `reasoning_effort`, or OpenRouter's `reasoning: {effort, max_tokens, enabled}` that its clients send. */
function decodeReasoning(body: Record<string, unknown>): ReasoningConfig | undefined {
  const effort = optionalJsonString(body.reasoning_effort, 'reasoning_effort');
  if (effort !== undefined) {
    if (!isReasoningEffort(effort)) throw invalidRequest(`reasoning_effort: unsupported value "${effort}"`);
    return { enabled: effort !== 'none', effort };
  }
  if (!isRecord(body.reasoning)) return undefined;
  const config: ReasoningConfig = { enabled: optionalJsonBoolean(body.reasoning.enabled, 'reasoning.enabled') ?? true };
  const routerEffort = optionalJsonString(body.reasoning.effort, 'reasoning.effort');
  if (routerEffort !== undefined) {
    if (!isReasoningEffort(routerEffort)) throw invalidRequest(`reasoning.effort: unsupported value "${routerEffort}"`);
    config.effort = routerEffort;
    if (routerEffort === 'none') config.enabled = false;
  }
  const budget = optionalOpenaiChatInteger(body.reasoning.max_tokens, 'reasoning.max_tokens');
  if (budget !== undefined) config.budgetTokens = budget;
  if (optionalJsonBoolean(body.reasoning.exclude, 'reasoning.exclude') === true) config.includeThoughts = false;
  return config;
}

export function decodeOpenaiChatRequest(body: unknown, context: DecodeRequestContext): CanonicalRequest {
  if (!isRecord(body)) throw invalidRequest('body: must be a JSON object');
  const model = decodeOpenaiChatModel(body, context, CHAT_FIELDS);
  const request: CanonicalRequest = {
    model,
    messages: decodeOpenaiChatMessages(body.messages),
    stream: optionalJsonBoolean(body.stream, 'stream') ?? context.stream ?? false,
  };
  const tools = decodeOpenaiChatTools(body);
  if (tools !== undefined) request.tools = tools;
  const toolChoice = decodeOpenaiChatToolChoice(body);
  if (toolChoice !== undefined) request.toolChoice = toolChoice;
  const parallel = optionalJsonBoolean(body.parallel_tool_calls, 'parallel_tool_calls');
  if (parallel !== undefined) request.parallelToolCalls = parallel;
  decodeOpenaiChatSampling(body, request, CHAT_FIELDS);
  const responseFormat = decodeResponseFormat(body.response_format);
  if (responseFormat !== undefined) request.responseFormat = responseFormat;
  const reasoning = decodeReasoning(body);
  if (reasoning !== undefined) request.reasoning = reasoning;
  decodeOpenaiChatUserAndExtensions(body, request, CHAT_FIELDS);
  return request;
}
