import type { AssistantContentPart, ToolResultPart } from '../../ir/content.ts';
import { invalidRequest } from '../../ir/gateway-error.ts';
import type { CanonicalMessage } from '../../ir/message.ts';
import { isRecord } from '../shared/json-fields.ts';
import { COMPACTION_PROMPT, compactionSummaryMessageText, decodeCompactionContent } from './compaction-summary.ts';
import { decodeAssistantContent, decodeInstructionContent, decodeToolOutput, decodeUserContent } from './decode-content.ts';
import { decodeCustomToolCallItem, decodeFunctionCallItem, decodeReasoningItem } from './decode-items.ts';
import { responsesExtension } from './extensions.ts';
import { requiredString } from './json-guards.ts';

export interface DecodedInput {
  messages: CanonicalMessage[];
  /** Items the IR cannot express that came after the last message (kept for a same-dialect round trip). */
  trailingItems?: Record<string, unknown>[];
  /** The input ended with a `compaction_trigger` item: the answer must be a compaction item. */
  compactionTrigger: boolean;
}

/**
 * Folds the flat item list of `input` into IR messages: reasoning, assistant messages and tool calls
 * that follow each other form one assistant turn, consecutive tool outputs one tool turn. Items the
 * IR has no place for (hosted-tool records such as web_search_call, OpenAI's own compaction items)
 * ride along, in order, on the next message's extensions as `precedingItems`.
 */
class InputFolder {
  readonly messages: CanonicalMessage[] = [];
  private opaque: Record<string, unknown>[] = [];
  compactionTrigger = false;

  add(item: unknown, path: string, isLast: boolean): void {
    if (!isRecord(item)) throw invalidRequest(`${path}: must be an object`);
    // `{role, content}` without a type is an "easy" message.
    const type = item.type ?? (item.role !== undefined ? 'message' : undefined);
    if (typeof type !== 'string') throw invalidRequest(`${path}.type: required`);
    switch (type) {
      case 'message':
        this.addMessage(item, path);
        return;
      case 'function_call':
        this.addAssistantPart(decodeFunctionCallItem(item, path));
        return;
      case 'custom_tool_call':
        this.addAssistantPart(decodeCustomToolCallItem(item, path));
        return;
      case 'reasoning':
        this.addAssistantPart(decodeReasoningItem(item, path));
        return;
      case 'function_call_output':
      case 'custom_tool_call_output': {
        const result: ToolResultPart = {
          type: 'tool-result',
          toolCallId: requiredString(item, 'call_id', path),
          content: decodeToolOutput(item.output, `${path}.output`),
        };
        if (type === 'custom_tool_call_output') result.extensions = responsesExtension({ custom: true });
        this.addToolResult(result);
        return;
      }
      case 'compaction':
      case 'compaction_summary':
        this.addCompaction(item, path);
        return;
      case 'compaction_trigger':
        if (!isLast) throw invalidRequest(`${path}: compaction_trigger must be the last input item`);
        this.compactionTrigger = true;
        this.push({
          role: 'user',
          content: [{ type: 'text', text: COMPACTION_PROMPT }],
          extensions: responsesExtension({ compactionPrompt: true }),
        });
        return;
      case 'item_reference':
        throw invalidRequest(
          `${path}: item_reference is not supported: Switchyard is stateless and stores no items; send the full item instead`,
        );
      default:
        this.opaque.push(item);
    }
  }

  finish(): DecodedInput {
    const decoded: DecodedInput = { messages: this.messages, compactionTrigger: this.compactionTrigger };
    if (this.opaque.length > 0) decoded.trailingItems = this.opaque;
    return decoded;
  }

  private addMessage(item: Record<string, unknown>, path: string): void {
    const role = requiredString(item, 'role', path);
    const contentPath = `${path}.content`;
    switch (role) {
      case 'user': {
        const content = decodeUserContent(item.content, contentPath);
        if (content.length > 0) this.push({ role: 'user', content });
        return;
      }
      case 'assistant':
        for (const part of decodeAssistantContent(item.content, contentPath)) this.addAssistantPart(part);
        return;
      case 'system':
      case 'developer': {
        const content = decodeInstructionContent(item.content, contentPath);
        if (content.length > 0) this.push({ role: 'system', content, extensions: responsesExtension({ role }) });
        return;
      }
      default:
        throw invalidRequest(`${path}.role: must be one of user, assistant, system, developer`);
    }
  }

  private addCompaction(item: Record<string, unknown>, path: string): void {
    const summary = decodeCompactionContent(requiredString(item, 'encrypted_content', path));
    if (summary === undefined) {
      // OpenAI's own compaction: only an OpenAI upstream can read it.
      this.opaque.push(item);
      return;
    }
    this.push({
      role: 'user',
      content: [{ type: 'text', text: compactionSummaryMessageText(summary) }],
      extensions: responsesExtension({ compactionSummary: true }),
    });
  }

  private addAssistantPart(part: AssistantContentPart): void {
    const last = this.messages.at(-1);
    if (last?.role === 'assistant' && this.opaque.length === 0) last.content.push(part);
    else this.push({ role: 'assistant', content: [part] });
  }

  private addToolResult(part: ToolResultPart): void {
    const last = this.messages.at(-1);
    if (last?.role === 'tool' && this.opaque.length === 0) last.content.push(part);
    else this.push({ role: 'tool', content: [part] });
  }

  private push(message: CanonicalMessage): void {
    if (this.opaque.length > 0) {
      const own = message.extensions?.['openai-responses'];
      message.extensions = responsesExtension({ ...own, precedingItems: this.opaque });
      this.opaque = [];
    }
    this.messages.push(message);
  }
}

export function decodeResponsesInput(input: unknown): DecodedInput {
  if (typeof input === 'string') {
    return { messages: [{ role: 'user', content: [{ type: 'text', text: input }] }], compactionTrigger: false };
  }
  if (!Array.isArray(input)) throw invalidRequest('input: must be a string or an array of items');
  const folder = new InputFolder();
  const last = input.length - 1;
  input.forEach((item, i) => folder.add(item, `input[${i}]`, i === last));
  return folder.finish();
}
