import type {
  AssistantContentPart,
  ImagePart,
  ReasoningPart,
  TextPart,
  ToolCallPart,
  ToolResultPart,
  UserContentPart,
} from '../../ir/content.ts';
import type { CanonicalMessage } from '../../ir/message.ts';
import { isRecord } from '../shared/json-fields.ts';
import { urlFromSource } from './data-url.ts';
import { customToolInput } from './decode-items.ts';
import { extensionFlag, extensionString, ownExtension } from './extensions.ts';

type Item = Record<string, unknown>;

export interface EncodedInput {
  instructions?: string;
  input: Item[];
}

function joinText(parts: TextPart[]): string {
  return parts.map((part) => part.text).join('\n\n');
}

function encodeImage(part: ImagePart): Item {
  const detail = part.detail ?? extensionString(part.extensions, 'detail') ?? 'auto';
  return { type: 'input_image', image_url: urlFromSource(part.source), detail };
}

function encodeUserPart(part: UserContentPart): Item {
  if (part.type === 'text') return { type: 'input_text', text: part.text };
  if (part.type === 'image') return encodeImage(part);
  const file: Item = { type: 'input_file' };
  if (part.source.kind === 'url') file.file_url = part.source.url;
  else file.file_data = urlFromSource(part.source);
  if (part.filename !== undefined) file.filename = part.filename;
  return file;
}

function encodeReasoning(part: ReasoningPart): Item | undefined {
  const own = ownExtension(part.extensions);
  const id = typeof own?.id === 'string' ? own.id : undefined;
  const encrypted = part.origin === 'openai-responses' ? part.redactedData : undefined;
  // Another provider's reasoning (signatures, readable thinking) cannot be replayed to OpenAI, which
  // only accepts its own reasoning items; those are dropped here and the model re-reasons.
  if (id === undefined && encrypted === undefined) return undefined;
  const item: Item = { type: 'reasoning' };
  if (id !== undefined) item.id = id;
  if (Array.isArray(own?.summary)) item.summary = own.summary;
  else if (own?.fromContent === true) {
    item.summary = [];
    item.content = [{ type: 'reasoning_text', text: part.text }];
  } else item.summary = part.text === '' ? [] : [{ type: 'summary_text', text: part.text }];
  if (encrypted !== undefined) item.encrypted_content = encrypted;
  return item;
}

function encodeToolCall(part: ToolCallPart): Item {
  if (extensionFlag(part.extensions, 'custom')) {
    return { type: 'custom_tool_call', call_id: part.id, name: part.name, input: customToolInput(part.arguments) };
  }
  return { type: 'function_call', call_id: part.id, name: part.name, arguments: part.arguments };
}

function encodeToolOutput(content: Array<TextPart | ImagePart>): string | Item[] {
  if (content.length === 0) return '';
  if (content.length === 1 && content[0].type === 'text') return content[0].text;
  return content.map((part) => (part.type === 'text' ? { type: 'input_text', text: part.text } : encodeImage(part)));
}

function encodeToolResult(part: ToolResultPart): Item {
  // Responses has no error flag on tool output; the output text is what tells the model it failed.
  const type = extensionFlag(part.extensions, 'custom') ? 'custom_tool_call_output' : 'function_call_output';
  return { type, call_id: part.toolCallId, output: encodeToolOutput(part.content) };
}

function encodeAssistant(content: AssistantContentPart[], input: Item[]): void {
  let text: Item[] | undefined;
  for (const part of content) {
    if (part.type === 'text') {
      const encoded = extensionFlag(part.extensions, 'refusal')
        ? { type: 'refusal', refusal: part.text }
        : { type: 'output_text', text: part.text };
      if (text) text.push(encoded);
      else {
        text = [encoded];
        input.push({ type: 'message', role: 'assistant', content: text });
      }
      continue;
    }
    text = undefined;
    const item = part.type === 'reasoning' ? encodeReasoning(part) : encodeToolCall(part);
    if (item) input.push(item);
  }
}

function pushOpaque(items: unknown, input: Item[]): void {
  if (Array.isArray(items)) for (const item of items) if (isRecord(item)) input.push(item);
}

export function encodeResponsesInput(messages: CanonicalMessage[], trailingItems: unknown): EncodedInput {
  // Leading system messages become `instructions`, unless they came from `input` items of a
  // Responses client: those go back as the developer/system items they were.
  let first = 0;
  const instructions: string[] = [];
  for (const message of messages) {
    if (message.role !== 'system' || extensionString(message.extensions, 'role') !== undefined) break;
    instructions.push(joinText(message.content));
    first++;
  }
  const input: Item[] = [];
  for (let i = first; i < messages.length; i++) {
    const message = messages[i];
    pushOpaque(ownExtension(message.extensions)?.precedingItems, input);
    switch (message.role) {
      case 'system':
        input.push({
          type: 'message',
          role: extensionString(message.extensions, 'role') ?? 'developer',
          content: message.content.map((part) => ({ type: 'input_text', text: part.text })),
        });
        break;
      case 'user':
        input.push({ type: 'message', role: 'user', content: message.content.map(encodeUserPart) });
        break;
      case 'assistant':
        encodeAssistant(message.content, input);
        break;
      case 'tool':
        for (const part of message.content) input.push(encodeToolResult(part));
        break;
    }
  }
  pushOpaque(trailingItems, input);
  const encoded: EncodedInput = { input };
  if (instructions.length > 0) encoded.instructions = instructions.join('\n\n');
  return encoded;
}
