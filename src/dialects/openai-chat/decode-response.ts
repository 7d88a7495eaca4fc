import type { AssistantContentPart } from '../../ir/content.ts';
import { GatewayError } from '../../ir/gateway-error.ts';
import type { CanonicalResponse } from '../../ir/response.ts';
import { emptyUsage } from '../../ir/usage.ts';
import { isRecord, numberOrZero, optionalJsonString } from '../shared/json-fields.ts';
import { openaiChatUpstreamError } from './decode-error.ts';
import { decodeOpenaiChatFinishReason } from './map-finish-reason.ts';
import { decodeOpenaiChatUsage } from './map-usage.ts';
import { inventOpenaiChatToolCallId } from './response-id.ts';

/** Upstream arguments: JSON text as sent; some compatible servers send an object, none sends nothing. */
export function openaiChatArgumentsText(value: unknown): string {
  if (typeof value === 'string') return value === '' ? '{}' : value;
  if (isRecord(value)) return JSON.stringify(value);
  return '{}';
}

function decodeMessage(message: Record<string, unknown>): AssistantContentPart[] {
  const parts: AssistantContentPart[] = [];
  for (const field of ['reasoning_content', 'reasoning'] as const) {
    const reasoning = optionalJsonString(message[field]);
    if (reasoning) {
      parts.push({ type: 'reasoning', text: reasoning, extensions: { 'openai-chat': { field } } });
      break;
    }
  }
  const content = message.content;
  if (typeof content === 'string') {
    if (content !== '') parts.push({ type: 'text', text: content });
  } else if (Array.isArray(content)) {
    // Mistral-style servers answer with text parts.
    for (const part of content) {
      if (isRecord(part) && typeof part.text === 'string') parts.push({ type: 'text', text: part.text });
    }
  }
  const refusal = optionalJsonString(message.refusal);
  if (refusal) parts.push({ type: 'text', text: refusal, extensions: { 'openai-chat': { refusal: true } } });
  if (Array.isArray(message.tool_calls)) {
    for (const call of message.tool_calls) {
      if (!isRecord(call) || !isRecord(call.function)) continue;
      parts.push({
        type: 'tool-call',
        id: optionalJsonString(call.id) || inventOpenaiChatToolCallId(),
        name: optionalJsonString(call.function.name) ?? '',
        arguments: openaiChatArgumentsText(call.function.arguments),
      });
    }
  }
  if (isRecord(message.function_call)) {
    parts.push({
      type: 'tool-call',
      id: inventOpenaiChatToolCallId(),
      name: optionalJsonString(message.function_call.name) ?? '',
      arguments: openaiChatArgumentsText(message.function_call.arguments),
    });
  }
  return parts;
}

export function decodeOpenaiChatResponse(body: unknown): CanonicalResponse {
  if (!isRecord(body)) {
    throw new GatewayError({ status: 502, code: 'upstream_error', message: 'upstream response is not a JSON object' });
  }
  if (body.error !== undefined && body.error !== null) throw openaiChatUpstreamError(body);
  const choice = Array.isArray(body.choices) ? body.choices[0] : undefined;
  if (!isRecord(choice)) {
    throw new GatewayError({ status: 502, code: 'upstream_error', message: 'upstream response has no choices' });
  }
  const finishReason = optionalJsonString(choice.finish_reason);
  const response: CanonicalResponse = {
    id: optionalJsonString(body.id) ?? '',
    model: optionalJsonString(body.model) ?? '',
    created: numberOrZero(body.created) || Math.floor(Date.now() / 1000),
    content: isRecord(choice.message) ? decodeMessage(choice.message) : [],
    finishReason: finishReason === undefined ? { unified: 'other' } : decodeOpenaiChatFinishReason(finishReason),
    usage: decodeOpenaiChatUsage(body.usage) ?? emptyUsage(),
  };
  const echoed: Record<string, unknown> = {};
  if (typeof body.system_fingerprint === 'string') echoed.system_fingerprint = body.system_fingerprint;
  if (typeof body.service_tier === 'string') echoed.service_tier = body.service_tier;
  if (Object.keys(echoed).length > 0) response.extensions = { 'openai-chat': echoed };
  return response;
}
