import type { MessagePart } from '../../ir/content.ts';
import type { CanonicalMessage } from '../../ir/message.ts';
import {
  blocksBefore,
  encodeAnthropicFile,
  encodeAnthropicImage,
  encodeAnthropicReasoning,
  encodeAnthropicText,
  encodeAnthropicToolCall,
  encodeAnthropicToolResult,
} from './encode-blocks.ts';
import { type AnthropicContainerExtension, type WireBlock, anthropicExtension } from './extensions.ts';

export interface AnthropicWireMessage {
  role: 'user' | 'assistant';
  content: WireBlock[];
}

export interface EncodedAnthropicMessages {
  system: WireBlock[];
  messages: AnthropicWireMessage[];
}

function encodePart(part: MessagePart, path: string, out: WireBlock[]): void {
  const before = blocksBefore(part.extensions);
  if (before) out.push(...before);
  switch (part.type) {
    case 'text':
      // Claude rejects empty text blocks ("text content blocks must be non-empty"); they carry nothing.
      if (part.text.length > 0) out.push(encodeAnthropicText(part));
      return;
    case 'image':
      out.push(encodeAnthropicImage(part));
      return;
    case 'file':
      out.push(encodeAnthropicFile(part, path));
      return;
    case 'tool-call':
      out.push(encodeAnthropicToolCall(part));
      return;
    case 'tool-result':
      out.push(encodeAnthropicToolResult(part));
      return;
    case 'reasoning':
      // Unsigned reasoning (from OpenAI, or text a client echoed without its signature) and other dialects'
      // reasoning data are dropped: Claude rejects thinking blocks whose signature it cannot verify, and the
      // model does not need its old thoughts.
      out.push(...encodeAnthropicReasoning(part, true));
      return;
  }
}

/** Claude wants the tool_result blocks of a user turn before any other content. */
function toolResultsFirst(content: WireBlock[]): WireBlock[] {
  let sawOther = false;
  let needsReorder = false;
  for (const block of content) {
    if (block.type !== 'tool_result') sawOther = true;
    else if (sawOther) needsReorder = true;
  }
  if (!needsReorder) return content;
  return [...content.filter((block) => block.type === 'tool_result'), ...content.filter((block) => block.type !== 'tool_result')];
}

/**
 * Hoists every system message into `system`, turns tool messages into user turns of tool_result blocks, and
 * merges consecutive same-role turns, since Claude requires user and assistant turns to alternate.
 */
export function encodeAnthropicMessages(messages: readonly CanonicalMessage[]): EncodedAnthropicMessages {
  const system: WireBlock[] = [];
  const wire: AnthropicWireMessage[] = [];
  messages.forEach((message, index) => {
    const path = `messages.${index}`;
    if (message.role === 'system') {
      message.content.forEach((part, partIndex) => encodePart(part, `${path}.content.${partIndex}`, system));
      return;
    }
    const content: WireBlock[] = [];
    message.content.forEach((part, partIndex) => encodePart(part, `${path}.content.${partIndex}`, content));
    const after = anthropicExtension<AnthropicContainerExtension>(message.extensions)?.blocksAfter;
    if (after) content.push(...after);
    if (content.length === 0) return;
    const role = message.role === 'assistant' ? 'assistant' : 'user';
    const last = wire[wire.length - 1];
    if (last?.role === role) last.content.push(...content);
    else wire.push({ role, content });
  });
  for (const message of wire) if (message.role === 'user') message.content = toolResultsFirst(message.content);
  return { system, messages: wire };
}
