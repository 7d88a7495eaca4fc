import type { EncodeResponseContext } from '../../ir/codec.ts';
import type { CanonicalResponse } from '../../ir/response.ts';
import { blocksBefore, encodeAnthropicReasoning, encodeAnthropicText, encodeAnthropicToolCall } from './encode-blocks.ts';
import { type AnthropicContainerExtension, type WireBlock, anthropicExtension } from './extensions.ts';
import { anthropicMessageId } from './ids.ts';
import { encodeAnthropicStopReason } from './map-stop-reason.ts';
import { encodeAnthropicUsage } from './map-usage.ts';

export function encodeAnthropicResponse(response: CanonicalResponse, context: EncodeResponseContext): Record<string, unknown> {
  const content: WireBlock[] = [];
  for (const part of response.content) {
    const before = blocksBefore(part.extensions);
    if (before) content.push(...before);
    if (part.type === 'text') content.push(encodeAnthropicText(part));
    else if (part.type === 'reasoning') content.push(...encodeAnthropicReasoning(part, false));
    else content.push(encodeAnthropicToolCall(part));
  }
  const extension = anthropicExtension<AnthropicContainerExtension>(response.extensions);
  if (extension?.blocksAfter) content.push(...extension.blocksAfter);
  return {
    id: anthropicMessageId(response.id),
    type: 'message',
    role: 'assistant',
    model: context.model,
    content,
    stop_reason: encodeAnthropicStopReason(response.finishReason),
    stop_sequence: response.finishReason.stopSequence ?? null,
    ...extension?.fields,
    usage: encodeAnthropicUsage(response.usage),
  };
}
