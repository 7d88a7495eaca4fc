import type { MessagePart, TextPart } from '../../ir/content.ts';
import { invalidRequest } from '../../ir/gateway-error.ts';
import type { CanonicalMessage } from '../../ir/message.ts';
import { isRecord } from '../shared/json-fields.ts';
import {
  decodeDocumentBlock,
  decodeImageBlock,
  decodeRedactedThinkingBlock,
  decodeTextBlock,
  decodeThinkingBlock,
  decodeToolResultBlock,
  decodeToolUseBlock,
} from './decode-blocks.ts';
import { ANTHROPIC, type AnthropicPartExtension, type WireBlock, anthropicExtension } from './extensions.ts';

type WireRole = 'user' | 'assistant' | 'system';

/**
 * Splits one wire message into IR messages: tool_result blocks become `tool` messages (keeping their
 * order with the text around them), and blocks the IR cannot hold ride on the next part as `blocksBefore`
 * (or on the message as `blocksAfter`) so an Anthropic upstream gets them back in place.
 */
class MessageSplitter {
  readonly messages: CanonicalMessage[] = [];
  private current: CanonicalMessage | undefined;
  private opaque: WireBlock[] = [];
  private readonly wireRole: WireRole;

  constructor(wireRole: WireRole) {
    this.wireRole = wireRole;
  }

  add(role: CanonicalMessage['role'], part: MessagePart): void {
    if (this.current?.role !== role) {
      this.current = { role, content: [] } as CanonicalMessage;
      this.messages.push(this.current);
    }
    if (this.opaque.length > 0) {
      const own = anthropicExtension<AnthropicPartExtension>(part.extensions);
      part.extensions = { ...part.extensions, [ANTHROPIC]: { ...own, blocksBefore: this.opaque } };
      this.opaque = [];
    }
    (this.current.content as MessagePart[]).push(part);
  }

  keepOpaque(block: WireBlock): void {
    this.opaque.push(block);
  }

  finish(): CanonicalMessage[] {
    if (this.opaque.length > 0) {
      const role = this.wireRole === 'assistant' ? 'assistant' : 'user';
      const last: CanonicalMessage = this.current ?? { role, content: [] };
      if (!this.current) this.messages.push(last);
      last.extensions = { [ANTHROPIC]: { blocksAfter: this.opaque } };
    }
    return this.messages;
  }
}

function decodeBlocks(role: WireRole, blocks: unknown[], path: string, toolNames: Map<string, string>): CanonicalMessage[] {
  const splitter = new MessageSplitter(role);
  blocks.forEach((block, index) => {
    const blockPath = `${path}.${index}`;
    if (!isRecord(block)) throw invalidRequest(`${blockPath}: Input should be a valid dictionary`);
    const type = block.type;
    if (typeof type !== 'string') throw invalidRequest(`${blockPath}.type: Field required`);
    if (role === 'system') {
      if (type !== 'text') throw invalidRequest(`${blockPath}.type: system content must be text blocks`);
      splitter.add('system', decodeTextBlock(block, blockPath));
      return;
    }
    if (type === 'text') {
      splitter.add(role, decodeTextBlock(block, blockPath));
      return;
    }
    if (role === 'user') {
      const part =
        type === 'image'
          ? decodeImageBlock(block, blockPath)
          : type === 'document'
            ? decodeDocumentBlock(block, blockPath)
            : undefined;
      if (part) splitter.add('user', part);
      else if (type === 'tool_result') splitter.add('tool', decodeToolResultBlock(block, blockPath, toolNames));
      else splitter.keepOpaque(block);
      return;
    }
    if (type === 'tool_use') {
      const call = decodeToolUseBlock(block, blockPath);
      toolNames.set(call.id, call.name);
      splitter.add('assistant', call);
    } else if (type === 'thinking') {
      splitter.add('assistant', decodeThinkingBlock(block, blockPath));
    } else if (type === 'redacted_thinking') {
      splitter.add('assistant', decodeRedactedThinkingBlock(block, blockPath));
    } else {
      splitter.keepOpaque(block);
    }
  });
  return splitter.finish();
}

function decodeMessage(message: unknown, path: string, toolNames: Map<string, string>, out: CanonicalMessage[]): void {
  if (!isRecord(message)) throw invalidRequest(`${path}: Input should be a valid dictionary`);
  const role = message.role;
  if (role !== 'user' && role !== 'assistant' && role !== 'system') {
    throw invalidRequest(`${path}.role: Input should be 'user', 'assistant' or 'system'`);
  }
  const content = message.content;
  if (typeof content === 'string') {
    const text: TextPart = { type: 'text', text: content };
    out.push({ role, content: [text] });
    return;
  }
  if (!Array.isArray(content)) {
    throw invalidRequest(
      content === undefined ? `${path}.content: Field required` : `${path}.content: Input should be a valid string or list`,
    );
  }
  for (const decoded of decodeBlocks(role, content, `${path}.content`, toolNames)) out.push(decoded);
}

/** Decodes `messages` into `out`; `role: "system"` entries (Claude Code sends them) stay where they are. */
export function decodeAnthropicMessages(messages: unknown, out: CanonicalMessage[]): void {
  if (messages === undefined || messages === null) throw invalidRequest('messages: Field required');
  if (!Array.isArray(messages)) throw invalidRequest('messages: Input should be a valid list');
  if (messages.length === 0) throw invalidRequest('messages: at least one message is required');
  // Anthropic tool results carry no tool name; the calls earlier in the conversation do (Gemini needs it).
  const toolNames = new Map<string, string>();
  messages.forEach((message, index) => decodeMessage(message, `messages.${index}`, toolNames, out));
}

export function decodeAnthropicSystem(system: unknown, out: CanonicalMessage[]): void {
  if (system === undefined || system === null) return;
  if (typeof system === 'string') {
    if (system.length > 0) out.push({ role: 'system', content: [{ type: 'text', text: system }] });
    return;
  }
  if (!Array.isArray(system)) throw invalidRequest('system: Input should be a valid string or list of text blocks');
  out.push(...decodeBlocks('system', system, 'system', new Map()));
}
