import type { DecodeRequestContext } from '../../ir/codec.ts';
import { invalidRequest } from '../../ir/gateway-error.ts';
import type { ReasoningConfig } from '../../ir/reasoning.ts';
import { isReasoningEffort } from '../../ir/reasoning.ts';
import type { CanonicalRequest, ResponseFormat } from '../../ir/request.ts';
import { isRecord } from '../shared/json-fields.ts';
import { decodeResponsesInput } from './decode-input.ts';
import { decodeResponsesToolChoice, decodeResponsesTools } from './decode-tools.ts';
import { responsesExtension } from './extensions.ts';
import type { ResponsesExtension } from './extensions.ts';
import { optionalBoolean, optionalInteger, optionalNumber, optionalRecord, optionalString, requiredString } from './json-guards.ts';

/** Top-level fields with no IR counterpart that a Responses upstream should still receive unchanged. */
const RESPONSES_PASSTHROUGH_FIELDS = [
  'store',
  'include',
  'metadata',
  'safety_identifier',
  'prompt_cache_key',
  'prompt_cache_retention',
  'prompt_cache_options',
  'service_tier',
  'truncation',
  'top_logprobs',
  'max_tool_calls',
  'stream_options',
  'context_management',
] as const;

const STATELESS_HINT = 'Switchyard is a stateless gateway and stores nothing; send the whole conversation in input';

function rejectStatefulFields(body: Record<string, unknown>): void {
  if (body.previous_response_id !== undefined && body.previous_response_id !== null) {
    throw invalidRequest(`previous_response_id: not supported. ${STATELESS_HINT} (and set store: false)`);
  }
  if (body.conversation !== undefined && body.conversation !== null) {
    throw invalidRequest(`conversation: not supported. ${STATELESS_HINT}`);
  }
  if (body.prompt !== undefined && body.prompt !== null) {
    throw invalidRequest('prompt: stored prompt templates are not supported; send instructions and input instead');
  }
  if (body.background === true) {
    throw invalidRequest('background: background responses are not supported; use stream: true instead');
  }
}

function decodeTextFormat(text: Record<string, unknown>): ResponseFormat | undefined {
  const format = optionalRecord(text, 'format', 'text');
  if (format === undefined) return undefined;
  const type = requiredString(format, 'type', 'text.format');
  switch (type) {
    case 'text':
      return { type: 'text' };
    case 'json_object':
      return { type: 'json' };
    case 'json_schema': {
      const schema = optionalRecord(format, 'schema', 'text.format');
      if (schema === undefined) throw invalidRequest('text.format.schema: required for json_schema');
      const decoded: ResponseFormat = { type: 'json-schema', schema };
      const name = optionalString(format, 'name', 'text.format');
      if (name !== undefined) decoded.name = name;
      const description = optionalString(format, 'description', 'text.format');
      if (description !== undefined) decoded.description = description;
      const strict = optionalBoolean(format, 'strict', 'text.format');
      if (strict !== undefined) decoded.strict = strict;
      return decoded;
    }
    default:
      throw invalidRequest(`text.format.type: must be text, json_object or json_schema`);
  }
}

const NO_SUMMARY = new Set(['none', 'off']);

function decodeReasoning(reasoning: Record<string, unknown>, extension: ResponsesExtension): ReasoningConfig | undefined {
  const effort = reasoning.effort;
  if (effort !== undefined && effort !== null && !isReasoningEffort(effort)) {
    throw invalidRequest('reasoning.effort: must be one of none, minimal, low, medium, high, xhigh');
  }
  // `generate_summary` is the deprecated spelling of `summary`.
  const summary = optionalString(reasoning, 'summary', 'reasoning') ?? optionalString(reasoning, 'generate_summary', 'reasoning');
  if (summary !== undefined) extension.reasoningSummary = summary;
  if (effort === undefined || effort === null) {
    return summary === undefined ? undefined : { enabled: true, includeThoughts: !NO_SUMMARY.has(summary) };
  }
  const config: ReasoningConfig = { enabled: effort !== 'none', effort };
  if (summary !== undefined) config.includeThoughts = !NO_SUMMARY.has(summary);
  return config;
}

export function decodeResponsesRequest(body: unknown, context: DecodeRequestContext): CanonicalRequest {
  if (!isRecord(body)) throw invalidRequest('body: must be a JSON object');
  rejectStatefulFields(body);
  const model = optionalString(body, 'model', '') ?? context.model;
  if (model === undefined || model === '') throw invalidRequest('model: required');
  if (body.input === undefined || body.input === null) throw invalidRequest('input: required');

  const extension: ResponsesExtension = {};
  const { messages, trailingItems, compactionTrigger } = decodeResponsesInput(body.input);
  const instructions = optionalString(body, 'instructions', '');
  if (instructions !== undefined && instructions !== '') {
    messages.unshift({
      role: 'system',
      content: [{ type: 'text', text: instructions }],
      extensions: responsesExtension({ instructions: true }),
    });
  }
  if (messages.length === 0) throw invalidRequest('input: must contain at least one message');
  if (trailingItems) extension.trailingItems = trailingItems;
  if (compactionTrigger) extension.compactionTrigger = true;

  const request: CanonicalRequest = {
    model,
    messages,
    stream: optionalBoolean(body, 'stream', '') ?? context.stream ?? false,
  };

  const { tools, builtinTools } = decodeResponsesTools(body.tools);
  if (tools.length > 0) request.tools = tools;
  if (builtinTools.length > 0) extension.builtinTools = builtinTools;
  const toolChoice = decodeResponsesToolChoice(body.tool_choice);
  if (toolChoice) {
    request.toolChoice = toolChoice.toolChoice;
    if (toolChoice.raw !== undefined) extension.toolChoice = toolChoice.raw;
  }
  // A compaction turn must answer with a summary, never with a tool call.
  if (compactionTrigger) {
    request.toolChoice = { type: 'none' };
    delete extension.toolChoice;
  }
  const parallelToolCalls = optionalBoolean(body, 'parallel_tool_calls', '');
  if (parallelToolCalls !== undefined) request.parallelToolCalls = parallelToolCalls;
  const maxOutputTokens = optionalInteger(body, 'max_output_tokens', '');
  if (maxOutputTokens !== undefined) request.maxOutputTokens = maxOutputTokens;
  const temperature = optionalNumber(body, 'temperature', '');
  if (temperature !== undefined) request.temperature = temperature;
  const topP = optionalNumber(body, 'top_p', '');
  if (topP !== undefined) request.topP = topP;
  const user = optionalString(body, 'user', '');
  if (user !== undefined) request.user = user;

  const text = optionalRecord(body, 'text', '');
  if (text) {
    const format = decodeTextFormat(text);
    if (format) request.responseFormat = format;
    const verbosity = optionalString(text, 'verbosity', 'text');
    if (verbosity !== undefined) extension.verbosity = verbosity;
  }
  const reasoning = optionalRecord(body, 'reasoning', '');
  if (reasoning) {
    const config = decodeReasoning(reasoning, extension);
    if (config) request.reasoning = config;
  }

  const passthrough: Record<string, unknown> = {};
  for (const field of RESPONSES_PASSTHROUGH_FIELDS) {
    if (body[field] !== undefined && body[field] !== null) passthrough[field] = body[field];
  }
  if (Object.keys(passthrough).length > 0) extension.passthrough = passthrough;
  if (Object.keys(extension).length > 0) request.extensions = responsesExtension(extension);
  return request;
}
