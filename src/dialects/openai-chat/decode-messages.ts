import type { AssistantContentPart, ToolCallPart, ToolResultPart } from '../../ir/content.ts';
import { invalidRequest } from '../../ir/gateway-error.ts';
import type { CanonicalMessage } from '../../ir/message.ts';
import { expectRecord, optionalJsonString } from '../shared/json-fields.ts';
import { decodeOpenaiChatTextContent, decodeOpenaiChatToolResultContent, decodeOpenaiChatUserContent } from './decode-content.ts';

/** Tool names by call id, so tool results can name their tool (Gemini needs it), and legacy calls awaiting their `function` reply. */
interface CallBook {
  names: Map<string, string>;
  pendingLegacy: Array<{ id: string; name: string }>;
}

function decodeArguments(value: unknown, path: string): string {
  if (value === undefined || value === null || value === '') return '{}';
  if (typeof value === 'string') return value;
  // A few clients send the arguments as an object; the IR carries JSON text.
  if (typeof value === 'object') return JSON.stringify(value);
  throw invalidRequest(`${path}: must be a JSON string`);
}

function decodeToolCall(value: unknown, path: string, book: CallBook): ToolCallPart {
  const call = expectRecord(value, path);
  if (call.type !== undefined && call.type !== 'function') {
    throw invalidRequest(`${path}.type: tool call type "${String(call.type)}" is not supported; only "function"`);
  }
  if (typeof call.id !== 'string') throw invalidRequest(`${path}.id: must be a string`);
  const fn = expectRecord(call.function, `${path}.function`);
  if (typeof fn.name !== 'string') throw invalidRequest(`${path}.function.name: must be a string`);
  book.names.set(call.id, fn.name);
  return { type: 'tool-call', id: call.id, name: fn.name, arguments: decodeArguments(fn.arguments, `${path}.function.arguments`) };
}

function decodeAssistantContent(content: unknown, path: string, parts: AssistantContentPart[]): void {
  if (content === undefined || content === null) return;
  if (typeof content === 'string') {
    if (content !== '') parts.push({ type: 'text', text: content });
    return;
  }
  if (!Array.isArray(content)) throw invalidRequest(`${path}: must be a string, null or an array of content parts`);
  content.forEach((value, index) => {
    const partPath = `${path}[${index}]`;
    const part = expectRecord(value, partPath);
    if (part.type === 'text') {
      if (typeof part.text !== 'string') throw invalidRequest(`${partPath}.text: must be a string`);
      parts.push({ type: 'text', text: part.text });
    } else if (part.type === 'refusal') {
      if (typeof part.refusal !== 'string') throw invalidRequest(`${partPath}.refusal: must be a string`);
      parts.push({ type: 'text', text: part.refusal, extensions: { 'openai-chat': { refusal: true } } });
    } else {
      throw invalidRequest(`${partPath}.type: assistant content part type "${String(part.type)}" is not supported`);
    }
  });
}

function decodeAssistant(message: Record<string, unknown>, path: string, messageIndex: number, book: CallBook): AssistantContentPart[] {
  const parts: AssistantContentPart[] = [];
  // DeepSeek and most compatible servers use `reasoning_content`; OpenRouter and newer vLLM use `reasoning`.
  for (const field of ['reasoning_content', 'reasoning'] as const) {
    const reasoning = optionalJsonString(message[field], `${path}.${field}`);
    if (reasoning) {
      parts.push({ type: 'reasoning', text: reasoning, extensions: { 'openai-chat': { field } } });
      break;
    }
  }
  decodeAssistantContent(message.content, `${path}.content`, parts);
  const refusal = optionalJsonString(message.refusal, `${path}.refusal`);
  if (refusal) parts.push({ type: 'text', text: refusal, extensions: { 'openai-chat': { refusal: true } } });
  if (message.tool_calls !== undefined && message.tool_calls !== null) {
    if (!Array.isArray(message.tool_calls)) throw invalidRequest(`${path}.tool_calls: must be an array`);
    message.tool_calls.forEach((call, index) => parts.push(decodeToolCall(call, `${path}.tool_calls[${index}]`, book)));
  }
  if (message.function_call !== undefined && message.function_call !== null) {
    const fn = expectRecord(message.function_call, `${path}.function_call`);
    if (typeof fn.name !== 'string') throw invalidRequest(`${path}.function_call.name: must be a string`);
    // Legacy function calls carry no id; the matching `function` message finds this one by name.
    const id = `call_fn_${messageIndex}`;
    book.pendingLegacy.push({ id, name: fn.name });
    parts.push({ type: 'tool-call', id, name: fn.name, arguments: decodeArguments(fn.arguments, `${path}.function_call.arguments`) });
  }
  return parts;
}

