import type {
  FilePart,
  ImagePart,
  ImageSource,
  ReasoningPart,
  TextPart,
  ToolCallPart,
  ToolResultPart,
} from '../../ir/content.ts';
import type { DialectId, Extensions } from '../../ir/dialect-id.ts';
import { invalidRequest } from '../../ir/gateway-error.ts';
import { wrapReasoning } from '../shared/reasoning-envelope.ts';
import { ANTHROPIC, type AnthropicPartExtension, type WireBlock, anthropicExtension } from './extensions.ts';
import { parseAnthropicToolInput } from './parse-tool-input.ts';

/** IR parts → wire content blocks. Kept block fields (cache_control, citations...) are spread back last. */

export function partFields(extensions: Extensions | undefined): Record<string, unknown> | undefined {
  return anthropicExtension<AnthropicPartExtension>(extensions)?.fields;
}

/** Opaque blocks that stood before this part in an Anthropic conversation. */
export function blocksBefore(extensions: Extensions | undefined): WireBlock[] | undefined {
  return anthropicExtension<AnthropicPartExtension>(extensions)?.blocksBefore;
}

export function encodeAnthropicText(part: TextPart): WireBlock {
  return { type: 'text', text: part.text, ...partFields(part.extensions) };
}

function wireSource(source: ImageSource): WireBlock {
  return source.kind === 'base64'
    ? { type: 'base64', media_type: source.mediaType, data: source.data }
    : { type: 'url', url: source.url };
}

export function encodeAnthropicImage(part: ImagePart): WireBlock {
  // `detail` is an OpenAI hint with no Claude equivalent; dropping it changes nothing the model sees.
  return { type: 'image', source: wireSource(part.source), ...partFields(part.extensions) };
}

function isTextMediaType(mediaType: string): boolean {
  return mediaType.startsWith('text/') || mediaType === 'application/json' || mediaType === 'application/xml';
}

/** Claude reads PDFs and plain text as documents, and images as images; other binary files cannot be sent. */
export function encodeAnthropicFile(part: FilePart, path: string): WireBlock {
  const source = part.source;
  const fields = partFields(part.extensions);
  const title = part.filename !== undefined ? { title: part.filename } : undefined;
  if (source.kind === 'url') return { type: 'document', source: wireSource(source), ...title, ...fields };
  const mediaType = source.mediaType.toLowerCase();
  if (mediaType.startsWith('image/')) return { type: 'image', source: wireSource(source), ...fields };
  if (mediaType === 'application/pdf') return { type: 'document', source: wireSource(source), ...title, ...fields };
  if (isTextMediaType(mediaType)) {
    const data = Buffer.from(source.data, 'base64').toString('utf8');
    return { type: 'document', source: { type: 'text', media_type: 'text/plain', data }, ...title, ...fields };
  }
  throw invalidRequest(`${path}: Claude does not accept ${source.mediaType} files (only PDF, plain text and images)`);
}

export function encodeAnthropicToolCall(part: ToolCallPart): WireBlock {
  return {
    type: 'tool_use',
    id: part.id,
    name: part.name,
    input: parseAnthropicToolInput(part.arguments),
    ...partFields(part.extensions),
  };
}

export function encodeAnthropicToolResult(part: ToolResultPart): WireBlock {
  const block: WireBlock = { type: 'tool_result', tool_use_id: part.toolCallId };
  const content: WireBlock[] = [];
  for (const item of part.content) {
    if (item.type === 'image') content.push(encodeAnthropicImage(item));
    // Claude rejects empty text blocks; an empty one carries nothing.
    else if (item.text.length > 0) content.push(encodeAnthropicText(item));
  }
  if (content.length > 0) block.content = content;
  if (part.isError) block.is_error = true;
  return Object.assign(block, partFields(part.extensions));
}

/** Whether reasoning data of this origin is Claude's (data of unknown origin is taken as such, as it always was). */
function isAnthropicOrigin(origin: DialectId | undefined): boolean {
  return origin === undefined || origin === ANTHROPIC;
}

/** What an Anthropic client is given for reasoning data: Claude's raw, another dialect's in an envelope. */
export function anthropicClientOpaque(value: string, origin: DialectId | undefined, field: 'signature' | 'redactedData'): string {
  return isAnthropicOrigin(origin) ? value : wrapReasoning({ origin, [field]: value });
}

/**
 * A reasoning part as thinking blocks: `thinking` for readable text and/or a signature, `redacted_thinking`
 * for opaque data (both when a part carries both). `toClaude` is for requests to Claude, which rejects
 * thinking blocks it did not sign: it gets only its own signatures and data. A client gets every part,
 * other dialects' signatures and data wrapped so they can find their way back to their upstream.
 */
export function encodeAnthropicReasoning(part: ReasoningPart, toClaude: boolean): WireBlock[] {
  const blocks: WireBlock[] = [];
  if (toClaude && !isAnthropicOrigin(part.origin)) return blocks;
  const fields = partFields(part.extensions);
  if (part.signature || (!toClaude && part.text.length > 0)) {
    const signature = part.signature ? anthropicClientOpaque(part.signature, part.origin, 'signature') : '';
    blocks.push({ type: 'thinking', thinking: part.text, signature, ...fields });
  }
  if (part.redactedData) blocks.push({ type: 'redacted_thinking', data: anthropicClientOpaque(part.redactedData, part.origin, 'redactedData') });
  return blocks;
}
