import type {
  FilePart,
  ImagePart,
  ImageSource,
  ReasoningPart,
  TextPart,
  ToolCallPart,
  ToolResultPart,
} from '../../ir/content.ts';
import { invalidRequest } from '../../ir/gateway-error.ts';
import { isRecord } from '../shared/json-fields.ts';
import { applyReasoningEnvelope, readOpaqueReasoning } from '../shared/reasoning-envelope.ts';
import { ANTHROPIC, toExtensions } from './extensions.ts';
import { extraFields } from './extra-fields.ts';
import { optionalBoolean, optionalString, requireRecord, requireString } from './read-field.ts';

/** Decoders for single request content blocks; `undefined` means "no IR equivalent, keep the block opaque". */

function withFields<T extends { extensions?: unknown }>(part: T, fields: Record<string, unknown> | undefined): T {
  if (fields) part.extensions = toExtensions({ fields });
  return part;
}

export function decodeTextBlock(block: Record<string, unknown>, path: string): TextPart {
  const part: TextPart = { type: 'text', text: requireString(block.text, `${path}.text`) };
  return withFields(part, extraFields(block, ['type', 'text']));
}

/** base64 and url sources map to the IR; file ids and future source kinds stay opaque. */
function decodeSource(block: Record<string, unknown>, path: string): ImageSource | undefined {
  const source = requireRecord(block.source, `${path}.source`);
  if (source.type === 'base64') {
    return {
      kind: 'base64',
      mediaType: requireString(source.media_type, `${path}.source.media_type`),
      data: requireString(source.data, `${path}.source.data`),
    };
  }
  if (source.type === 'url') return { kind: 'url', url: requireString(source.url, `${path}.source.url`) };
  return undefined;
}

export function decodeImageBlock(block: Record<string, unknown>, path: string): ImagePart | undefined {
  const source = decodeSource(block, path);
  if (!source) return undefined;
  return withFields<ImagePart>({ type: 'image', source }, extraFields(block, ['type', 'source']));
}

export function decodeDocumentBlock(block: Record<string, unknown>, path: string): FilePart | undefined {
  const wireSource = requireRecord(block.source, `${path}.source`);
  let source: ImageSource | undefined;
  if (wireSource.type === 'text') {
    // A plain-text document becomes a text/plain file so other dialects can attach it; the Anthropic
    // encoder turns text/plain back into a text source.
    const data = requireString(wireSource.data, `${path}.source.data`);
    source = { kind: 'base64', mediaType: 'text/plain', data: Buffer.from(data, 'utf8').toString('base64') };
  } else {
    source = decodeSource(block, path);
  }
  if (!source) return undefined;
  const part: FilePart = { type: 'file', source };
  const title = optionalString(block.title, `${path}.title`);
  if (title !== undefined) part.filename = title;
  return withFields(part, extraFields(block, ['type', 'source', 'title']));
}

export function decodeToolUseBlock(block: Record<string, unknown>, path: string): ToolCallPart {
  const input = block.input;
  if (input !== undefined && input !== null && !isRecord(input)) {
    throw invalidRequest(`${path}.input: Input should be a valid dictionary`);
  }
  const part: ToolCallPart = {
    type: 'tool-call',
    id: requireString(block.id, `${path}.id`),
    name: requireString(block.name, `${path}.name`),
    arguments: input ? JSON.stringify(input) : '{}',
  };
  return withFields(part, extraFields(block, ['type', 'id', 'name', 'input']));
}

/**
 * Thinking from a client or from Claude. A raw signature or redacted data is Claude's; an envelope
 * (another dialect's, given to an Anthropic client) unwraps to the data and origin it came from.
 */
export function decodeThinkingBlock(block: Record<string, unknown>, path: string): ReasoningPart {
  const part: ReasoningPart = { type: 'reasoning', text: requireString(block.thinking, `${path}.thinking`) };
  // Clients echo `"signature": ""` for thinking they got without one: that is no signature.
  const signature = optionalString(block.signature, `${path}.signature`);
  if (signature) applyReasoningEnvelope(part, readOpaqueReasoning(signature, ANTHROPIC, 'signature'));
  return withFields(part, extraFields(block, ['type', 'thinking', 'signature']));
}

export function decodeRedactedThinkingBlock(block: Record<string, unknown>, path: string): ReasoningPart {
  const part: ReasoningPart = { type: 'reasoning', text: '' };
  applyReasoningEnvelope(part, readOpaqueReasoning(requireString(block.data, `${path}.data`), ANTHROPIC, 'redactedData'));
  return withFields(part, extraFields(block, ['type', 'data']));
}

export function decodeToolResultBlock(
  block: Record<string, unknown>,
  path: string,
  toolNames: ReadonlyMap<string, string>,
): ToolResultPart {
  const toolCallId = requireString(block.tool_use_id, `${path}.tool_use_id`);
  const part: ToolResultPart = { type: 'tool-result', toolCallId, content: [] };
  const name = toolNames.get(toolCallId);
  if (name !== undefined) part.name = name;
  const isError = optionalBoolean(block.is_error, `${path}.is_error`);
  if (isError !== undefined) part.isError = isError;
  let fields = extraFields(block, ['type', 'tool_use_id', 'content', 'is_error']);
  const content = block.content;
  if (typeof content === 'string') {
    if (content.length > 0) part.content.push({ type: 'text', text: content });
  } else if (Array.isArray(content)) {
    let opaque = false;
    content.forEach((item, index) => {
      const itemPath = `${path}.content.${index}`;
      if (!isRecord(item)) throw invalidRequest(`${itemPath}: Input should be a valid dictionary`);
      const decoded =
        item.type === 'text' ? decodeTextBlock(item, itemPath) : item.type === 'image' ? decodeImageBlock(item, itemPath) : undefined;
      if (decoded) part.content.push(decoded);
      else opaque = true;
    });
    // Documents, search results and tool references inside a result have no IR form: other dialects get
    // the text and images, and an Anthropic upstream gets the original content back verbatim.
    if (opaque) fields = { ...fields, content };
  } else if (content !== undefined && content !== null) {
    throw invalidRequest(`${path}.content: Input should be a valid string or list`);
  }
  return withFields(part, fields);
}
