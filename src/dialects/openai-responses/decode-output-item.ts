import type { AssistantContentPart, TextPart } from '../../ir/content.ts';
import { isRecord } from '../shared/json-fields.ts';
import { decodeCustomToolCallItem, decodeFunctionCallItem, decodeReasoningItem } from './decode-items.ts';
import { responsesExtension } from './extensions.ts';

function messageParts(item: Record<string, unknown>): TextPart[] {
  const parts: TextPart[] = [];
  if (!Array.isArray(item.content)) return parts;
  const id = typeof item.id === 'string' ? item.id : undefined;
  for (const content of item.content) {
    if (!isRecord(content)) continue;
    if (content.type === 'output_text' && typeof content.text === 'string') {
      parts.push(id === undefined ? { type: 'text', text: content.text } : { type: 'text', text: content.text, extensions: responsesExtension({ id }) });
    } else if (content.type === 'refusal' && typeof content.refusal === 'string') {
      parts.push({ type: 'text', text: content.refusal, extensions: responsesExtension(id === undefined ? { refusal: true } : { id, refusal: true }) });
    }
  }
  return parts;
}

/**
 * The IR parts of one output item of an upstream response. Hosted-tool records (web_search_call,
 * file_search_call, …) and OpenAI compaction items have no IR form and are dropped: their effect
 * is already in the message text, and only OpenAI itself could use them.
 */
export function decodeOutputItem(item: unknown): AssistantContentPart[] {
  if (!isRecord(item)) return [];
  switch (item.type) {
    case 'message':
      return messageParts(item);
    case 'reasoning':
      return [decodeReasoningItem(item, 'output')];
    case 'function_call':
      return [decodeFunctionCallItem(item, 'output')];
    case 'custom_tool_call':
      return [decodeCustomToolCallItem(item, 'output')];
    default:
      return [];
  }
}
