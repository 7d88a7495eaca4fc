import type { DecodeRequestContext } from '../../ir/codec.ts';
import { invalidRequest } from '../../ir/gateway-error.ts';
import type { CanonicalMessage } from '../../ir/message.ts';
import type { CanonicalRequest } from '../../ir/request.ts';
import { isRecord } from '../shared/json-fields.ts';
import { decodeAnthropicMessages, decodeAnthropicSystem } from './decode-messages.ts';
import { decodeAnthropicReasoning } from './decode-reasoning.ts';
import { decodeAnthropicResponseFormat } from './decode-response-format.ts';
import { decodeAnthropicToolChoice, decodeAnthropicTools } from './decode-tools.ts';
import { type AnthropicRequestExtension, toExtensions } from './extensions.ts';
import {
  optionalBoolean,
  optionalInteger,
  optionalNumber,
  optionalString,
  optionalStringArray,
  requireRecord,
} from './read-field.ts';

/** Top-level fields this decoder maps; every other field is kept for an Anthropic upstream. */
const MAPPED_FIELDS = new Set([
  'model',
  'max_tokens',
  'messages',
  'system',
  'tools',
  'tool_choice',
  'stop_sequences',
  'temperature',
  'top_p',
  'top_k',
  'thinking',
  'output_config',
  'output_format',
  'metadata',
  'stream',
]);

export interface AnthropicDecodeOptions {
  /** /v1/messages requires max_tokens; /v1/messages/count_tokens does not take it. */
  requireMaxTokens: boolean;
}

/** Everything of `record` but `mapped`, or undefined when nothing is left. */
function remainder(record: Record<string, unknown>, mapped: string): Record<string, unknown> | undefined {
  let rest: Record<string, unknown> | undefined;
  for (const key in record) if (key !== mapped) (rest ??= {})[key] = record[key];
  return rest;
}

export function decodeAnthropicRequestBody(
  body: unknown,
  context: DecodeRequestContext,
  options: AnthropicDecodeOptions,
): CanonicalRequest {
  if (!isRecord(body)) throw invalidRequest('body: Input should be a JSON object');
  const model = optionalString(body.model, 'model') ?? context.model;
  if (!model) throw invalidRequest('model: Field required');
  const maxTokens = optionalInteger(body.max_tokens, 'max_tokens', 1);
  if (maxTokens === undefined && options.requireMaxTokens) throw invalidRequest('max_tokens: Field required');

  const extension: AnthropicRequestExtension = {};
  const passthrough: Record<string, unknown> = {};
  for (const key in body) if (!MAPPED_FIELDS.has(key)) passthrough[key] = body[key];

  const messages: CanonicalMessage[] = [];
  decodeAnthropicSystem(body.system, messages);
  decodeAnthropicMessages(body.messages, messages);

  const request: CanonicalRequest = {
    model,
    messages,
    stream: optionalBoolean(body.stream, 'stream') ?? context.stream ?? false,
  };
  if (maxTokens !== undefined) request.maxOutputTokens = maxTokens;

  const tools = decodeAnthropicTools(body.tools, extension);
  if (tools) request.tools = tools;
  const { toolChoice, parallelToolCalls } = decodeAnthropicToolChoice(body.tool_choice);
  if (toolChoice) request.toolChoice = toolChoice;
  if (parallelToolCalls !== undefined) request.parallelToolCalls = parallelToolCalls;

  const temperature = optionalNumber(body.temperature, 'temperature');
  if (temperature !== undefined) request.temperature = temperature;
  const topP = optionalNumber(body.top_p, 'top_p');
  if (topP !== undefined) request.topP = topP;
  const topK = optionalInteger(body.top_k, 'top_k', 0);
  if (topK !== undefined) request.topK = topK;
  const stopSequences = optionalStringArray(body.stop_sequences, 'stop_sequences');
  if (stopSequences) request.stopSequences = stopSequences;

  let effort: unknown;
  if (body.output_config !== undefined && body.output_config !== null) {
    const outputConfig = requireRecord(body.output_config, 'output_config');
    effort = outputConfig.effort;
    const format = decodeAnthropicResponseFormat(outputConfig.format);
    if (format) request.responseFormat = format;
    const rest = remainder(outputConfig, 'effort');
    const unmapped = format && rest ? remainder(rest, 'format') : rest;
    if (unmapped) passthrough.output_config = unmapped;
  }
  const betaFormat = decodeAnthropicResponseFormat(body.output_format);
  if (betaFormat) {
    request.responseFormat = betaFormat;
    extension.formatInOutputFormat = true;
  } else if (body.output_format !== undefined) {
    passthrough.output_format = body.output_format;
  }
  const reasoning = decodeAnthropicReasoning(body.thinking, effort, extension);
  if (reasoning) request.reasoning = reasoning;

  if (body.metadata !== undefined && body.metadata !== null) {
    const metadata = requireRecord(body.metadata, 'metadata');
    const user = optionalString(metadata.user_id, 'metadata.user_id');
    if (user !== undefined) request.user = user;
    const rest = remainder(metadata, 'user_id');
    if (rest) passthrough.metadata = rest;
  }

  if (Object.keys(passthrough).length > 0) extension.passthrough = passthrough;
  const extensions = toExtensions(extension);
  if (extensions) request.extensions = extensions;
  return request;
}

export function decodeAnthropicRequest(body: unknown, context: DecodeRequestContext): CanonicalRequest {
  return decodeAnthropicRequestBody(body, context, { requireMaxTokens: true });
}
