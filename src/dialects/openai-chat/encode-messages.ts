import type { AssistantContentPart, ImagePart, TextPart, ToolResultPart, UserContentPart } from '../../ir/content.ts';
import type { Extensions } from '../../ir/dialect-id.ts';
import { invalidRequest } from '../../ir/gateway-error.ts';
import type { CanonicalMessage } from '../../ir/message.ts';
import { openaiChatUrlFromSource } from './data-url.ts';
import { readOpenaiChatExtensions } from './extensions.ts';

type WireMessage = Record<string, unknown>;

function joinText(parts: TextPart[]): string {
  return parts.length === 1 ? parts[0].text : parts.map((part) => part.text).join('\n\n');
}

function encodeImage(part: ImagePart): Record<string, unknown> {
  const imageUrl: Record<string, unknown> = { url: openaiChatUrlFromSource(part.source) };
  const detail = readOpenaiChatExtensions(part.extensions)?.detail ?? part.detail;
  if (detail !== undefined) imageUrl.detail = detail;
  return { type: 'image_url', image_url: imageUrl };
}

function encodeUserPart(part: UserContentPart): Record<string, unknown> {
  if (part.type === 'text') return { type: 'text', text: part.text };
  if (part.type === 'image') return encodeImage(part);
  if (part.source.kind === 'url') {
    throw invalidRequest('file content given by URL cannot be sent to an OpenAI Chat upstream; send it inline (base64)');
  }
  // OpenAI requires a filename next to file_data and reads the type from its extension.
  const filename = part.filename ?? (part.source.mediaType === 'application/pdf' ? 'document.pdf' : 'document');
  return { type: 'file', file: { filename, file_data: openaiChatUrlFromSource(part.source) } };
}

function encodeUserContent(parts: UserContentPart[]): string | Array<Record<string, unknown>> {
  if (parts.length === 1 && parts[0].type === 'text') return parts[0].text;
  return parts.map(encodeUserPart);
}

function withName(message: WireMessage, extensions: Extensions | undefined): WireMessage {
  const name = readOpenaiChatExtensions(extensions)?.name;
  if (typeof name === 'string') message.name = name;
  return message;
}

function encodeAssistant(parts: AssistantContentPart[], extensions: Extensions | undefined): WireMessage {
  const text: string[] = [];
  const refusal: string[] = [];
  const reasoning: string[] = [];
  let reasoningField: unknown;
  const toolCalls: Array<Record<string, unknown>> = [];
  for (const part of parts) {
    if (part.type === 'text') {
      (readOpenaiChatExtensions(part.extensions)?.refusal === true ? refusal : text).push(part.text);
    } else if (part.type === 'tool-call') {
      toolCalls.push({ id: part.id, type: 'function', function: { name: part.name, arguments: part.arguments || '{}' } });
    } else {
      // OpenAI rejects or ignores foreign reasoning (and cannot take signatures): only reasoning that
      // came from this dialect (DeepSeek-style `reasoning_content`) goes back.
      const field = readOpenaiChatExtensions(part.extensions)?.field;
      if (field === 'reasoning_content' || field === 'reasoning') {
        reasoningField = field;
        reasoning.push(part.text);
      }
    }
  }
  // One OpenAI assistant message holds all its text: interleaving with tool calls is not expressible.
  // Text blocks join without separator, as the blocks of a streamed answer do (citations split sentences).
  // `null` is only allowed beside tool calls or a refusal (a turn whose foreign reasoning was dropped sends "").
  const empty = toolCalls.length > 0 || refusal.length > 0 ? null : '';
  const message: WireMessage = { role: 'assistant', content: text.length > 0 ? text.join('') : empty };
  if (reasoning.length > 0) message[reasoningField as string] = reasoning.join('');
  if (refusal.length > 0) message.refusal = refusal.join('\n\n');
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return withName(message, extensions);
}

/**
 * OpenAI tool messages carry text only. Images a tool returned (screenshots) go into one user
 * message right after the run of tool messages, since the assistant's tool calls must be answered
 * by tool messages before anything else.
 */
function encodeToolResults(results: ToolResultPart[], out: WireMessage[], images: ImagePart[]): void {
  for (const result of results) {
    const text: string[] = [];
    for (const part of result.content) {
      if (part.type === 'text') text.push(part.text);
      else images.push(part);
    }
    // `isError` has no field here; the result text itself carries the failure.
    out.push({ role: 'tool', tool_call_id: result.toolCallId, content: text.join('\n\n') });
  }
}

export function encodeOpenaiChatMessages(messages: CanonicalMessage[]): WireMessage[] {
  const out: WireMessage[] = [];
  let images: ImagePart[] = [];
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i];
    if (message.role === 'tool') {
      encodeToolResults(message.content, out, images);
      if (images.length > 0 && messages[i + 1]?.role !== 'tool') {
        out.push({ role: 'user', content: images.map(encodeImage) });
        images = [];
      }
      continue;
    }
    if (message.role === 'system') {
      const role = readOpenaiChatExtensions(message.extensions)?.role === 'developer' ? 'developer' : 'system';
      out.push(withName({ role, content: joinText(message.content) }, message.extensions));
    } else if (message.role === 'user') {
      out.push(withName({ role: 'user', content: encodeUserContent(message.content) }, message.extensions));
    } else {
      out.push(encodeAssistant(message.content, message.extensions));
    }
  }
  return out;
}