function decodeToolResult(message: Record<string, unknown>, path: string, book: CallBook): ToolResultPart {
  if (typeof message.tool_call_id !== 'string') throw invalidRequest(`${path}.tool_call_id: must be a string`);
  const result: ToolResultPart = {
    type: 'tool-result',
    toolCallId: message.tool_call_id,
    content: decodeOpenaiChatToolResultContent(message.content, `${path}.content`),
  };
  const name = book.names.get(message.tool_call_id);
  if (name !== undefined) result.name = name;
  return result;
}

function decodeFunctionResult(message: Record<string, unknown>, path: string, messageIndex: number, book: CallBook): ToolResultPart {
  if (typeof message.name !== 'string') throw invalidRequest(`${path}.name: must be a string`);
  const name = message.name;
  const pending = book.pendingLegacy.findIndex((call) => call.name === name);
  const id = pending === -1 ? `call_fn_${messageIndex}` : book.pendingLegacy.splice(pending, 1)[0].id;
  return { type: 'tool-result', toolCallId: id, name, content: decodeOpenaiChatToolResultContent(message.content, `${path}.content`) };
}

/** `name` on a message has no IR field; it rides along for a same-dialect upstream. */
function withName<T extends CanonicalMessage>(message: T, source: Record<string, unknown>, path: string, extra?: Record<string, unknown>): T {
  const name = optionalJsonString(source.name, `${path}.name`);
  if (name === undefined && extra === undefined) return message;
  message.extensions = { 'openai-chat': { ...extra, ...(name === undefined ? {} : { name }) } };
  return message;
}

export function decodeOpenaiChatMessages(value: unknown): CanonicalMessage[] {
  if (!Array.isArray(value)) throw invalidRequest('messages: must be an array');
  if (value.length === 0) throw invalidRequest('messages: must contain at least one message');
  const book: CallBook = { names: new Map(), pendingLegacy: [] };
  const messages: CanonicalMessage[] = [];
  const pushResult = (result: ToolResultPart): void => {
    const last = messages.at(-1);
    if (last?.role === 'tool') last.content.push(result);
    else messages.push({ role: 'tool', content: [result] });
  };
  value.forEach((entry, index) => {
    const path = `messages[${index}]`;
    const message = expectRecord(entry, path);
    switch (message.role) {
      case 'system':
      case 'developer': {
        const content = decodeOpenaiChatTextContent(message.content, `${path}.content`);
        const extra = message.role === 'developer' ? { role: 'developer' } : undefined;
        messages.push(withName({ role: 'system', content }, message, path, extra));
        return;
      }
      case 'user':
        messages.push(withName({ role: 'user', content: decodeOpenaiChatUserContent(message.content, `${path}.content`) }, message, path));
        return;
      case 'assistant':
        messages.push(withName({ role: 'assistant', content: decodeAssistant(message, path, index, book) }, message, path));
        return;
      case 'tool':
        pushResult(decodeToolResult(message, path, book));
        return;
      case 'function':
        pushResult(decodeFunctionResult(message, path, index, book));
        return;
      default:
        if (typeof message.role !== 'string') throw invalidRequest(`${path}.role: must be a string`);
        throw invalidRequest(`${path}.role: unsupported role "${message.role}"`);
    }
  });
  return messages;
}
