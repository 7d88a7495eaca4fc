import type { AssistantContentPart } from '../../ir/content.ts';
import { GatewayError } from '../../ir/gateway-error.ts';
import type { CanonicalResponse } from '../../ir/response.ts';
import { isRecord } from '../shared/json-fields.ts';
import {
  decodeRedactedThinkingBlock,
  decodeTextBlock,
  decodeThinkingBlock,
  decodeToolUseBlock,
} from './decode-blocks.ts';
import { ANTHROPIC, type AnthropicPartExtension, type WireBlock, anthropicExtension, toExtensions } from './extensions.ts';
import { extraFields } from './extra-fields.ts';
import { newAnthropicMessageId } from './ids.ts';
import { decodeAnthropicStopReason } from './map-stop-reason.ts';
import { decodeAnthropicUsage } from './map-usage.ts';

function malformed(message: string): GatewayError {
  return new GatewayError({ status: 502, code: 'upstream_error', message: `upstream response: ${message}` });
}

function decodeAssistantBlock(block: Record<string, unknown>, path: string): AssistantContentPart | undefined {
  switch (block.type) {
    case 'text':
      return decodeTextBlock(block, path);
    case 'thinking':
      return decodeThinkingBlock(block, path);
    case 'redacted_thinking':
      return decodeRedactedThinkingBlock(block, path);
    case 'tool_use':
      return decodeToolUseBlock(block, path);
    default:
      return undefined;
  }
}

/** A non-streamed Messages API response. Server tool blocks ride on the next part (or the response) opaquely. */
export function decodeAnthropicResponse(body: unknown): CanonicalResponse {
  if (!isRecord(body)) throw malformed('not a JSON object');
  if (!Array.isArray(body.content)) throw malformed('content: Field required');
  const content: AssistantContentPart[] = [];
  let opaque: WireBlock[] = [];
  try {
    body.content.forEach((block, index) => {
      if (!isRecord(block)) throw malformed(`content.${index}: not an object`);
      const part = decodeAssistantBlock(block, `content.${index}`);
      if (!part) {
        opaque.push(block);
        return;
      }
      if (opaque.length > 0) {
        const own = anthropicExtension<AnthropicPartExtension>(part.extensions);
        part.extensions = { [ANTHROPIC]: { ...own, blocksBefore: opaque } };
        opaque = [];
      }
      content.push(part);
    });
  } catch (error) {
    // The block decoders speak of client mistakes (400); here the upstream sent the bad block.
    if (error instanceof GatewayError && error.status === 400) throw malformed(error.message);
    throw error;
  }
  const response: CanonicalResponse = {
    id: typeof body.id === 'string' ? body.id : newAnthropicMessageId(),
    model: typeof body.model === 'string' ? body.model : '',
    created: Math.floor(Date.now() / 1000),
    content,
    finishReason: decodeAnthropicStopReason(body.stop_reason, body.stop_sequence),
    usage: decodeAnthropicUsage(body.usage),
  };
  const fields = extraFields(body, ['id', 'type', 'role', 'model', 'content', 'stop_reason', 'stop_sequence', 'usage']);
  const extensions = toExtensions({ fields, blocksAfter: opaque.length > 0 ? opaque : undefined });
  if (extensions) response.extensions = extensions;
  return response;
}
