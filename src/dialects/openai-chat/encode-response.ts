import type { EncodeResponseContext } from '../../ir/codec.ts';
import type { CanonicalResponse } from '../../ir/response.ts';
import { readOpenaiChatExtensions } from './extensions.ts';
import { encodeOpenaiChatFinishReason } from './map-finish-reason.ts';
import { encodeOpenaiChatUsage } from './map-usage.ts';
import { openaiStyleResponseId } from './response-id.ts';

export function encodeOpenaiChatResponse(response: CanonicalResponse, context: EncodeResponseContext): Record<string, unknown> {
  const text: string[] = [];
  const refusal: string[] = [];
  const reasoning: string[] = [];
  const toolCalls: Array<Record<string, unknown>> = [];
  for (const part of response.content) {
    if (part.type === 'text') {
      (readOpenaiChatExtensions(part.extensions)?.refusal === true ? refusal : text).push(part.text);
    } else if (part.type === 'reasoning') {
      // Signatures and redacted reasoning have no field on this wire (no envelope can carry them, see
      // shared/reasoning-envelope.ts): only readable text goes out, and the upstream's signed reasoning is lost.
      if (part.text) reasoning.push(part.text);
    } else {
      toolCalls.push({ id: part.id, type: 'function', function: { name: part.name, arguments: part.arguments || '{}' } });
    }
  }
  const message: Record<string, unknown> = {
    role: 'assistant',
    content: text.length > 0 ? text.join('') : null,
    refusal: refusal.length > 0 ? refusal.join('') : null,
  };
  if (reasoning.length > 0) message.reasoning_content = reasoning.join('');
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  const body: Record<string, unknown> = {
    id: openaiStyleResponseId(response.id, 'chatcmpl-'),
    object: 'chat.completion',
    created: response.created,
    model: context.model,
    choices: [
      {
        index: 0,
        message,
        logprobs: null,
        finish_reason: encodeOpenaiChatFinishReason(response.finishReason, toolCalls.length > 0),
      },
    ],
    usage: encodeOpenaiChatUsage(response.usage),
  };
  const echoed = readOpenaiChatExtensions(response.extensions);
  if (typeof echoed?.service_tier === 'string') body.service_tier = echoed.service_tier;
  if (typeof echoed?.system_fingerprint === 'string') body.system_fingerprint = echoed.system_fingerprint;
  return body;
}
