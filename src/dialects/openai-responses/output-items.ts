import type { DialectId, Extensions } from '../../ir/dialect-id.ts';
import { wrapReasoning } from '../shared/reasoning-envelope.ts';
import { extensionFlag, extensionString, ownExtension } from './extensions.ts';
import { responsesIdWithPrefix } from './ids.ts';

// Output items are built with their fields in the order OpenAI writes them.

type Item = Record<string, unknown>;
type ItemStatus = 'in_progress' | 'completed';

/** A message's content part: a refusal is a part type of its own. */
export function messageContentPart(text: string, refusal: boolean): Item {
  return refusal ? { type: 'refusal', refusal: text } : { type: 'output_text', annotations: [], logprobs: [], text };
}

export function messageItem(id: string, status: ItemStatus, content: Item[]): Item {
  return { id, type: 'message', status, content, role: 'assistant' };
}

/** A tool call goes out as a custom tool call when it came from one or the request declares its name as one. */
export function toolCallItemIdentity(
  extensions: Extensions | undefined,
  name: string,
  customNames: Set<string>,
): { custom: boolean; id: string } {
  const custom = extensionFlag(extensions, 'custom') || customNames.has(name);
  return { custom, id: responsesIdWithPrefix(extensionString(extensions, 'id'), custom ? 'ctc_' : 'fc_') };
}

export function functionCallItem(id: string, status: ItemStatus, callId: string, name: string, args: string): Item {
  return { id, type: 'function_call', status, arguments: args, call_id: callId, name };
}

export function customToolCallItem(id: string, status: ItemStatus, callId: string, name: string, input: string): Item {
  return { id, type: 'custom_tool_call', status, call_id: callId, input, name };
}

export function compactionItem(id: string, encryptedContent: string): Item {
  return { id, type: 'compaction', encrypted_content: encryptedContent };
}

export function reasoningItem(id: string, summary: unknown[], encryptedContent: string | undefined): Item {
  const item: Item = { id, type: 'reasoning', summary };
  if (encryptedContent !== undefined) item.encrypted_content = encryptedContent;
  return item;
}

export function summaryTextPart(text: string): Item {
  return { type: 'summary_text', text };
}

/** Reasoning data as the IR holds it, whether from a whole part or collected from stream parts. */
export interface ReasoningData {
  signature?: string;
  redactedData?: string;
  origin?: DialectId;
  extensions?: Extensions;
}

/** The reasoning item id: OpenAI's own when the reasoning came from OpenAI. */
export function reasoningItemId(data: ReasoningData): string {
  const id = ownExtension(data.extensions)?.id;
  return responsesIdWithPrefix(typeof id === 'string' ? id : undefined, 'rs_');
}

/**
 * OpenAI's encrypted_content goes back untouched. Any other reasoning gets a Switchyard envelope,
 * even an empty one: it carries another dialect's signature or data across the client's round trip,
 * and it marks the item's id as invented so that id is never sent to OpenAI.
 */
export function reasoningEncryptedContent(data: ReasoningData): string | undefined {
  if (data.origin === 'openai-responses' && data.redactedData !== undefined) return data.redactedData;
  // OpenAI reasoning without encrypted content (stored responses): its real id is the reference.
  const id = ownExtension(data.extensions)?.id;
  if (typeof id === 'string' && data.signature === undefined && data.redactedData === undefined) return undefined;
  return wrapReasoning({ origin: data.origin, signature: data.signature, redactedData: data.redactedData });
}
